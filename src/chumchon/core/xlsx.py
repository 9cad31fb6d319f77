"""Thai spreadsheets with openpyxl: heading lines, a Thai header row (English under it), money as numbers with
``#,##0.00``, B.E. dates as text, bold totals, column widths, and the header repeated on every printed page.

A sheet is written top to bottom by a :class:`SheetWriter`; columns are anything with ``header_th``,
``header_en``, ``kind`` (text, money, int, date) and ``width`` (characters), so ledger statements and fund
reports can share it. Dates are written as B.E. text (``25/11/2569``): Excel has no Buddhist calendar, and a
real date cell would show the C.E. year to a Thai reader. Every text cell is a string cell, never a formula, whatever
it starts with (:mod:`chumchon.core.safe_cells`): a fund or a member named ``=HYPERLINK(…)`` reads as typed.
"""

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from chumchon.core.safe_cells import put
from chumchon.core.thai.dates import format_date

MONEY_FORMAT = "#,##0.00"
INT_FORMAT = "#,##0"
HEADER_FILL = "E5F1EB"
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str) -> str:
    """What Excel accepts as a sheet name: no ``[]:*?/\\`` and at most 31 characters — a longer name cut after
    its last whole word that fits (``งบรายได้และค่าใช้จ่าย จำแนกตามแหล่งเงิน`` → ``งบรายได้และค่าใช้จ่าย``), not
    mid-word."""
    text = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", text).split())
    if len(text) > 31:
        cut = text[:32].rsplit(" ", 1)[0] if " " in text[:32] else ""
        text = cut if len(cut) >= 8 else text[:31]
    return text or "Sheet"


def cell_text(value) -> str:
    """A non-numeric cell as text: B.E. dates (``25/11/2569``), nothing for None."""
    if isinstance(value, datetime.date):
        return format_date(value, "numeric", "th")
    return "" if value is None else str(value)


class SheetWriter:
    """Writes one worksheet from the top; ``row`` is the next row to write (1-based)."""

    def __init__(self, sheet, *, title: str = "", landscape: bool = False) -> None:
        from openpyxl.styles import Border, Font, PatternFill, Side

        self.sheet = sheet
        self.row = 1
        self._widths: dict[int, int] = {}
        self._first_header: int | None = None
        self._bold = Font(bold=True)
        self._fill = PatternFill("solid", fgColor=HEADER_FILL)
        self._top = Border(top=Side(style="thin"))
        self._total = Border(top=Side(style="thin"), bottom=Side(style="double"))
        if title:
            sheet.title = sheet_title(title)
        if landscape:
            sheet.page_setup.orientation = "landscape"
            sheet.page_setup.fitToWidth = 1
            sheet.page_setup.fitToHeight = 0
            sheet.sheet_properties.pageSetUpPr.fitToPage = True

    def lines(self, lines: Iterable[str], *, bold_first: int = 2) -> None:
        """Heading lines in column A: the first ``bold_first`` bold, the second (the title) larger."""
        from openpyxl.styles import Font

        for n, line in enumerate(lines):
            cell = put(self.sheet, self.row, 1, line)
            cell.font = Font(bold=n < bold_first, size=14 if n == 1 else 11)
            self.row += 1

    def title(self, text: str) -> None:
        """A section title above a table."""
        from openpyxl.styles import Font

        put(self.sheet, self.row, 1, text).font = Font(bold=True, size=12)
        self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def header(self, columns: Sequence, *, english: bool = True, freeze: bool = True) -> None:
        """The Thai header row, and the English one under it. With ``freeze``, the sheet's first header stays in
        view and is printed on every page (leave it off when several tables share a sheet)."""
        from openpyxl.styles import Alignment, Font

        first = self.row
        rows = [[c.header_th for c in columns]] + ([[c.header_en for c in columns]] if english else [])
        for n, texts in enumerate(rows):
            for col, (text, column) in enumerate(zip(texts, columns, strict=True), start=1):
                cell = put(self.sheet, self.row, col, text or None)
                cell.fill = self._fill
                cell.font = self._bold if n == 0 else Font(italic=True, color="444444", size=9)
                cell.alignment = Alignment(horizontal="right" if column.kind in ("money", "int") else "left",
                                           vertical="bottom", wrap_text=True)
                self._widths[col] = max(self._widths.get(col, 0), column.width)
            self.row += 1
        if freeze and self._first_header is None:
            self._first_header = first
            self.sheet.freeze_panes = self.sheet.cell(row=self.row, column=1)
            self.sheet.print_title_rows = f"{first}:{self.row - 1}"

    def cells(self, values: Sequence, columns: Sequence, *, style: str = "row") -> None:
        """One row: money and counts as numbers with their format, the rest as text (string cells, never
        formulas). ``style`` is ``row``, ``section`` or ``subtotal`` (bold) or ``total`` (bold, ruled above and
        double-ruled below)."""
        for col, (value, column) in enumerate(zip(values, columns, strict=True), start=1):
            if isinstance(value, Decimal) or (column.kind == "money" and isinstance(value, int)):
                cell = self.sheet.cell(row=self.row, column=col, value=Decimal(value))
                cell.number_format = MONEY_FORMAT
            elif isinstance(value, int) and not isinstance(value, bool):
                cell = self.sheet.cell(row=self.row, column=col, value=value)
                cell.number_format = INT_FORMAT
            else:
                cell = put(self.sheet, self.row, col, cell_text(value) or None)
            if style != "row":
                cell.font = self._bold
            if style == "total":
                cell.border = self._total
            elif style == "subtotal":
                cell.border = self._top
        self.row += 1

    def finish(self) -> None:
        """Set the column widths (the widest any table on the sheet asked for)."""
        from openpyxl.utils import get_column_letter

        for col, width in self._widths.items():
            self.sheet.column_dimensions[get_column_letter(col)].width = width


def new_workbook():
    """A workbook whose first sheet is ready for a :class:`SheetWriter`."""
    from openpyxl import Workbook

    return Workbook()


def workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
