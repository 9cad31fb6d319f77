"""Every list page exports what it shows: the same rows (the user's scope and the page's filters, all pages, not
only the one on screen) as xlsx or CSV, with a Thai header row and an English one under it, as the import
templates have them.

A list whose records have an import kind (people, members, contributions, paid benefits, councils, community
organisations) exports through :mod:`chumchon.dataio.exports` instead, in that kind's columns, so that the file
imports back. The lists here have no import kind: funds, households, books, plans, assessments, instruments, the
audit log and imports. Their files are for reading and passing on (a province's list of funds, an auditor's
extract of the audit log).

A view asks :func:`list_export` first; it answers ``None`` unless the request asks for a file (``?format=xlsx`` or
``?format=csv``), and otherwise the file. Values are written as people read them: B.E. dates ``dd/mm/yyyy``,
times ``dd/mm/yyyy HH:MM`` in Thai time, amounts as numbers (two decimals in xlsx), choices by their Thai label;
text is never a formula (:mod:`chumchon.core.safe_cells`: a string cell in xlsx, a single quote in front in CSV).
Rows are read with ``iterator()`` and written as they come (CSV streamed, xlsx in write-only mode through a
temporary file), so memory stays flat for a list of any length. Each export is one audit row (the list, the
format, the number of rows, the filters).
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone, translation

from chumchon.core.audit import audit_record
from chumchon.core.safe_cells import csv_row, xlsx_value
from chumchon.core.thai.dates import format_date
from chumchon.core.xlsx import sheet_title

FORMATS = ("xlsx", "csv")
CHUNK = 2000  # rows read from the database at a time
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ListColumn:
    """One column of a list's file: Thai and English heading, and how to read the value off a row."""

    th: str
    en: str
    value: Callable[[object], object]
    money: bool = False


@dataclass(frozen=True)
class ListExport:
    """What a list page exports: the file's name (``funds`` → ``funds-25691201.xlsx``), the sheet's Thai title and
    the columns."""

    name: str
    title_th: str
    columns: tuple[ListColumn, ...]


CENTS = Decimal("0.01")


def cell(value, money: bool = False):
    """A value as the file holds it: dates in B.E., times in Thai time, choices by their label, money to the
    satang (an annotated sum comes back from SQLite without its trailing zero)."""
    if value is None:
        return ""
    if money:
        return Decimal(str(value)).quantize(CENTS)
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{format_date(local.date(), 'numeric')} {local:%H:%M}"
    if isinstance(value, datetime.date):
        return format_date(value, "numeric")
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, int | float | Decimal | str):
        return value
    return str(value)


def _rows(spec: ListExport, rows: Iterable) -> Iterator[list]:
    if isinstance(rows, QuerySet):
        rows = rows.iterator(chunk_size=CHUNK)
    with translation.override("th"):  # choice labels and names in Thai, whatever the page's language
        for row in rows:
            yield [cell(column.value(row), column.money) for column in spec.columns]


class _Echo:
    """A file-like object whose ``write`` returns what it was given, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def _csv(spec: ListExport, rows: Iterable) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow([c.th for c in spec.columns])).encode("utf-8")
    yield writer.writerow([c.en for c in spec.columns]).encode("utf-8")
    batch = []
    for values in _rows(spec, rows):
        batch.append(writer.writerow(csv_row(values)))
        if len(batch) >= CHUNK:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def _xlsx(spec: ListExport, rows: Iterable):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(spec.title_th))
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(50, len(column.th) + 6))
    append_headers(sheet, [c.th for c in spec.columns], [c.en for c in spec.columns])
    money = [column.money for column in spec.columns]
    for values in _rows(spec, rows):
        for index, value in enumerate(values):
            if money[index] and isinstance(value, Decimal):  # cell() made it one; "" when there was none
                amount = WriteOnlyCell(sheet, value=value)
                amount.number_format = "#,##0.00"
                values[index] = amount
            elif isinstance(value, str):
                values[index] = xlsx_value(sheet, value)  # a string cell, never a formula
        sheet.append(values)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    book.save(handle)
    handle.seek(0)
    return handle


def append_headers(sheet, thai: list[str], english: list[str]) -> None:
    """The two header rows of a write-only sheet, as the import templates have them: Thai in bold, English."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    heads = []
    for label in thai:
        head = WriteOnlyCell(sheet, value=label)
        head.font = bold
        heads.append(head)
    sheet.append(heads)
    sheet.append(english)


def file_stamp() -> str:
    """Today in B.E. for a file's name: ``25691201``."""
    today = timezone.localdate()
    return f"{today.year + 543}{today:%m%d}"


def list_export(request, spec: ListExport, rows: QuerySet | Iterable):
    """The file of the list when the request asks for one (``format=xlsx`` or ``format=csv``), else ``None``.

    ``rows`` are the page's rows before paging: the same scope and filters the page shows. An unknown format is
    refused with a message (Thai, then English)."""
    fmt = request.GET.get("format", "")
    if not fmt:
        return None
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            f"format: ไม่รู้จักรูปแบบไฟล์ \"{fmt[:20]}\" ใช้ xlsx หรือ csv (unknown file format; use xlsx or csv)",
            content_type="text/plain; charset=utf-8")
    count = rows.count() if isinstance(rows, QuerySet) else len(rows := list(rows))
    filters = {k: v[:100] for k, v in request.GET.items() if k not in ("format", "page")}
    with transaction.atomic():
        audit_record(actor=request.user, action="dataio.list_export", summary=f"{spec.name} {fmt}: {count} rows",
                     data={"list": spec.name, "format": fmt, "rows": count, "filters": filters})
    filename = f"{spec.name}-{file_stamp()}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(_csv(spec, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(_xlsx(spec, rows), as_attachment=True, filename=filename, content_type=XLSX)
