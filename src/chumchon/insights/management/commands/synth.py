"""`chumchon synth --config FILE.toml [--scale 0.01] [--seed N] [--workers N]`: build the synthetic country of a
calibration file through the real services (see ``chumchon.insights.synth``). Writes a lot: use a throwaway
database."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from chumchon.insights import opendata, services
from chumchon.insights.synth import Calibration, Generator, SynthError
from chumchon.welfare.models import Fund

# A run that built more than this many funds, and most of the database's, rebuilds the summaries instead of
# refreshing its funds one by one.
REBUILD_FROM = 50


class Command(BaseCommand):
    help = "Build a synthetic country calibrated to a TOML file's targets (exact at scale 1.0, scaled otherwise)."

    def add_arguments(self, parser):
        parser.add_argument("--config", required=True, help="calibration file, e.g. synth/seed-2565.toml")
        parser.add_argument("--scale", type=float, default=0.01, help="share of the targets to build (default 0.01)")
        parser.add_argument("--seed", type=int, default=None, help="random seed (default: the file's)")
        parser.add_argument("--workers", type=int, default=1,
                            help="build funds and councils in this many processes (PostgreSQL only; same data)")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off (never in production)")

    def handle(self, *args, config: str, scale: float, seed: int | None, force: bool, workers: int, **options):
        if not settings.DEBUG and not force:
            raise CommandError("refusing to write synthetic data with DEBUG off (use --force on a throwaway database)")
        try:
            calibration = Calibration.load(config)
            generator = Generator(calibration, scale, seed, out=self.stdout.write)
            self.stdout.write(f"{calibration.title}: scale {scale}, targets {generator.targets}")
            built = generator.run(workers=max(1, workers))
        except SynthError as exc:
            raise CommandError(str(exc)) from None
        started = time.perf_counter()
        if built["funds"] * 2 >= Fund.objects.count() and built["funds"] > REBUILD_FROM:
            # Most of the country is new: recomputing every summary from the records in set-based queries is
            # several times cheaper than refreshing fund after fund, and gives the same rows (the test of
            # summaries_refresh_fund compares the two).
            rows = services.summaries_rebuild()
            self.stdout.write(f"area summaries rebuilt ({rows['summaries']:,} rows, {rows['benefits']:,} benefit "
                              f"rows) in {time.perf_counter() - started:.1f} s")
        else:
            refreshed = services.summaries_refresh_pending()
            self.stdout.write(f"area summaries of {refreshed:,} funds refreshed in "
                              f"{time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        release = opendata.publish()
        self.stdout.write(f"open data released ({release.rows:,} rows) in {time.perf_counter() - started:.1f} s")
        self.stdout.write(f"built {built['funds']:,} funds, {built['people']:,} people, "
                          f"{built['contributions']:,} contributions, {built['claims']:,} paid claims "
                          f"in {built['seconds']} s")
        if "councils" in built:
            self.stdout.write(f"  and {built['local_administrations']:,} local administrations, {built['councils']:,} "
                              f"councils with {built['council_members']:,} members, {built['organisations']:,} "
                              f"registered organisations, {built['assessed']:,} councils assessed")
