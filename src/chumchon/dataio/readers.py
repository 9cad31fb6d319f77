"""Opening the files people really have, as a stream of rows.

- xlsx, streamed in openpyxl's read-only mode (a million rows in bounded memory). Cells holding a formula are
  read through their saved value; a formula with no saved value is reported, never read as blank.
- CSV in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", tab-separated) or Windows-874/TIS-620,
  comma, semicolon or tab separated. A cell that the export neutralised against formula injection (a single quote
  before ``=``, ``+``, ``-``, ``@``, a tab or a carriage return: ``'=HYPERLINK(…)``) is read without that quote, as
  it was typed (:func:`chumchon.core.safe_cells.csv_unquote`); any other quote is kept.
- The header row need not be on line 1: title rows (merged cells), notes and blank rows above it are skipped;
  the header is the first row in which at least two cells name columns of the import. Columns may come in any
  order, named in Thai or English.
- Files that are not what their name says (a web page saved as .xls or .csv, a password-protected workbook, an old
  .xls, a corrupt zip) are refused with a message that says what to do.
"""

import codecs
import csv
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from chumchon.core.safe_cells import csv_unquote
from chumchon.core.thai.errors import ThaiInputError

HEADER_SCAN_ROWS = 30
SAMPLE_BYTES = 1 << 20


class FileReadError(ThaiInputError):
    """The file as a whole cannot be read: nothing in it is imported."""


def header_key(text) -> str:
    """Header cells compared loosely: case, spaces, punctuation and a bracketed note are ignored."""
    value = unicodedata.normalize("NFC", str(text or "")).lower()
    value = re.sub(r"\(.*?\)|\[.*?\]", "", value)
    return re.sub(r"[\s_\-./:*#]+", "", value)


@dataclass
class Table:
    """The rows under the header, each as ``(row number in the file, {column key: raw value})``."""

    format: str
    encoding: str
    sheet: str
    header_row: int
    columns: dict[int, str]  # position -> column key
    ignored_headers: list[str]
    rows: Iterator[tuple[int, dict, set]] = field(repr=False)  # (row number, values, keys holding a bare formula)
    blank_rows: list[int] = field(default_factory=lambda: [0])  # a counter the iterator updates


