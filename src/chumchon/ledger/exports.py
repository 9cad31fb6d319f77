"""Statements as files: CSV (UTF-8 with a BOM, so Excel opens the Thai), xlsx, PDF (WeasyPrint) and JSON.

Every file is Thai first: Thai headings and account names, B.E. dates, the statement's Thai and English names,
the book or area and the period. CSV, xlsx and PDF are drawn from one :class:`Layout` (columns and rows), so
they always show the same figures; JSON is the statement's ``to_dict()``. Text (memos, references, names) is
never a formula (:mod:`chumchon.core.safe_cells`): a string cell in xlsx, and in CSV a single quote in front of text
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — never in front of an amount.

The PDF uses the vendored Sarabun font (OFL) through ``file://`` URLs, one font family per subset: WeasyPrint
mixes up ``unicode-range`` faces of one family (digits and Latin came out as Thai marks), so Latin and Thai are
separate families listed in that order. TLWG Laksaman/Garuda (Debian fonts-thai-tlwg) are the fallback.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from chumchon.core.pdf import render_pdf
from chumchon.core.safe_cells import csv_text, put
from chumchon.core.thai.dates import format_date
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.core.thai.money import format_baht
from chumchon.core.xlsx import sheet_title
from chumchon.ledger import statements as st

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}
MONEY_FORMAT = "#,##0.00"
MAX_PDF_LINES = 5000


@dataclass(frozen=True)
class Column:
    header_th: str
    header_en: str
    kind: str = "text"  # text, money, date
    width: int = 14  # characters, for xlsx


@dataclass(frozen=True)
class Row:
    cells: tuple
    style: str = "row"  # row, section, subtotal, total


@dataclass
class Layout:
    header: st.Header
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    landscape: bool = False
    notes: list[str] = field(default_factory=list)

    def add(self, *cells, style: str = "row") -> None:
        padded = tuple(cells) + ("",) * (len(self.columns) - len(cells))
        self.rows.append(Row(padded, style))

    @property
    def scope_line(self) -> str:
        scope = self.header.scope
        return f"{scope.name_th} ({scope.code})" if scope.is_book else scope.name_th

    @property
    def title_line(self) -> str:
        return f"{self.header.title_th} ({self.header.title_en})"


_CODE = Column("รหัสบัญชี", "Code", width=11)
_NAME = Column("ชื่อบัญชี", "Account", width=42)
_AMOUNT = Column("จำนวนเงิน (บาท)", "Amount (baht)", "money", 18)


def _money(header_th: str, header_en: str) -> Column:
    return Column(header_th, header_en, "money", 16)


def _trial_balance(s: st.TrialBalance) -> Layout:
    layout = Layout(s.header, [_CODE, _NAME, _money("ยกมา เดบิต", "Opening Dr"), _money("ยกมา เครดิต", "Opening Cr"),
                               _money("ระหว่างงวด เดบิต", "Period Dr"), _money("ระหว่างงวด เครดิต", "Period Cr"),
                               _money("คงเหลือ เดบิต", "Closing Dr"), _money("คงเหลือ เครดิต", "Closing Cr")],
                    landscape=True)
    for r in s.rows:
        layout.add(r.account.code, r.account.name_th, r.opening_debit, r.opening_credit, r.debit, r.credit,
                   r.closing_debit, r.closing_credit)
    t = s.totals
    layout.add("", "รวม", t["opening_debit"], t["opening_credit"], t["debit"], t["credit"], t["closing_debit"],
               t["closing_credit"], style="total")
    if s.exclude_closing:
        layout.notes.append("ก่อนปิดบัญชีสิ้นปี: ไม่รวมรายการปิดบัญชีของงวดนี้ (before year-end closing)")
    return layout


def _listing(s: st.Listing) -> Layout:
    cash = s.header.kind == "cash-book"
    area = not s.header.scope.is_book
    columns = [Column("วันที่", "Date", "date", 12), Column("เลขที่รายการ", "Entry", width=10)]
    if area:
        columns.append(Column("สมุดบัญชี", "Book", width=12))
    if cash:
        columns.append(Column("บัญชี", "Account", width=9))
    columns += [Column("คำอธิบาย", "Memo", width=40), Column("เอกสารอ้างอิง", "Reference", width=14),
                _money("รับ" if cash else "เดบิต", "Receipts" if cash else "Debit"),
                _money("จ่าย" if cash else "เครดิต", "Payments" if cash else "Credit"),
                _money("คงเหลือ", "Balance")]
    layout = Layout(s.header, columns, landscape=True)
    lead = len(columns) - 5  # cells before the memo
    layout.add(*([""] * lead), "ยอดยกมา", "", "", "", s.opening, style="subtotal")
    for line in s.lines:
        cells = [line.date, line.entry] + ([line.book_code] if area else []) + ([line.account_code] if cash else [])
        layout.add(*cells, line.memo, line.reference, line.debit or "", line.credit or "", line.balance)
    layout.add(*([""] * lead), "รวมระหว่างงวด", "", s.total_debit, s.total_credit, "", style="subtotal")
    layout.add(*([""] * lead), "ยอดคงเหลือยกไป", "", "", "", s.closing, style="total")
    if s.account is not None:
        layout.notes.append(f"บัญชี {s.account.code} {s.account.name_th}")
    return layout


def _income_expenditure(s: st.IncomeExpenditure) -> Layout:
    layout = Layout(s.header, [_CODE, _NAME, _AMOUNT])
    for section in s.sections:
        layout.add("", f"แหล่งเงินทุน: {section.label_th}", style="section")
        for heading, rows, total_label, total in [("รายได้", section.income, "รวมรายได้", section.total_income),
                                                  ("ค่าใช้จ่าย", section.expense, "รวมค่าใช้จ่าย", section.total_expense)]:
            if rows:
                layout.add("", heading, style="section")
                for r in rows:
                    layout.add(r.account.code, r.account.name_th, r.amount)
            layout.add("", total_label, total, style="subtotal")
        layout.add("", f"รายได้สูง (ต่ำ) กว่าค่าใช้จ่าย: {section.label_th}", section.surplus, style="subtotal")
    layout.add("", "รวมรายได้ทั้งสิ้น", s.total_income, style="subtotal")
    layout.add("", "รวมค่าใช้จ่ายทั้งสิ้น", s.total_expense, style="subtotal")
    layout.add("", "รายได้สูง (ต่ำ) กว่าค่าใช้จ่ายสุทธิ", s.surplus, style="total")
    if s.exclude_closing:
        layout.notes.append("ไม่รวมรายการปิดบัญชีสิ้นปี (year-end closing entries left out)")
    return layout


def _financial_position(s: st.FinancialPosition) -> Layout:
    layout = Layout(s.header, [_CODE, _NAME, _AMOUNT])
    for title, rows, total_label, total in [
        ("สินทรัพย์", s.assets, "รวมสินทรัพย์", s.total_assets),
        ("หนี้สิน", s.liabilities, "รวมหนี้สิน", s.total_liabilities),
    ]:
        layout.add("", title, style="section")
        for r in rows:
            layout.add(r.account.code, r.account.name_th, r.amount)
        layout.add("", total_label, total, style="subtotal")
    layout.add("", "สินทรัพย์สุทธิ (ทุนกองทุน)", style="section")
    for r in s.fund_balances:
        layout.add(r.account.code, r.account.name_th, r.amount)
    layout.add("", "รายได้สูง (ต่ำ) กว่าค่าใช้จ่ายที่ยังไม่ปิดบัญชี", s.unclosed_surplus)
    layout.add("", "รวมสินทรัพย์สุทธิ", s.total_net_assets, style="subtotal")
    layout.add("", "รวมหนี้สินและสินทรัพย์สุทธิ", s.total_liabilities_and_net_assets, style="total")
    return layout


def _changes_in_fund_balance(s: st.ChangesInFundBalance) -> Layout:
    layout = Layout(s.header, [Column("แหล่งเงิน", "Fund source", width=30), _money("ยอดยกมา", "Opening"),
                               _money("รายได้สูง (ต่ำ) กว่าค่าใช้จ่าย", "Surplus (deficit)"),
                               _money("โอนและรายการอื่นเข้าทุน", "Transfers and other"),
                               _money("ยอดคงเหลือ", "Closing"),
                               _money("ปิดบัญชีโอนเข้าทุน (แสดงเพื่อทราบ)", "Closed to fund (memo)")],
                    landscape=True)
    for r in s.rows:
        layout.add(r.label_th, r.opening, r.surplus, r.transfers, r.closing, r.closed_to_fund)
    t = s.totals
    layout.add("รวม", t["opening"], t["surplus"], t["transfers"], t["closing"], t["closed_to_fund"], style="total")
    layout.notes.append("ทุนของแต่ละแหล่งเงินรวมรายได้และค่าใช้จ่ายที่ยังไม่ปิดบัญชี รายการปิดบัญชีสิ้นปีจึงไม่นับซ้ำ "
                        "(each source's fund balance includes income and expense not yet closed, so year-end "
                        "closing is not counted twice)")
    return layout


def layout_of(statement) -> Layout:
    builders = {st.TrialBalance: _trial_balance, st.Listing: _listing, st.IncomeExpenditure: _income_expenditure,
                st.FinancialPosition: _financial_position, st.ChangesInFundBalance: _changes_in_fund_balance}
    return builders[type(statement)](statement)


def _cell_text(value, kind: str, date_style: str = "numeric") -> str:
    if isinstance(value, Decimal):
        return format_baht(value)
    if isinstance(value, datetime.date):
        return format_date(value, date_style, "th")
    return "" if value is None else str(value)


# --- formats --------------------------------------------------------------------------------------


def to_json(statement) -> bytes:
    return json.dumps(statement.to_dict(), ensure_ascii=False, indent=2).encode()


def to_csv(statement) -> bytes:
    """The statement as Excel users expect it: heading lines, a blank line, then the table; B.E. dates."""
    layout = layout_of(statement)
    out = io.StringIO()
    writer = csv.writer(out)
    for line in (layout.scope_line, layout.title_line, layout.header.period_th, *layout.notes):
        writer.writerow([csv_text(line)])
    writer.writerow([])
    writer.writerow([c.header_th for c in layout.columns])
    for row in layout.rows:
        writer.writerow([_csv_cell(v, c.kind) for v, c in zip(row.cells, layout.columns, strict=True)])
    return ("\ufeff" + out.getvalue()).encode()


def _csv_cell(value, kind: str) -> str:
    """Amounts as numbers (``-150.00`` stays one), dates in B.E., other text neutralised."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date | int | float):
        return _cell_text(value, kind)
    return csv_text(_cell_text(value, kind))


