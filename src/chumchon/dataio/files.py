"""Files the import hands out: the template of each kind (xlsx and CSV) and the problem report (xlsx, the problem
cells highlighted with the problem as a comment). The values from the file are written as string cells, never as
formulas (:mod:`chumchon.core.safe_cells`)."""

import csv
import io

from chumchon.core.safe_cells import xlsx_row
from chumchon.core.xlsx import new_workbook, sheet_title, workbook_bytes
from chumchon.dataio.kinds import KINDS
from chumchon.dataio.models import ImportJob
from chumchon.dataio.readers import open_table
from chumchon.dataio.selectors import hidden_labels

PROBLEM_FILL = "F8C9C4"
HEADER_FILL = "E5F1EB"


def template_csv(kind_name: str) -> bytes:
    """UTF-8 with BOM (Excel opens it in Thai), the Thai header row and the English one under it."""
    kind = KINDS[kind_name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.th for c in kind.columns])
    writer.writerow([c.en for c in kind.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind_name: str) -> bytes:
    """The data sheet (Thai header, English alias under it, text-formatted code columns so leading zeros stay) and
    a sheet that explains every column with an example."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    kind = KINDS[kind_name]
    book = new_workbook()
    sheet = book.active
    sheet.title = sheet_title(kind.title_th)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for col, column in enumerate(kind.columns, start=1):
        head = sheet.cell(row=1, column=col, value=column.th)
        head.font, head.fill = Font(bold=True), fill
        if column.help_th:
            head.comment = Comment(f"{column.help_th}\n{column.help_en}", "Chumchon")
        alias = sheet.cell(row=2, column=col, value=column.en)
        alias.font, alias.fill = Font(italic=True, color="444444", size=9), fill
        sheet.column_dimensions[get_column_letter(col)].width = max(14, len(column.th) + 4)
        if column.reader.__name__ in ("code", "nid", "text"):
            for row in range(3, 1003):
                sheet.cell(row=row, column=col).number_format = "@"
    sheet.freeze_panes = "A3"
    guide = book.create_sheet("คำอธิบาย (columns)")
    guide.append(["หัวคอลัมน์", "English alias", "ต้องกรอก (required)", "ตัวอย่าง (example)", "คำอธิบาย", "notes"])
    for cell in guide[1]:
        cell.font, cell.fill = Font(bold=True), fill
    for column in kind.columns:
        guide.append([column.th, column.en, "✓" if column.required else "", column.example, column.help_th,
                      column.help_en])
    for letter, width in zip("ABCDEF", (24, 20, 14, 22, 50, 50), strict=True):
        guide.column_dimensions[letter].width = width
    return workbook_bytes(book)


def report_xlsx(job: ImportJob, *, hidden: frozenset[str] = frozenset()) -> bytes:
    """The problems as a list, the cells the valid rows change in records already there (now → in the file), and
    the rows that have problems as they were in the file with each problem cell filled red and its problem as the
    cell's comment. The values of the ``hidden`` columns (keys: personal data the reader may not see,
    :func:`~chumchon.dataio.selectors.import_hidden_columns`) are left empty everywhere."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    kind = KINDS[job.kind]
    book = new_workbook()
    listing = book.active
    listing.title = "ปัญหา (problems)"
    listing.append(xlsx_row(listing, [f"รายงานตรวจไฟล์ {job.filename}", f"{job.get_kind_display()}"]))
    listing.append(["แถว (row)", "คอลัมน์ (column)", "ค่า (value)", "ปัญหา", "problem"])
    bold = Font(bold=True)
    for cell in listing[2]:
        cell.font = bold
    problems = list(job.problems.order_by("row", "id").values_list("row", "column", "value", "message_th",
                                                                      "message_en"))
    labels_hidden = hidden_labels(job, hidden)
    for problem in problems:
        if problem[1] in labels_hidden:
            problem = (problem[0], problem[1], "", *problem[3:])
        listing.append(xlsx_row(listing, problem))
    for letter, width in zip("ABCDE", (8, 22, 24, 60, 60), strict=True):
        listing.column_dimensions[letter].width = width
    listing.freeze_panes = "A3"

    rows_sheet = book.create_sheet("แถวที่มีปัญหา (rows)")
    by_row: dict[int, list[tuple]] = {}
    for row, column, _value, th, en in problems:
        by_row.setdefault(row, []).append((column, th, en))
    labels = [c.th for c in kind.columns]
    rows_sheet.append(["แถวในไฟล์ (file row)", *labels])
    for cell in rows_sheet[1]:
        cell.font = bold
    if by_row:
        fill = PatternFill("solid", fgColor=PROBLEM_FILL)
        table = open_table(job.file.path, kind.aliases(), set())
        out = 2
        for number, raw, _ in table.rows:
            if number not in by_row:
                continue
            rows_sheet.append(xlsx_row(rows_sheet, [
                number, *[None if c.key in hidden else _plain(raw.get(c.key)) for c in kind.columns]]))
            for column, th, en in by_row[number]:
                position = labels.index(column) + 2 if column in labels else 1
                cell = rows_sheet.cell(row=out, column=position)
                cell.fill = fill
                previous = cell.comment.text + "\n" if cell.comment else ""
                cell.comment = Comment(f"{previous}{th}\n{en}", "Chumchon")
            out += 1
            if out > len(by_row) + 1:
                break
    changes = book.create_sheet("การเปลี่ยนแปลง (changes)")  # after the problems and their rows
    changes.append(["แถว (row)", "คอลัมน์ (column)", "ตอนนี้ (now)", "ในไฟล์ (in the file)"])
    for cell in changes[1]:
        cell.font = bold
    for change in job.changes.order_by("row", "id").values_list("row", "column", "old", "new").iterator():
        if change[1] in labels_hidden:
            change = (change[0], change[1], "", "")
        changes.append(xlsx_row(changes, change))
    for letter, width in zip("ABCD", (8, 22, 36, 36), strict=True):
        changes.column_dimensions[letter].width = width
    changes.freeze_panes = "A2"
    return workbook_bytes(book)


def _plain(value):
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)
