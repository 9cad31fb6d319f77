"""CSV/xlsx (formula) injection: text from user data is never run as a formula by a spreadsheet. In xlsx it is a
string cell holding the text exactly as typed; in CSV text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a single quote in front (OWASP), which the importer takes off again — and numbers the writers
emit themselves (a negative amount) are never touched."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook

from chumchon.core.safe_cells import csv_cell, csv_row, csv_text, csv_unquote, put, risky, xlsx_row

LINK = '=HYPERLINK("http://evil.example/?x","ดูเอกสารแนบ")'
HOSTILE = [LINK, "+66 81 234 5678", "-นางสมศรี", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=1+1", "#N/A"]


@pytest.mark.parametrize("text", [LINK, "+1", "-", "-ใจดี", "@x", "\tx", "\rx"])
def test_csv_text_that_starts_like_a_formula_gets_a_quote_and_reads_back(text):
    assert csv_text(text) == "'" + text
    assert csv_unquote(csv_text(text)) == text


@pytest.mark.parametrize("text", ["สมชาย", "A-001", "12/3", "it's", "'ok", "", "5 คน", "x=1"])
def test_other_text_is_left_as_it_is_both_ways(text):
    assert csv_text(text) == text
    assert csv_unquote(text) == text


def test_only_a_quote_the_exporter_could_have_added_is_taken_off():
    assert csv_unquote("'=1") == "=1" and csv_unquote("''=1") == "''=1" and csv_unquote("'") == "'"
    assert csv_unquote(None) is None and csv_unquote(5) == 5


def test_numbers_and_amounts_are_never_neutralised():
    assert csv_cell(Decimal("-150.00")) == Decimal("-150.00") and csv_cell(-3) == -3 and csv_cell(None) == ""
    out = io.StringIO()
    csv.writer(out).writerow(csv_row([Decimal("-150.00"), -3, "-3", None, LINK]))
    assert out.getvalue().splitlines() == ["-150.00,-3,'-3,,\"'=HYPERLINK(\"\"http://evil.example/?x\"\",\"\"ดูเอกสารแนบ\"\")\""]


def test_the_report_and_statement_writers_keep_a_negative_amount_a_number():
    from chumchon.ledger import exports as ledger_exports
    from chumchon.welfare import report_exports

    assert report_exports._csv_cell(Decimal("-150.00")) == "-150.00"
    assert report_exports._csv_cell(-2) == "-2"
    assert report_exports._csv_cell("-นางสมศรี") == "'-นางสมศรี"
    assert report_exports._csv_cell(datetime.date(2022, 9, 30)) == "30/09/2565"
    assert ledger_exports._csv_cell(Decimal("-1737.50"), "money") == "-1737.50"
    assert ledger_exports._csv_cell(LINK, "text") == "'" + LINK


def _saved(book) -> tuple[str, object]:
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    return xml, load_workbook(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_text_is_a_string_cell_exactly_as_typed(write_only):
    assert all(risky(text) for text in HOSTILE)
    book = Workbook(write_only=write_only)
    if write_only:
        sheet = book.create_sheet("x")
        sheet.append(xlsx_row(sheet, [*HOSTILE, Decimal("-150.00"), "สมชาย"]))
    else:
        sheet = book.active
        for column, value in enumerate([*HOSTILE, Decimal("-150.00"), "สมชาย"], start=1):
            put(sheet, 1, column, value)
    xml, read = _saved(book)
    assert "<f>" not in xml and 't="e"' not in xml
    cells = list(read.worksheets[0].iter_rows())[0]
    assert [(c.value, c.data_type) for c in cells[:len(HOSTILE)]] == [
        (text.replace("\r", "\n"), "s") for text in HOSTILE]  # XML turns a carriage return into a line feed
    assert all(c.quotePrefix for c in cells[:len(HOSTILE) - 1])  # Excel keeps it text when the cell is edited
    assert (cells[-2].value, cells[-2].data_type) == (-150, "n") and cells[-1].value == "สมชาย"


def test_the_shared_sheet_writer_writes_text_never_a_formula():
    from chumchon.core.xlsx import SheetWriter, new_workbook

    book = new_workbook()
    writer = SheetWriter(book.active, title="ทดสอบ")
    columns = [SimpleNamespace(header_th="ชื่อ", header_en="Name", kind="text", width=20),
               SimpleNamespace(header_th="ยอด", header_en="Amount", kind="money", width=12)]
    writer.lines([LINK, "-หัวเรื่อง"])
    writer.header(columns)
    writer.cells([LINK, Decimal("-150.00")], columns)
    writer.finish()
    xml, read = _saved(book)
    assert "<f>" not in xml
    sheet = read.active
    assert (sheet["A1"].value, sheet["A1"].data_type) == (LINK, "s")
    assert (sheet["A5"].value, sheet["A5"].data_type) == (LINK, "s")
    assert sheet["B5"].value == -150 and sheet["B5"].data_type == "n"


def test_list_exports_write_text_as_text_and_amounts_as_numbers():
    from chumchon.dataio.lists import ListColumn, ListExport, _csv, _xlsx

    spec = ListExport("test", "ทดสอบ", (ListColumn("ชื่อ", "Name", lambda r: r[0]),
                                        ListColumn("ยอด", "Amount", lambda r: r[1], money=True)))
    rows = [(LINK, Decimal("-150")), ("-", Decimal("20"))]
    text = b"".join(_csv(spec, rows)).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[2:] == [["'" + LINK, "-150.00"], ["'-", "20.00"]]
    with _xlsx(spec, rows) as handle:
        data = handle.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    cells = list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=3))
    assert [(c.value, c.data_type) for c in cells[0]] == [(LINK, "s"), (-150, "n")]