def _sniff(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<head", b"<meta")):
        return "html"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    if b"\x00" in head[:4096]:
        return "binary"
    return "csv"


def open_table(path: str | Path, aliases: dict[str, str], required: set[str] | dict[str, tuple[str, str]]) -> Table:
    """Open ``path`` and find its header. ``aliases`` maps every accepted header (:func:`header_key` form) to a
    column key; ``required`` are the keys that must be present — as a mapping, each to its header in Thai and in
    English, which a missing column's message names."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    kind = _sniff(head)
    if not head.strip(b" \t\r\n,;\xef\xbb\xbf"):
        raise FileReadError("empty", "ไฟล์ว่าง ไม่มีข้อมูล", "the file is empty")
    if kind == "html":
        raise FileReadError(
            "html", "ไฟล์นี้เป็นหน้าเว็บ (HTML) ที่ตั้งชื่อเป็น .csv หรือ .xls: เปิดใน Excel แล้วบันทึกเป็น .xlsx ใหม่",
            "this file is a web page (HTML) named .csv or .xls: open it in Excel and save it as .xlsx")
    if kind == "ole":
        if "EncryptionInfo".encode("utf-16-le") in head or _ole_encrypted(path):
            raise FileReadError(
                "password", "ไฟล์ Excel นี้ตั้งรหัสผ่านไว้: เอารหัสผ่านออก (ไฟล์ > ข้อมูล > ป้องกันเวิร์กบุ๊ก) แล้วบันทึกใหม่",
                "this workbook is password-protected: remove the password (File > Info > Protect Workbook) and save")
        raise FileReadError("xls", "ไฟล์ Excel รุ่นเก่า (.xls): บันทึกเป็น .xlsx หรือ CSV ก่อนนำเข้า",
                            "an old Excel file (.xls): save it as .xlsx or CSV first")
    if kind == "binary":
        raise FileReadError("binary", "ไฟล์นี้ไม่ใช่ตาราง Excel หรือ CSV", "this file is not an Excel or CSV table")
    if kind == "xlsx":
        return _open_xlsx(path, aliases, required)
    return _open_csv(path, head, aliases, required)


def _ole_encrypted(path: Path) -> bool:
    marker = "EncryptionInfo".encode("utf-16-le")
    with path.open("rb") as handle:
        while chunk := handle.read(SAMPLE_BYTES):
            if marker in chunk:
                return True
    return False


def _blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _blank_text(cells: list[str]) -> bool:
    """A CSV row of empty or whitespace cells. A first cell holding something settles it without joining them."""
    return not (cells and cells[0].strip()) and not "".join(cells).strip()


def _match_header(values, aliases: dict[str, str]) -> tuple[dict[int, str], list[str]]:
    columns, ignored = {}, []
    for position, value in enumerate(values):
        key = aliases.get(header_key(value)) if value is not None else None
        if key and key not in columns.values():
            columns[position] = key
        elif value is not None and str(value).strip():
            ignored.append(str(value).strip()[:40])
    return columns, ignored


def _find_header(rows: Iterator[tuple[int, list]], aliases, required, describe: str):
    seen = []
    for number, values in rows:
        if _blank(values):
            continue
        columns, ignored = _match_header(values, aliases)
        if len(columns) >= 2:
            names = required if isinstance(required, dict) else {key: (key, key) for key in required}
            missing = [names[key] for key in sorted(names) if key not in columns.values()]
            if missing:
                raise FileReadError(
                    "missing_columns",
                    f"ไม่พบคอลัมน์ที่ต้องมี: {', '.join(th for th, _ in missing)} (หัวตารางแถวที่ {number})",
                    f"required columns missing: {', '.join(en for _, en in missing)} (header on row {number})")
            return number, columns, ignored
        seen.append(" | ".join(str(v)[:20] for v in values if v is not None)[:80])
        if len(seen) >= HEADER_SCAN_ROWS:
            break
    first = seen[0] if seen else ""
    raise FileReadError(
        "no_header",
        f"ไม่พบหัวตาราง ({describe}) ใน {HEADER_SCAN_ROWS} แถวแรก: ใช้แม่แบบของระบบ หรือตรวจการเข้ารหัสไฟล์ "
        f"แถวแรกอ่านได้ว่า \"{first}\"",
        f"no header row ({describe}) in the first {HEADER_SCAN_ROWS} rows: use the template, or check the "
        f"file's encoding; the first row reads \"{first}\"")


_NO_FORMULAS: frozenset = frozenset()


def _body(rows, columns: dict[int, str], blank_counter: list[int], formulas=None, aliases=None, text=False):
    """The data rows. A second header row right under the first (the templates put the English names under the
    Thai ones) is skipped. ``text``: every cell is a str (CSV), so a row is blank when its cells joined are, and a
    cell the export neutralised (``'=…``) is read without its quote.
    ``blank_counter`` counts the blank rows skipped between data rows; those after the last one are nothing to
    report (a template's formatted empty rows, Excel's used range)."""
    width = max(columns) + 1
    pairs = tuple(columns.items())
    first = True
    pending = 0  # blank rows since the last data row: counted once a data row follows them
    for number, values in rows:
        if _blank_text(values) if text else _blank(values):
            pending += 1
            if formulas is not None:
                next(formulas, None)
            continue
        if pending:
            blank_counter[0] += pending
            pending = 0
        if first:
            first = False
            if aliases and len(_match_header(values, aliases)[0]) >= 2:
                if formulas is not None:
                    next(formulas, None)
                continue
        if len(values) < width:
            values = list(values) + [None] * (width - len(values))
        if text:
            record = {key: csv_unquote(v) if (v := values[position]) and v[0] == "'" else v for position, key in pairs}
        else:
            record = {key: values[position] for position, key in pairs}
        if formulas is None:
            yield number, record, _NO_FORMULAS
            continue
        bare = set()
        _, raw = next(formulas, (None, ()))
        for position, key in columns.items():
            formula = raw[position] if position < len(raw) else None
            if isinstance(formula, str) and formula.startswith("=") and record[key] is None:
                bare.add(key)
        yield number, record, bare


# --- xlsx ------------------------------------------------------------------------------------------------------

def _xlsx_rows(workbook, sheet_name):
    sheet = workbook[sheet_name]
    yield from enumerate(sheet.iter_rows(values_only=True), start=1)


def _open_xlsx(path: Path, aliases, required) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values_book = load_workbook(path, read_only=True, data_only=True)
        formula_book = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileReadError("corrupt", "ไฟล์ Excel เสียหรือไม่สมบูรณ์ เปิดไม่ได้: บันทึกใหม่จาก Excel แล้วลองอีกครั้ง",
                            f"the Excel file is damaged or incomplete ({type(exc).__name__}): save it again") from None
    last_error = None
    for name in values_book.sheetnames:
        rows = _xlsx_rows(values_book, name)
        try:
            header_row, columns, ignored = _find_header(rows, aliases, required, f"sheet {name}")
        except FileReadError as exc:
            if exc.code == "missing_columns":
                raise
            last_error = exc
            continue
        formulas = _xlsx_rows(formula_book, name)
        for _ in range(header_row):
            next(formulas, None)
        counter = [0]
        body = _body(rows, columns, counter, formulas, aliases)
        return Table("xlsx", "", name, header_row, columns, ignored, body, counter)
    raise last_error or FileReadError("no_sheet", "ไม่มีแผ่นงานในไฟล์", "the workbook has no sheets")


# --- CSV -------------------------------------------------------------------------------------------------------

def _encoding(path: Path, head: bytes) -> str:
    """The CSV file's encoding: a BOM says it; otherwise UTF-8 when the *whole* file is UTF-8, else Windows-874 when
    the whole file is that. Read to the end (in chunks, in bounded memory) because a file whose first megabytes are
    ASCII — an English header, numeric dates and amounts — shows its Thai text only later; decided on the file alone,
    so the check and the write, which each open it, read it alike."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    bad = _first_bad_byte(path, "utf-8")
    if bad is None:
        return "utf-8"
    if _first_bad_byte(path, "cp874") is None:
        return "cp874"
    raise FileReadError(
        "encoding", f"อ่านตัวอักษรในไฟล์ไม่ได้ ไบต์ที่ {bad:,} ไม่ใช่ UTF-8 และไฟล์ไม่ใช่ Windows-874 (TIS-620): "
        "บันทึกเป็น CSV UTF-8 (หรือ xlsx) แล้วลองอีกครั้ง",
        f"the file's characters cannot be read as UTF-8 (byte {bad:,} is not) or Windows-874 (TIS-620): save it as "
        "CSV UTF-8 or xlsx")


def _first_bad_byte(path: Path, encoding: str) -> int | None:
    """Where in the file (bytes from its start) the first character ``encoding`` cannot read begins, or None when
    the whole file reads. Streamed a megabyte at a time."""
    skip = 0
    if encoding == "utf-8-sig":  # its decoder counts positions after the BOM: read the rest as plain UTF-8
        encoding, skip = "utf-8", len(codecs.BOM_UTF8)
    decoder = codecs.getincrementaldecoder(encoding)()
    fed = skip
    with path.open("rb") as handle:
        handle.seek(skip)
        while True:
            chunk = handle.read(SAMPLE_BYTES)
            pending = decoder.getstate()[0]  # bytes of a character cut at the end of the last chunk
            try:
                if not (chunk.isascii() and not pending and encoding in ("utf-8", "cp874")):
                    decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:  # its position counts from the pending bytes
                return fed - len(pending) + exc.start
            if not chunk:
                return None
            fed += len(chunk)


def _open_csv(path: Path, head: bytes, aliases, required) -> Table:
    encoding = _encoding(path, head)
    sample = head.decode(encoding, errors="ignore")[:20000]
    delimiter = max([",", "\t", ";"], key=lambda d: sample.count(d))
    handle = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by the rows generator

    def rows():
        try:
            yield from enumerate(csv.reader(handle, delimiter=delimiter), start=1)
        except UnicodeDecodeError as exc:
            # (a file with a BOM: the others were read whole by _encoding) The error's position counts within
            # the block the reader was decoding: the file is read again to say where it is in the file.
            bad = _first_bad_byte(path, encoding)
            bad = exc.start if bad is None else bad
            raise FileReadError(
                "encoding", f"ตัวอักษรในไฟล์ผิดรูปแบบ ({encoding}) ที่ไบต์ {bad:,}: บันทึกเป็น CSV UTF-8 แล้วลองอีกครั้ง",
                f"the file is not valid {encoding} at byte {bad:,}: save it as CSV UTF-8") from None
        except csv.Error as exc:
            raise FileReadError("csv", f"อ่านไฟล์ CSV ไม่ได้: {exc}", f"the CSV file cannot be read: {exc}") from None
        finally:
            handle.close()

    stream = rows()
    header_row, columns, ignored = _find_header(stream, aliases, required, "CSV")
    counter = [0]
    body = _body(stream, columns, counter, aliases=aliases, text=True)
    return Table("csv", encoding, "", header_row, columns, ignored, body, counter)
