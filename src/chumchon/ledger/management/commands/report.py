"""`chumchon report KIND (--book CODE | --area CODE) (--fiscal-year 2565 | --from D --to D) --format FMT`.

Statements of one book or an area, for operators on the server (no user scoping: whoever runs manage commands
can read the database anyway). ``--area`` takes a DOPA code (2 digits a province, 4 a district, 6 a
subdistrict), ``region:<code>`` for a region of the default scheme, or ``nation``. JSON and CSV go to standard
output unless ``--output`` is given; xlsx and PDF need ``--output``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chumchon.core.errors import bilingual
from chumchon.core.thai.dates import parse_date
from chumchon.core.thai.errors import ThaiInputError
from chumchon.geo.models import Region
from chumchon.ledger import exports
from chumchon.ledger import statements as st
from chumchon.ledger.models import Book

_AREA_BY_LENGTH = {2: "province", 4: "district", 6: "subdistrict"}


def _error(th: str, en: str) -> CommandError:
    return CommandError(bilingual(th, en))


def area_of(text: str) -> tuple[str, str]:
    """``nation`` / ``region:north`` / a DOPA code -> (level, code) as ``statements.area_scope`` takes them."""
    text = text.strip()
    if text.lower() == "nation":
        return "nation", st.NATION_CODE
    if text.lower().startswith("region:"):
        code = text.split(":", 1)[1].strip()
        region = Region.objects.filter(scheme__is_default=True, code=code).first()
        if region is None:
            raise _error(f"ไม่พบภาค {code} ในการแบ่งภาคหลัก", f"no region {code!r} in the default region scheme")
        return "region", str(region.pk)
    if text.isascii() and text.isdigit() and len(text) in _AREA_BY_LENGTH:
        return _AREA_BY_LENGTH[len(text)], text
    raise _error(f"อ่านรหัสพื้นที่ {text} ไม่ออก: ใช้รหัส 2/4/6 หลัก region:<รหัสภาค> หรือ nation",
                 f"cannot read the area {text!r}: use a 2/4/6-digit DOPA code, region:<code> or nation")


class Command(BaseCommand):
    help = ("Ledger statements of a book or an area as JSON, CSV, xlsx or PDF "
            "(รายงานการเงินของสมุดบัญชีหรือพื้นที่).")

    def add_arguments(self, parser):
        parser.add_argument("kind", help=" | ".join(st.KINDS))
        parser.add_argument("--book", help="book code (รหัสสมุดบัญชี)")
        parser.add_argument("--area", help="DOPA code (2/4/6 digits), region:<code> or nation")
        parser.add_argument("--fiscal-year", dest="fiscal_year", help="fiscal year in B.E., e.g. 2565")
        parser.add_argument("--from", dest="start", help="first day (e.g. 1/10/2564 or 2021-10-01)")
        parser.add_argument("--to", dest="end", help="last day (the day a financial position is taken)")
        parser.add_argument("--account", default="", help="account (standard) code, for general-ledger")
        parser.add_argument("--format", dest="fmt", default="json", help="json | csv | xlsx | pdf")
        parser.add_argument("--output", type=Path, help="file to write (standard output for json/csv if left out)")
        parser.add_argument("--before-closing", action="store_true",
                            help="trial balance before year-end closing entries")

    def handle(self, *args, kind, book, area, fiscal_year, start, end, account, fmt, output, before_closing,
               **options):
        if kind not in st.KINDS:
            raise _error(f"ไม่รู้จักรายงาน {kind}", f"unknown statement {kind!r}; use one of {', '.join(st.KINDS)}")
        if fmt not in exports.FORMATS:
            raise _error(f"ไม่รู้จักรูปแบบไฟล์ {fmt}", f"unknown format {fmt!r}; use one of {', '.join(exports.FORMATS)}")
        if fmt in ("xlsx", "pdf") and output is None:
            raise _error(f"ไฟล์ {fmt} ต้องระบุ --output", f"{fmt} needs --output FILE")
        if bool(book) == bool(area):
            raise _error("ระบุ --book หรือ --area อย่างใดอย่างหนึ่ง", "give either --book or --area")
        if kind == "general-ledger" and not account:
            raise _error("บัญชีแยกประเภทต้องระบุ --account", "general-ledger needs --account CODE")
        period = self._period(fiscal_year, start, end)
        scope = self._scope(book, area)
        try:
            statement = st.statement(kind, scope, *period, account_code=account, exclude_closing=before_closing)
            data = exports.render(statement, fmt)
        except st.StatementError as exc:
            raise CommandError(str(exc)) from exc
        if output is None:
            self.stdout.write(data.decode(), ending="")
            return
        output.write_bytes(data)
        self.stderr.write(f"{output} ({len(data):,} bytes)")

    def _period(self, fiscal_year, start, end):
        if fiscal_year and (start or end):
            raise _error("ระบุปีงบประมาณ หรือ --from/--to อย่างใดอย่างหนึ่ง", "give --fiscal-year or --from/--to, not both")
        try:
            if fiscal_year:
                return st.period_of(fiscal_year=fiscal_year)
            if not (start and end):
                raise _error("ต้องระบุ --fiscal-year หรือทั้ง --from และ --to",
                             "give --fiscal-year, or both --from and --to")
            return st.period_of(start=parse_date(start), end=parse_date(end))
        except ThaiInputError as exc:
            raise CommandError(str(exc)) from exc

    def _scope(self, book_code, area):
        if book_code:
            book = Book.objects.filter(code=book_code).first()
            if book is None:
                raise _error(f"ไม่พบสมุดบัญชีรหัส {book_code}", f"no book with code {book_code!r}")
            return st.book_scope(book)
        level, code = area_of(area)
        try:
            return st.area_scope(level, code)
        except st.StatementError as exc:
            raise CommandError(str(exc)) from exc
