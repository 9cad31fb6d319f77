"""`chumchon load_regions FILE`: add or update a region scheme (a grouping of provinces)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chumchon.geo import services


class Command(BaseCommand):
    help = "Load a region scheme from a JSON file; --default makes it the grouping pages and breadcrumbs use."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--default", action="store_true")

    def handle(self, *args, path: Path, default: bool, **options):
        try:
            scheme = services.regions_load(path=path, make_default=True if default else None)
        except (ValueError, KeyError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{scheme.code}: {scheme.regions.count()} regions (default: {scheme.is_default})")