def to_xlsx(statement) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    layout = layout_of(statement)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(layout.header.title_th)
    bold = Font(bold=True)
    lines = [layout.scope_line, layout.title_line, layout.header.period_th, *layout.notes]
    for n, line in enumerate(lines, start=1):
        put(sheet, n, 1, line).font = Font(bold=n <= 2, size=14 if n == 2 else 11)
    header_row = len(lines) + 2
    fill = PatternFill("solid", fgColor="E5F1EB")
    for col, column in enumerate(layout.columns, start=1):
        cell = put(sheet, header_row, col, column.header_th)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="right" if column.kind == "money" else "left", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = column.width
    top = Border(top=Side(style="thin"))
    for r, row in enumerate(layout.rows, start=header_row + 1):
        for col, (value, column) in enumerate(zip(row.cells, layout.columns, strict=True), start=1):
            if isinstance(value, Decimal):
                cell = sheet.cell(row=r, column=col, value=value)
                cell.number_format = MONEY_FORMAT
            else:
                cell = put(sheet, r, col, _cell_text(value, column.kind) or None)
            if row.style != "row":
                cell.font = bold
            if row.style == "total":
                cell.border = top
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    if layout.landscape:
        sheet.page_setup.orientation = "landscape"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pdf_context(statement) -> dict:
    layout = layout_of(statement)
    rows = [{"style": row.style, "cells": [
        {"text": _cell_text(v, c.kind, "short"), "kind": c.kind}
        for v, c in zip(row.cells, layout.columns, strict=True)]} for row in layout.rows]
    return {"layout": layout, "rows": rows}


