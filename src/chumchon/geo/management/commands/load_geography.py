"""`chumchon load_geography`: provinces, districts and subdistricts from geothai, plus the default regions."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from chumchon.geo import services


class Command(BaseCommand):
    help = "Load all 77 provinces, 928 districts and 7,436 subdistricts (idempotent) and the region grouping."

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=Path, default=services.DEFAULT_REGIONS_FILE,
                            help="region scheme JSON file (default: the NSO-style seven groups)")

    def handle(self, *args, regions: Path, **options):
        started = time.perf_counter()
        for level, result in services.geography_load().items():
            self.stdout.write(f"{level}: {result}")
        scheme = services.regions_load(path=regions)
        self.stdout.write(f"regions: {scheme.code} ({scheme.regions.count()} regions)")
        self.stdout.write(f"took {time.perf_counter() - started:.2f} s")
