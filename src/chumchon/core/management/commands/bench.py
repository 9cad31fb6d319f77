"""`chumchon bench <benchmark>`: benchmarks on the configured database. Each benchmark is a subcommand calling the
``run()`` of a ``bench`` module in its app, which prints human-readable figures and returns them:

- ``ledger``: ``chumchon.ledger.bench`` (posting throughput, one hot account, balance reads, statements);
- ``collection``: ``chumchon.welfare.bench`` (posting a collection sheet, the collection-sheet page);
- ``import``: ``chumchon.dataio.bench`` (a contributions file through the full import against a raw write of the
  same rows, and the import's peak memory, measured in a child process);
- ``dashboard``: ``chumchon.insights.bench`` (the national dashboard against a trivial page, the summaries
  against a full recomputation), on the data already there (fill it with ``chumchon synth``);
- ``opendata``: ``chumchon.insights.bench_opendata`` (open data's empty cells for a country made in memory: the
  rule against the rule before the years were tied, and what a reader can work out under each). Writes nothing.

With ``--json`` the last line of the output is one JSON object with the figures, for scripts and CI. Benchmarks
write books and funds of their own that cannot be deleted (posted entries are append-only), so they refuse to
run with DEBUG off unless ``--force`` is given: use a throwaway database.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Benchmarks on the configured database: `bench ledger [--lines N] [--json]`, " \
           "`bench collection [--members N] [--json]`, `bench import [--rows N] [--json]`, " \
           "`bench dashboard [--repeats N] [--json]`, `bench opendata [--funds N] [--years N] [--json]`. " \
           "Use a throwaway database."

    def add_arguments(self, parser):
        benchmarks = parser.add_subparsers(dest="benchmark", required=True,
                                           metavar="{ledger,collection,import,dashboard,opendata}")
        ledger = benchmarks.add_parser(
            "ledger", help="posting throughput, one hot account, balance reads and statements of a big book")
        ledger.add_argument("--lines", type=int, default=1_000_000, help="lines loaded into the big book")
        ledger.add_argument("--entries", type=int, default=1_000,
                            help="entries posted in each throughput test (service, raw, hot, spread)")
        ledger.add_argument("--workers", type=int, default=4, help="threads posting at once in the hot-account test")
        collection = benchmarks.add_parser(
            "collection", help="posting one collection sheet of a village, and the collection-sheet page")
        collection.add_argument("--members", type=int, default=300, help="members on the posted sheet")
        imports = benchmarks.add_parser(
            "import", help="importing a contributions file (check, write, post) against a raw write of its rows")
        imports.add_argument("--rows", type=int, default=1_000_000, help="rows in the contributions file")
        imports.add_argument("--in-process", action="store_true",
                             help="measure the import in this process instead of a child (peak memory then "
                                  "includes the setup)")
        dashboard = benchmarks.add_parser(
            "dashboard", help="the national dashboard against a trivial page; summaries against a recomputation")
        dashboard.add_argument("--repeats", type=int, default=15, help="requests of each page (medians are kept)")
        dashboard.add_argument("--fiscal-year", type=int, help="B.E. year to show (default: the latest with figures)")
        opendata = benchmarks.add_parser(
            "opendata", help="open data's empty cells for a country made in memory, against the rule before")
        opendata.add_argument("--funds", type=int, default=7600, help="funds in the country")
        opendata.add_argument("--years", type=int, default=5, help="fiscal years of figures")
        for sub in (ledger, collection, imports, dashboard, opendata):
            sub.add_argument("--json", action="store_true", help="end with one line of JSON holding the figures")
            sub.add_argument("--force", action="store_true", help="run even with DEBUG off (never in production)")

    def handle(self, *args, benchmark: str, **options):
        if not settings.DEBUG and not options["force"] and benchmark != "opendata":  # opendata writes nothing
            raise CommandError("refusing to write benchmark data with DEBUG off (use --force on a throwaway database)")
        if benchmark == "ledger":
            if options["lines"] < 2 or options["entries"] < 5 or options["workers"] < 1:
                raise CommandError("--lines must be at least 2, --entries at least 5 and --workers at least 1")
            from chumchon.ledger import bench

            figures = bench.run(lines=options["lines"], entries=options["entries"], workers=options["workers"],
                                out=self.stdout.write)
        elif benchmark == "collection":
            if options["members"] < 1:
                raise CommandError("--members must be at least 1")
            from chumchon.welfare import bench

            figures = bench.run(members=options["members"], stdout=self.stdout)
        elif benchmark == "import":
            if options["rows"] < 1:
                raise CommandError("--rows must be at least 1")
            from chumchon.dataio import bench

            figures = bench.run(rows=options["rows"], out=self.stdout.write,
                                subprocess=False if options["in_process"] else None)
        elif benchmark == "dashboard":
            if options["repeats"] < 1:
                raise CommandError("--repeats must be at least 1")
            from chumchon.insights import bench

            figures = bench.run(repeats=options["repeats"], fiscal_year=options["fiscal_year"], out=self.stdout.write)
        elif benchmark == "opendata":
            if options["funds"] < 1 or options["years"] < 1:
                raise CommandError("--funds and --years must be at least 1")
            from chumchon.insights import bench_opendata

            figures = bench_opendata.run(funds=options["funds"], years=options["years"], out=self.stdout.write)
        else:  # argparse has already refused anything else
            raise CommandError(f"unknown benchmark {benchmark!r}")
        if options["json"]:
            self.stdout.write(json.dumps(figures, sort_keys=True))
