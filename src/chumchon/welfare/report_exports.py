"""Fund reports as files: xlsx (openpyxl), PDF (WeasyPrint, the Sarabun font) and CSV (UTF-8 with a BOM, so
Excel opens the Thai), all drawn from the same :class:`~chumchon.welfare.reports.Report`.

Every file starts with the fund, its area, the report's Thai and English titles and its period; every table has
its Thai header with the English one under it. Money is a number formatted ``#,##0.00`` in xlsx and ``1234.50``
in CSV (so Excel reads it as a number); dates are B.E. (``25/11/2569``). Text (a fund's or a member's name) is
never a formula (:mod:`chumchon.core.safe_cells`): a string cell in xlsx; in CSV a single quote in front of text
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — never in front of an amount.
"""

import csv
import datetime
import io
from decimal import Decimal

from chumchon.core import xlsx
from chumchon.core.pdf import render_pdf
from chumchon.core.safe_cells import csv_text
from chumchon.core.thai.dates import format_date
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.money import format_baht
from chumchon.welfare.reports import Report, Table

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}
MAX_PDF_ROWS = 3000  # a longer PDF takes minutes to lay out; xlsx and CSV take any length
WIDE_TABLE = 9  # columns past which the PDF uses a smaller type
KEEP_TOGETHER = 25  # a section this short is not split across PDF pages
# Excel allows 31 characters
SHEET_TITLES = {"members": "ทะเบียนสมาชิก", "contributions": "เงินสมทบรายเดือน", "arrears": "ค้างส่งเงินสมทบ",
                "receipts": "ทะเบียนคุมใบเสร็จ", "vouchers": "ทะเบียนคุมใบสำคัญจ่าย", "benefits": "สวัสดิการที่จ่าย",
                "yearly": "รายงานประจำปี"}


def display_text(value) -> str:
    """A cell for people to read: ``1,234.50``, ``1,234``, ``25 พ.ย. 2569``, nothing for None."""
    if isinstance(value, Decimal):
        return format_baht(value)
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime.date):
        return format_date(value, "short", "th")
    return "" if value is None else str(value)


def _is_number(value) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def heading_lines(report: Report) -> list[str]:
    return [report.fund_line, f"{report.title_th} ({report.title_en})", report.area_line, report.period_th]


def display_tables(report: Report) -> list[dict]:
    """The tables with every cell as display text, for the page and the PDF."""
    def cells(values, columns):
        return [{"text": display_text(v), "numeric": c.numeric or _is_number(v), "narrow": c.narrow}
                for v, c in zip(values, columns, strict=True)]

    return [{
        "title_th": t.title_th, "title_en": t.title_en, "columns": t.columns, "notes": t.notes,
        "is_section": bool(report.sections),
        "rows": [cells(r, t.columns) for r in t.rows],
        "totals": cells(t.totals, t.columns) if t.totals is not None else None,
        "wide": len(t.columns) > WIDE_TABLE,
        "keep_together": bool(report.sections) and len(t.rows) <= KEEP_TOGETHER,
    } for t in report.tables]


# --- xlsx ---------------------------------------------------------------------------------------------


def to_xlsx(report: Report) -> bytes:
    workbook = xlsx.new_workbook()
    period = str(report.fiscal_year.be_year) if report.fiscal_year else format_date(report.on, "numeric")
    title = f"{SHEET_TITLES.get(report.kind, report.title_th)} {period.replace('/', '-')}"
    writer = xlsx.SheetWriter(workbook.active, title=title, landscape=report.landscape)
    writer.lines(heading_lines(report))
    for table in report.tables:
        writer.skip()
        if report.sections:
            writer.title(f"{table.title_th} ({table.title_en})")
        for note in table.notes:
            writer.lines([note], bold_first=0)
        writer.header(table.columns, freeze=not report.sections)
        for row in table.rows:
            writer.cells(row, table.columns)
        if table.totals is not None:
            writer.cells(table.totals, table.columns, style="total")
    writer.finish()
    return xlsx.workbook_bytes(workbook)


# --- CSV ----------------------------------------------------------------------------------------------


def _csv_cell(value) -> str:
    """Amounts and dates as this writer formats them (``-150.00`` stays a number); text neutralised."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return format_date(value, "numeric", "th")
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return csv_text(str(value))


def _csv_table(writer, table: Table, titled: bool) -> None:
    if titled:
        writer.writerow([csv_text(f"{table.title_th} ({table.title_en})")])
    for note in table.notes:
        writer.writerow([csv_text(note)])
    writer.writerow([c.header_th for c in table.columns])
    writer.writerow([c.header_en for c in table.columns])
    for row in [*table.rows, *([table.totals] if table.totals is not None else [])]:
        writer.writerow([_csv_cell(v) for v in row])


def to_csv(report: Report) -> bytes:
    """Heading lines, then each table (Thai header, English header, rows, totals) after a blank line."""
    out = io.StringIO()
    writer = csv.writer(out)
    for line in heading_lines(report):
        writer.writerow([csv_text(line)])
    for table in report.tables:
        writer.writerow([])
        _csv_table(writer, table, bool(report.sections))
    return ("\ufeff" + out.getvalue()).encode()


# --- PDF ----------------------------------------------------------------------------------------------


class ReportTooLong(ThaiInputError):
    """A report with too many rows to print."""


def to_pdf(report: Report) -> bytes:
    """A4, landscape for wide tables (the register, the month-by-village matrix). Refused past
    ``MAX_PDF_ROWS`` rows."""
    rows = sum(len(t.rows) for t in report.tables)
    if rows > MAX_PDF_ROWS:
        raise ReportTooLong("too_long", f"รายงานมี {rows:,} แถว เกินกว่าจะทำ PDF ได้ ({MAX_PDF_ROWS:,}) "
                            "กรุณาดาวน์โหลดเป็น xlsx หรือ CSV",
                            f"{rows:,} rows are too many for a PDF (at most {MAX_PDF_ROWS:,}); download xlsx or CSV")
    return render_pdf("welfare/pdf/report.html", {"report": report, "tables": display_tables(report)})


RENDERERS = {"xlsx": to_xlsx, "pdf": to_pdf, "csv": to_csv}


def render(report: Report, fmt: str) -> bytes:
    return RENDERERS[fmt](report)


def filename(report: Report, fmt: str) -> str:
    """``contributions_A-001_2569.xlsx`` for a fiscal year, ``members_A-001_25691125.pdf`` for a day — B.E. as
    the fiscal year and every other file's name (``dataio.lists.file_stamp``)."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in report.fund.code)
    period = str(report.fiscal_year.be_year) if report.fiscal_year else f"{report.on.year + 543}{report.on:%m%d}"
    return f"{report.kind}_{safe}_{period}.{fmt}"
