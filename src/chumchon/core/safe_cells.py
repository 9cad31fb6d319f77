"""Text from user data written into a spreadsheet or CSV file is never run as a formula (CSV/formula injection).

An organisation registered as ``=HYPERLINK("http://evil.example/?x","ดูเอกสารแนบ")``, a phone ``+66…`` or a house
number ``-`` is text that people typed; a spreadsheet must show it, never evaluate it.

- **xlsx**: such text is written as a string cell (``t="inlineStr"``), never as a formula (``<f>``) or an error
  cell (``#N/A``), and marked *quote prefix* so that Excel keeps it text when someone edits the cell. The value
  stays exactly as typed: the file reads back the same.
- **CSV** has no cell types, so text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  single quote in front (OWASP's advice): ``'=HYPERLINK(…)``. Only text: numbers, amounts and dates that the
  writer formats itself (a negative amount ``-150.00``) stay as they are, so Excel still reads them as numbers.
  The importer takes that quote off again (:func:`csv_unquote`), so an exported CSV imports back to the same text.
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START_SET = frozenset(FORMULA_START)
# Text openpyxl would write as an error cell rather than a string.
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def risky(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (or an error value) instead of text."""
    return text.startswith(FORMULA_START) or text in _ERROR_CODES


# --- CSV ---------------------------------------------------------------------------------------------------------

def csv_text(text: str) -> str:
    """Text for a CSV cell: a single quote in front of text that starts like a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value):
    """A value as a CSV cell: text neutralised (:func:`csv_text`), nothing for None, anything else (numbers,
    amounts) as it is — ``csv`` writes them with ``str()``, so ``-150.00`` stays a number."""
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    return value


def csv_row(values) -> list:
    """:func:`csv_cell` over a row."""
    return [csv_cell(v) for v in values]


def csv_unquote(value):
    """What the exporter wrote through :func:`csv_text`, as typed: the single quote taken off when a formula
    character follows it (``'=1+1`` → ``=1+1``, ``'-`` → ``-``); any other text (``'ok``, ``it's``) as it is."""
    if type(value) is str and value[:1] == "'" and value[1:2] in _FORMULA_START_SET:
        return value[1:]
    return value


# --- xlsx --------------------------------------------------------------------------------------------------------

def text_cell(sheet, text: str):
    """A cell for ``sheet`` (write-only or not) that holds ``text`` as a string, whatever it starts with."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    _as_text(cell, text)
    return cell


def xlsx_value(sheet, value):
    """A value to append to ``sheet``: risky text (:func:`risky`) as a :func:`text_cell`, the rest as it is (openpyxl
    writes other text as strings already, and numbers and dates as such)."""
    if isinstance(value, str) and risky(value):
        return text_cell(sheet, value)
    return value


def xlsx_row(sheet, values) -> list:
    """:func:`xlsx_value` over a row, for ``sheet.append``."""
    return [xlsx_value(sheet, v) for v in values]


def put(sheet, row: int, column: int, value):
    """``sheet.cell(row, column, value)``, text always as a string cell."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        _as_text(cell, value)
    return cell


def _as_text(cell, text: str) -> None:
    if cell.data_type != "s":  # "f" (formula) or "e" (error) for text starting with "=" or reading "#N/A"
        cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
