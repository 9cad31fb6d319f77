"""`chumchon opendata_publish [--force]`: make an open-data release now (the worker makes one after the summaries
change, at most every ``OPEN_DATA_MAX_AGE_MINUTES``; this is for cron, after a bulk load, or to see the time)."""

from django.core.management.base import BaseCommand

from chumchon.insights import opendata


class Command(BaseCommand):
    help = "Make an open-data release from the summaries as they are (nothing when the latest already reads them)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="make a release even if nothing changed")

    def handle(self, *args, force: bool = False, **options):
        before = opendata.OpenDataRelease.objects.order_by("-pk").values_list("pk", flat=True).first()
        release = opendata.publish(force=force)
        if release.pk == before:
            self.stdout.write(f"open data unchanged: the release of {release.made:%Y-%m-%d %H:%M} UTC still reads "
                              f"the summaries as they are ({release.rows:,} rows)")
        else:
            self.stdout.write(f"open data released: {release.rows:,} rows in {release.seconds:.1f} s")
