"""`chumchon insights_rebuild [--check]`: recompute every area summary from the records, or only compare."""

import time

from django.core.management.base import BaseCommand, CommandError

from chumchon.insights import services, summaries


class Command(BaseCommand):
    help = "Rebuild the area summaries from funds, members and books; --check only compares and fails on a difference."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare stored summaries with a recomputation")

    def handle(self, *args, check: bool = False, **options):
        started = time.perf_counter()
        if check:
            found = summaries.differences()
            for line in found:
                self.stdout.write(line)
            if found:
                raise CommandError(
                    f"สรุปตามพื้นที่ไม่ตรงกับการคำนวณใหม่ (summaries differ from a recomputation): {len(found)}+")
            self.stdout.write(f"summaries agree with a recomputation ({time.perf_counter() - started:.2f} s)")
            return
        counts = services.summaries_rebuild()
        self.stdout.write(f"rebuilt {counts['summaries']} summary rows and {counts['benefits']} benefit rows "
                          f"in {time.perf_counter() - started:.2f} s")