def to_pdf(statement) -> bytes:
    """A4 (landscape for wide statements), Thai. Listings longer than ``MAX_PDF_LINES`` are refused: such a PDF
    takes minutes to lay out and nobody prints it; xlsx and CSV take any length."""
    if isinstance(statement, st.Listing) and len(statement.lines) > MAX_PDF_LINES:
        raise st.StatementError(
            "too_long", f"มี {len(statement.lines):,} รายการ เกินกว่าจะทำ PDF ได้ ({MAX_PDF_LINES:,}) "
            "กรุณาเลือกช่วงวันที่สั้นลง หรือดาวน์โหลดเป็น xlsx/CSV",
            f"{len(statement.lines):,} lines are too many for a PDF (at most {MAX_PDF_LINES:,}); "
            "choose a shorter period or download xlsx/CSV")
    return render_pdf("ledger/pdf/statement.html", pdf_context(statement))


RENDERERS = {"csv": to_csv, "xlsx": to_xlsx, "pdf": to_pdf, "json": to_json}


def render(statement, fmt: str) -> bytes:
    if fmt not in RENDERERS:
        raise st.StatementError("unknown_format", f"ไม่รู้จักรูปแบบไฟล์ {fmt}",
                                f"unknown format {fmt!r}; use one of {', '.join(RENDERERS)}")
    return RENDERERS[fmt](statement)


def filename(statement, fmt: str) -> str:
    """``trial-balance_A-001_2565.xlsx`` for a fiscal year (or a position at its end); other dates give
    ``..._20211001-20211031`` or ``..._20220331``."""
    header = statement.header
    end = header.end
    fy = fiscal_year_of(end)
    if header.start is None and end != fy.end:
        period = f"{end:%Y%m%d}"
    elif header.start in (None, fy.start) and end == fy.end:
        period = str(fy.be_year)
    else:
        period = f"{header.start:%Y%m%d}-{end:%Y%m%d}"
    scope = header.scope.code if header.scope.is_book else f"{header.scope.level}-{header.scope.code}"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in scope)
    return f"{header.kind}_{safe}_{period}.{fmt}"
