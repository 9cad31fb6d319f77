"""Ledger statements worked by hand: a welfare fund's fiscal year 2565, closed at year end.

The fund (book A-001, Chiang Mai) during FY 2565 (1 Oct 2021 - 30 Sep 2022):
  1 Oct 2021   opening capital            Dr 1101 cash 5,000.00   / Cr 3101 fund balance: members 5,000.00
  Oct 2021     30 members x 30 baht       Dr 1101 cash   900.00   / Cr 4101 member contributions 900.00
  15 Nov 2021  matching grant             Dr 1102 bank   900.00   / Cr 4201 government grant 900.00
  3 Dec 2021   hospital benefit           Dr 5103        400.00   / Cr 1101 cash 400.00
  20 Jan 2022  funeral benefit            Dr 5105      3,000.00   / Cr 1101 cash 3,000.00
  30 Jun 2022  bank interest              Dr 1102 bank    12.50   / Cr 4401 interest 12.50
  15 Sep 2022  administration costs       Dr 5301        150.00   / Cr 1101 cash 150.00
  30 Sep 2022  year-end closing (services.period_close)

Cash 5,000 + 900 - 400 - 3,000 - 150 = 2,350.00; bank 900 + 12.50 = 912.50; assets 3,262.50.
Members: 900 - 3,550 = -2,650.00; government +900.00; interest +12.50; the year's deficit -1,737.50.
"""

import csv
import datetime
import io
import json
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from chumchon.geo.models import Region
from chumchon.ledger import exports, services
from chumchon.ledger import statements as st
from chumchon.ledger.models import Account

pytestmark = pytest.mark.django_db

D = Decimal
FY_START, FY_END = datetime.date(2021, 10, 1), datetime.date(2022, 9, 30)


@pytest.fixture
def fund_year(book, post, system_user):
    """FY 2565 of fund A as in the module docstring, closed at year end."""
    post("2021-10-01", "ยอดยกมาต้นปี", [("1101", 5000, 0), ("3101", 0, 5000)])
    for n in range(30):
        post(FY_START + datetime.timedelta(days=n), f"เงินสมทบสมาชิกเลขที่ {n + 1:05d}",
             [("1101", 30, 0), ("4101", 0, 30)])
    post("2021-11-15", "เงินสมทบจากรัฐบาลผ่าน พอช.", [("1102", 900, 0), ("4201", 0, 900)])
    post("2021-12-03", "สวัสดิการนอนโรงพยาบาล", [("5103", 400, 0), ("1101", 0, 400)])
    post("2022-01-20", "สวัสดิการเสียชีวิต", [("5105", 3000, 0), ("1101", 0, 3000)])
    post("2022-06-30", "ดอกเบี้ยเงินฝาก", [("1102", "12.50", 0), ("4401", 0, "12.50")])
    post("2022-09-15", "ค่าบริหารจัดการ", [("5301", 150, 0), ("1101", 0, 150)])
    services.period_close(actor=system_user, book=book, fiscal_year=2565)
    return book


def tb_rows(tb):
    return {r.account.code: (r.opening, r.debit, r.credit, r.closing) for r in tb.rows}


# --- trial balance --------------------------------------------------------------------------------


def test_trial_balance_of_the_closed_year(fund_year):
    tb = st.trial_balance(fund_year, FY_START, FY_END)
    assert tb_rows(tb) == {
        "1101": (0, D("5900.00"), D("3550.00"), D("2350.00")),
        "1102": (0, D("912.50"), 0, D("912.50")),
        "3101": (0, D("2650.00"), D("5000.00"), D("-2350.00")),
        "3102": (0, 0, D("900.00"), D("-900.00")),
        "3105": (0, 0, D("12.50"), D("-12.50")),
        "4101": (0, D("900.00"), D("900.00"), 0),
        "4201": (0, D("900.00"), D("900.00"), 0),
        "4401": (0, D("12.50"), D("12.50"), 0),
        "5103": (0, D("400.00"), D("400.00"), 0),
        "5105": (0, D("3000.00"), D("3000.00"), 0),
        "5301": (0, D("150.00"), D("150.00"), 0),
    }
    assert tb.totals == {"opening_debit": 0, "opening_credit": 0, "debit": D("14825.00"), "credit": D("14825.00"),
                         "closing_debit": D("3262.50"), "closing_credit": D("3262.50")}
    assert tb.is_balanced


def test_trial_balance_before_closing(fund_year):
    tb = st.trial_balance(fund_year, FY_START, FY_END, exclude_closing=True)
    assert tb_rows(tb) == {
        "1101": (0, D("5900.00"), D("3550.00"), D("2350.00")),
        "1102": (0, D("912.50"), 0, D("912.50")),
        "3101": (0, 0, D("5000.00"), D("-5000.00")),
        "4101": (0, 0, D("900.00"), D("-900.00")),
        "4201": (0, 0, D("900.00"), D("-900.00")),
        "4401": (0, 0, D("12.50"), D("-12.50")),
        "5103": (0, D("400.00"), 0, D("400.00")),
        "5105": (0, D("3000.00"), 0, D("3000.00")),
        "5301": (0, D("150.00"), 0, D("150.00")),
    }
    assert tb.totals["debit"] == tb.totals["credit"] == D("10362.50")
    assert tb.totals["closing_debit"] == tb.totals["closing_credit"] == D("6812.50")


def test_next_year_opens_with_the_closed_balances(fund_year, post):
    post("2022-10-05", "เงินสมทบสมาชิก ต.ค. 65", [("1101", 30, 0), ("4101", 0, 30)])
    tb = st.trial_balance(fund_year, *st.period_of(fiscal_year=2566))
    rows = tb_rows(tb)
    assert rows["1101"] == (D("2350.00"), D("30.00"), 0, D("2380.00"))
    assert rows["3101"] == (D("-2350.00"), 0, 0, D("-2350.00"))
    assert rows["4101"] == (0, 0, D("30.00"), D("-30.00"))
    assert "5103" not in rows  # closed to zero and untouched since
    assert tb.totals["opening_debit"] == tb.totals["opening_credit"] == D("3262.50")
    assert tb.is_balanced


def test_draft_lines_are_left_out(book, post):
    """A draft that somehow kept its lines (only possible by bypassing the services) does not count."""
    from chumchon.ledger.models import JournalEntry, Line

    post("2021-10-01", "ยอดยกมา", [("1101", 100, 0), ("3101", 0, 100)])
    draft = JournalEntry.objects.create(book=book, date=datetime.date(2021, 10, 2), memo="ร่าง",
                                        idempotency_key="draft-1", payload_hash="x")
    cash, income = Account.objects.get(book=book, code="1101"), Account.objects.get(book=book, code="4101")
    Line.objects.bulk_create([Line(entry=draft, book=book, account=cash, date=draft.date, debit=50),
                              Line(entry=draft, book=book, account=income, date=draft.date, credit=50)])
    tb = st.trial_balance(book, FY_START, FY_END)
    assert tb_rows(tb)["1101"] == (0, D("100.00"), 0, D("100.00"))
    assert "4101" not in tb_rows(tb)
    assert st.cash_book(book, FY_START, FY_END).line_count == 1


# --- income and expenditure -----------------------------------------------------------------------


def test_income_and_expenditure_by_source(fund_year):
    ie = st.income_expenditure(fund_year, FY_START, FY_END)
    assert [s.source for s in ie.sections] == ["members", "government", "interest"]
    members, government, interest = ie.sections
    assert [(r.account.code, r.amount) for r in members.income] == [("4101", D("900.00"))]
    assert [(r.account.code, r.amount) for r in members.expense] == [
        ("5103", D("400.00")), ("5105", D("3000.00")), ("5301", D("150.00"))]
    assert (members.total_income, members.total_expense, members.surplus) == (D("900.00"), D("3550.00"),
                                                                               D("-2650.00"))
    assert (government.total_income, government.total_expense, government.surplus) == (D("900.00"), 0, D("900.00"))
    assert (interest.total_income, interest.surplus) == (D("12.50"), D("12.50"))
    assert (ie.total_income, ie.total_expense, ie.surplus) == (D("1812.50"), D("3550.00"), D("-1737.50"))


def test_closing_entries_would_zero_the_year(fund_year):
    """Why closing entries are left out: with them, a closed year shows no income at all."""
    ie = st.income_expenditure(fund_year, FY_START, FY_END, exclude_closing=False)
    assert ie.total_income == 0 and ie.total_expense == 0


def test_reopened_and_closed_again_year_is_not_counted_twice(fund_year, system_user):
    services.period_reopen(actor=system_user, book=fund_year, fiscal_year=2565, reason="แก้ไขรายการที่บันทึกผิด")
    reopened = st.income_expenditure(fund_year, FY_START, FY_END)
    assert (reopened.total_income, reopened.total_expense) == (D("1812.50"), D("3550.00"))
    services.period_close(actor=system_user, book=fund_year, fiscal_year=2565)
    closed_again = st.income_expenditure(fund_year, FY_START, FY_END)
    assert (closed_again.total_income, closed_again.total_expense) == (D("1812.50"), D("3550.00"))
    changes = st.changes_in_fund_balance(fund_year, FY_START, FY_END)
    assert changes.row("members").closing == D("2350.00") and changes.totals["closing"] == D("3262.50")


def test_income_and_expenditure_for_one_month(fund_year):
    ie = st.income_expenditure(fund_year, datetime.date(2021, 12, 1), datetime.date(2021, 12, 31))
    assert [(s.source, s.total_income, s.total_expense) for s in ie.sections] == [("members", 0, D("400.00"))]


# --- financial position ---------------------------------------------------------------------------


def test_financial_position_at_year_end(fund_year):
    fp = st.financial_position(fund_year, FY_END)
    assert [(r.account.code, r.amount) for r in fp.assets] == [("1101", D("2350.00")), ("1102", D("912.50"))]
    assert fp.liabilities == []
    assert [(r.account.code, r.amount) for r in fp.fund_balances] == [
        ("3101", D("2350.00")), ("3102", D("900.00")), ("3105", D("12.50"))]
    assert fp.unclosed_surplus == 0
    assert (fp.total_assets, fp.total_liabilities, fp.total_net_assets) == (D("3262.50"), 0, D("3262.50"))
    assert fp.total_assets == fp.total_liabilities + fp.total_net_assets


def test_financial_position_mid_year_shows_the_surplus_not_yet_closed(fund_year):
    fp = st.financial_position(fund_year, datetime.date(2022, 3, 31))
    assert [(r.account.code, r.amount) for r in fp.assets] == [("1101", D("2500.00")), ("1102", D("900.00"))]
    assert [(r.account.code, r.amount) for r in fp.fund_balances] == [("3101", D("5000.00"))]
    assert fp.unclosed_surplus == D("-1600.00")  # 900 + 900 - 400 - 3,000
    assert fp.total_assets == fp.total_net_assets == D("3400.00")
    assert fp.is_balanced


def test_financial_position_with_a_liability(book, post):
    post("2021-10-01", "ยอดยกมา", [("1101", 1000, 0), ("3101", 0, 1000)])
    post("2021-10-02", "รับเงินสมทบล่วงหน้า", [("1101", 360, 0), ("2102", 0, 360)])
    post("2021-10-03", "ค่าสวัสดิการค้างจ่าย", [("5103", 200, 0), ("2101", 0, 200)])
    fp = st.financial_position(book, FY_END)
    assert [(r.account.code, r.amount) for r in fp.liabilities] == [("2101", D("200.00")), ("2102", D("360.00"))]
    assert (fp.total_assets, fp.total_liabilities, fp.unclosed_surplus) == (D("1360.00"), D("560.00"), D("-200.00"))
    assert fp.total_assets == fp.total_liabilities + fp.total_net_assets


# --- changes in fund balance ----------------------------------------------------------------------


def test_changes_in_fund_balance(fund_year):
    changes = st.changes_in_fund_balance(fund_year, FY_START, FY_END)
    got = {r.source: (r.opening, r.surplus, r.transfers, r.closing, r.closed_to_fund) for r in changes.rows}
    assert got == {
        "members": (0, D("-2650.00"), D("5000.00"), D("2350.00"), D("-2650.00")),
        "government": (0, D("900.00"), 0, D("900.00"), D("900.00")),
        "interest": (0, D("12.50"), 0, D("12.50"), D("12.50")),
    }
    assert changes.totals == {"opening": 0, "surplus": D("-1737.50"), "transfers": D("5000.00"),
                              "closing": D("3262.50"), "closed_to_fund": D("-1737.50")}
    # The same figures as the other statements: no double counting of the closing entry.
    assert changes.totals["surplus"] == st.income_expenditure(fund_year, FY_START, FY_END).surplus
    assert changes.totals["closing"] == st.financial_position(fund_year, FY_END).total_net_assets


def test_changes_in_fund_balance_next_year(fund_year, post):
    post("2022-10-05", "เงินสมทบสมาชิก", [("1101", 30, 0), ("4101", 0, 30)])
    post("2022-10-06", "โอนดอกเบี้ยเข้าทุนสมาชิก", [("3105", "12.50", 0), ("3101", 0, "12.50")])
    changes = st.changes_in_fund_balance(fund_year, *st.period_of(fiscal_year=2566))
    got = {r.source: (r.opening, r.surplus, r.transfers, r.closing) for r in changes.rows}
    assert got == {
        "members": (D("2350.00"), D("30.00"), D("12.50"), D("2392.50")),
        "government": (D("900.00"), 0, 0, D("900.00")),
        "interest": (D("12.50"), 0, D("-12.50"), 0),
    }
    assert changes.totals["closing"] == st.financial_position(fund_year, datetime.date(2023, 9, 30)).total_net_assets


# --- general ledger and cash book -----------------------------------------------------------------


def test_general_ledger_of_cash(fund_year):
    gl = st.general_ledger(fund_year, "1101", FY_START, FY_END)
    assert gl.account.code == "1101" and gl.opening == 0 and gl.line_count == 34
    assert [line.balance for line in gl.lines[:2]] == [D("5000.00"), D("5030.00")]
    assert [(line.memo, line.debit, line.credit, line.balance) for line in gl.lines[-3:]] == [
        ("สวัสดิการนอนโรงพยาบาล", 0, D("400.00"), D("5500.00")),
        ("สวัสดิการเสียชีวิต", 0, D("3000.00"), D("2500.00")),
        ("ค่าบริหารจัดการ", 0, D("150.00"), D("2350.00")),
    ]
    assert (gl.total_debit, gl.total_credit, gl.closing) == (D("5900.00"), D("3550.00"), D("2350.00"))
    assert gl.lines[0].date == FY_START and gl.lines[0].entry_id


def test_general_ledger_of_a_credit_account_runs_on_the_credit_side(fund_year):
    gl = st.general_ledger(fund_year, "3101", FY_START, FY_END)
    assert [line.balance for line in gl.lines] == [D("5000.00"), D("2350.00")]
    assert gl.closing == D("2350.00")


def test_general_ledger_page_brings_the_balance_forward(fund_year):
    page = st.general_ledger(fund_year, "1101", FY_START, FY_END, offset=10, limit=5)
    assert page.brought_forward == D("5270.00")  # 5,000 + 9 x 30
    assert [line.balance for line in page.lines] == [D("5300.00"), D("5330.00"), D("5360.00"), D("5390.00"),
                                                     D("5420.00")]
    assert page.line_count == 34 and page.closing == D("2350.00")


def test_general_ledger_next_year_opens_with_the_balance(fund_year, post):
    post("2022-10-05", "เงินสมทบสมาชิก", [("1101", 30, 0), ("4101", 0, 30)])
    gl = st.general_ledger(fund_year, "1101", *st.period_of(fiscal_year=2566))
    assert (gl.opening, gl.line_count, gl.lines[0].balance, gl.closing) == (D("2350.00"), 1, D("2380.00"),
                                                                          D("2380.00"))


def test_general_ledger_of_an_unknown_account(fund_year):
    with pytest.raises(st.StatementError) as exc:
        st.general_ledger(fund_year, "9999", FY_START, FY_END)
    assert "ไม่พบบัญชี" in str(exc.value) and "no account" in str(exc.value)


def test_cash_book(fund_year):
    cash = st.cash_book(fund_year, FY_START, FY_END)
    assert cash.opening == 0 and cash.line_count == 36
    assert (cash.total_debit, cash.total_credit, cash.closing) == (D("6812.50"), D("3550.00"), D("3262.50"))
    assert {line.account_code for line in cash.lines} == {"1101", "1102"}
    assert cash.lines[-1].balance == D("3262.50")
    # the grant lands on 5,900 cash; the interest after both benefits: 6,800 - 400 - 3,000 + 12.50
    assert [line.balance for line in cash.lines if line.account_code == "1102"] == [D("6800.00"), D("3412.50")]


# --- areas ----------------------------------------------------------------------------------------


@pytest.fixture
def two_books(fund_year, other_book, post):
    """Fund B (Khon Kaen) keeps its cash under a local code; the standard code (1101) adds it up."""
    Account.objects.filter(book=other_book, code="1101").update(code="B-CASH", name_th="เงินสดกองทุน B")
    post("2021-10-01", "ยอดยกมา", [("B-CASH", 200, 0), ("3101", 0, 200)], target=other_book)
    post("2021-11-01", "เงินสมทบสมาชิก", [("B-CASH", 100, 0), ("4101", 0, 100)], target=other_book)
    post("2022-02-01", "สวัสดิการนอนโรงพยาบาล", [("5103", 40, 0), ("B-CASH", 0, 40)], target=other_book)
    return fund_year, other_book


def test_nation_adds_books_up_by_standard_code(two_books):
    tb = st.trial_balance(st.area_scope("nation"), FY_START, FY_END, exclude_closing=True)
    rows = tb_rows(tb)
    assert rows["1101"] == (0, D("6200.00"), D("3590.00"), D("2610.00"))  # A 5,900/3,550 + B 300/40
    assert rows["3101"] == (0, 0, D("5200.00"), D("-5200.00"))
    assert rows["4101"] == (0, 0, D("1000.00"), D("-1000.00"))
    assert rows["5103"] == (0, D("440.00"), 0, D("440.00"))
    assert "B-CASH" not in rows and tb.is_balanced
    assert next(r for r in tb.rows if r.account.code == "1101").account.name_th in {"เงินสด", "เงินสดกองทุน B"}
    ie = st.income_expenditure(st.area_scope("nation"), FY_START, FY_END)
    assert ie.section("members").total_income == D("1000.00") and ie.section("members").total_expense == D("3590.00")
    fp = st.financial_position(st.area_scope("nation"), FY_END)
    assert fp.total_assets == D("3522.50") and fp.unclosed_surplus == D("60.00") and fp.is_balanced


def test_province_adds_up_only_its_books(two_books):
    chiang_mai = st.trial_balance(st.area_scope("province", "50"), FY_START, FY_END)
    khon_kaen = st.trial_balance(st.area_scope("province", "40"), FY_START, FY_END)
    assert tb_rows(chiang_mai)["1101"][3] == D("2350.00")
    assert tb_rows(khon_kaen)["1101"][3] == D("260.00")
    assert tb_rows(chiang_mai) == tb_rows(st.trial_balance(two_books[0], FY_START, FY_END))
    north = Region.objects.get(scheme__is_default=True, code="north")
    assert tb_rows(st.trial_balance(st.area_scope("region", north.pk), FY_START, FY_END)) == tb_rows(chiang_mai)
    assert tb_rows(st.trial_balance(st.area_scope("district", "5002"), FY_START, FY_END)) == tb_rows(chiang_mai)
    assert tb_rows(st.trial_balance(st.area_scope("subdistrict", "400101"), FY_START, FY_END)) == tb_rows(khon_kaen)
    assert st.trial_balance(st.area_scope("province", "10"), FY_START, FY_END).rows == []


def test_area_general_ledger_and_cash_book_show_the_book(two_books):
    gl = st.general_ledger(st.area_scope("nation"), "1101", FY_START, FY_END)
    assert gl.line_count == 37 and gl.closing == D("2610.00")
    assert {line.book_code for line in gl.lines} == {"A-001", "B-001"}
    assert st.cash_book(st.area_scope("province", "40"), FY_START, FY_END).closing == D("260.00")


def test_area_names_and_unknown_areas(db):
    assert st.area_scope("subdistrict", "500203").name_th == "ตำบลบ้านหลวง อำเภอจอมทอง จังหวัดเชียงใหม่"
    assert st.area_scope("province", "10").name_th == "กรุงเทพมหานคร"
    assert st.area_scope("nation").code == "TH"
    for level, code in [("province", "99"), ("district", "9999"), ("region", "0"), ("region", "north"),
                        ("village", "1")]:
        with pytest.raises(st.StatementError):
            st.books_in_area(level, code)


def test_period_labels():
    assert st.period_label(FY_START, FY_END) == "ปีงบประมาณ 2565 (1 ต.ค. 2564 – 30 ก.ย. 2565)"
    assert st.period_label(FY_START, FY_END, "en") == "FY 2565 (1 Oct 2021 – 30 Sep 2022)"
    assert st.period_label(FY_START, datetime.date(2021, 10, 31)) == "1 ต.ค. 2564 – 31 ต.ค. 2564"
    assert st.period_label(None, FY_END) == "ณ วันที่ 30 กันยายน 2565 (สิ้นปีงบประมาณ 2565)"
    with pytest.raises(st.StatementError):
        st.period_of(start=FY_END, end=FY_START)


# --- exports --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(st.KINDS))
def test_every_statement_exports_to_every_format(fund_year, kind):
    statement = st.statement(kind, fund_year, FY_START, FY_END, account_code="1101")
    assert json.loads(exports.to_json(statement)) == json.loads(json.dumps(statement.to_dict()))
    assert exports.to_csv(statement).startswith(b"\xef\xbb\xbf")
    assert exports.to_xlsx(statement)[:2] == b"PK"
    assert exports.filename(statement, "pdf") == f"{kind}_A-001_2565.pdf"


def test_json_is_ready_for_machines(fund_year):
    data = json.loads(exports.to_json(st.trial_balance(fund_year, FY_START, FY_END)))
    assert data["statement"] == "trial-balance" and data["title_th"] == "งบทดลอง"
    assert data["period"] == {"start": "2021-10-01", "end": "2022-09-30",
                              "label_th": "ปีงบประมาณ 2565 (1 ต.ค. 2564 – 30 ก.ย. 2565)",
                              "label_en": "FY 2565 (1 Oct 2021 – 30 Sep 2022)"}
    assert data["totals"]["debit"] == "14825.00" and data["balanced"] is True
    assert data["rows"][0] == {"account": {"code": "1101", "name_th": "เงินสด", "name_en": "Cash", "type": "asset",
                                           "fund_source": ""},
                               "opening_debit": "0.00", "opening_credit": "0.00", "debit": "5900.00",
                               "credit": "3550.00", "closing_debit": "2350.00", "closing_credit": "0.00"}


def test_csv_has_a_bom_thai_headings_and_be_dates(fund_year):
    data = exports.to_csv(st.general_ledger(fund_year, "1101", FY_START, FY_END))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [f"{fund_year.name_th} (A-001)"]
    assert rows[1] == ["บัญชีแยกประเภท (General ledger)"]
    assert rows[2] == ["ปีงบประมาณ 2565 (1 ต.ค. 2564 – 30 ก.ย. 2565)"]
    header = next(r for r in rows if r and r[0] == "วันที่")
    assert header[-3:] == ["เดบิต", "เครดิต", "คงเหลือ"]
    first_line = rows[rows.index(header) + 2]
    assert first_line[0] == "01/10/2564" and first_line[-3:] == ["5000.00", "", "5000.00"]
    assert rows[-1][-1] == "2350.00" and "ยอดคงเหลือยกไป" in rows[-1]


def test_a_memo_that_reads_like_a_formula_is_text_and_a_deficit_stays_a_number(fund_year, post):
    """CSV/xlsx injection: a memo typed as ``=HYPERLINK(…)`` is a string cell in xlsx and behind a single quote in
    CSV; the year's deficit (−1,737.50) is still a plain number in CSV."""
    import zipfile

    from openpyxl import load_workbook

    link = '=HYPERLINK("http://evil.example/?x","ดูเอกสารแนบ")'
    post("2022-10-05", link, [("5301", 10, 0), ("1101", 0, 10)])
    ledger = st.general_ledger(fund_year, "1101", datetime.date(2022, 10, 1), datetime.date(2022, 10, 31))
    rows = list(csv.reader(io.StringIO(exports.to_csv(ledger).decode("utf-8-sig"))))
    assert any("'" + link in r for r in rows) and not any(c.startswith("=") for r in rows for c in r)
    data = exports.to_xlsx(ledger)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    cells = [c for r in load_workbook(io.BytesIO(data)).active.iter_rows() for c in r if c.value == link]
    assert len(cells) == 1 and cells[0].data_type == "s"
    income = list(csv.reader(io.StringIO(exports.to_csv(st.income_expenditure(fund_year, FY_START, FY_END))
                                         .decode("utf-8-sig"))))
    assert any("-1737.50" in r for r in income) and not any(c.startswith("'-1") for r in income for c in r)


def test_xlsx_has_thai_headers_money_format_and_bold_totals(fund_year):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(exports.to_xlsx(st.trial_balance(fund_year, FY_START, FY_END))))
    sheet = workbook.active
    assert sheet.title == "งบทดลอง"
    assert sheet["A1"].value == f"{fund_year.name_th} (A-001)" and sheet["A2"].value == "งบทดลอง (Trial balance)"
    assert sheet["A3"].value == "ปีงบประมาณ 2565 (1 ต.ค. 2564 – 30 ก.ย. 2565)"
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "รหัสบัญชี")
    assert header[1] == "ชื่อบัญชี" and header[4] == "ระหว่างงวด เดบิต"
    total_index = next(i for i, r in enumerate(rows, start=1) if r[1] == "รวม")
    assert [float(v) for v in rows[total_index - 1][2:]] == [0, 0, 14825, 14825, 3262.5, 3262.5]
    total = sheet.cell(row=total_index, column=5)
    assert total.font.bold and total.number_format == "#,##0.00"
    cash_row = next(i for i, r in enumerate(rows, start=1) if r[0] == "1101")
    assert sheet.cell(row=cash_row, column=5).number_format == "#,##0.00"
    assert sheet.column_dimensions["B"].width >= 30


def test_xlsx_dates_are_buddhist_era(fund_year):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(exports.to_xlsx(st.cash_book(fund_year, FY_START, FY_END)))).active
    dates = [row[0] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], str) and "/25" in row[0]]
    assert dates[0] == "01/10/2564" and dates[-1] == "15/09/2565"


def test_pdf_is_thai_with_the_embedded_sarabun_font(fund_year, tmp_path):
    data = exports.to_pdf(st.income_expenditure(fund_year, FY_START, FY_END))
    assert data.startswith(b"%PDF")
    if not shutil.which("pdftotext") or not shutil.which("pdffonts"):
        pytest.skip("poppler-utils (pdftotext, pdffonts) not installed")
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "งบรายได้และค่าใช้จ่าย" in text and "Income and expenditure by fund source" in text
    assert "ปีงบประมาณ 2565" in text and "3,550.00" in text and "-1,737.50" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Chumchon-Sarabun-Thai" in fonts and "Chumchon-Sarabun-Latin" in fonts


def test_pdf_refuses_to_fetch_anything_but_its_fonts(book, post):
    post("2021-10-01", '<img src="file:///etc/passwd"> ยอดยกมา', [("1101", 10, 0), ("3101", 0, 10)])
    from chumchon.core import pdf

    fetcher = pdf._fonts_only_fetcher()
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch("file:///etc/passwd")
    assert exports.to_pdf(st.cash_book(book, FY_START, FY_END)).startswith(b"%PDF")


def test_too_long_a_listing_for_a_pdf_is_refused(fund_year, world, login, monkeypatch):
    monkeypatch.setattr(exports, "MAX_PDF_LINES", 10)
    with pytest.raises(st.StatementError) as exc:
        exports.to_pdf(st.cash_book(fund_year, FY_START, FY_END))
    assert "PDF" in str(exc.value) and "xlsx" in str(exc.value)
    client = login(world["users"]["committee_a"])
    assert client.get(statement_url("cash-book", fy=2565, format="pdf")).status_code == 400
    assert client.get(statement_url("cash-book", fy=2565, format="xlsx")).status_code == 200


def test_unknown_format_is_refused(fund_year):
    with pytest.raises(st.StatementError):
        exports.render(st.trial_balance(fund_year, FY_START, FY_END), "docx")


# --- pages ----------------------------------------------------------------------------------------


def statement_url(kind, book_code="A-001", **query):
    url = reverse("ledger_statements:book_statement", kwargs={"book_code": book_code, "kind": kind})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def area_url(level, code, kind=None, **query):
    if kind is None:
        url = reverse("ledger_statements:area_index", kwargs={"level": level, "code": code})
    else:
        url = reverse("ledger_statements:area_statement", kwargs={"level": level, "code": code, "kind": kind})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize("kind", list(st.KINDS))
def test_fund_committee_sees_every_statement(fund_year, world, login, kind):
    response = login(world["users"]["committee_a"]).get(statement_url(kind, fy=2565, account="1101"))
    assert response.status_code == 200


def test_trial_balance_page(fund_year, world, login, django_assert_max_num_queries):
    client = login(world["users"]["committee_a"])
    with django_assert_max_num_queries(8):
        response = client.get(statement_url("trial-balance", fy=2565))
    body = response.content.decode()
    assert "14,825.00" in body and "3,262.50" in body and "2565" in body
    # each account leads to its general ledger for the same year, whose lines lead to their entries
    ledger = statement_url("general-ledger", fy=2565) + "&amp;account=1101"
    assert f'href="{ledger}"' in body
    listing = client.get(statement_url("general-ledger", fy=2565, account="1101")).content.decode()
    assert "/ledger/A-001/entries/" in listing and "JV2565-" in listing


def test_listing_page_queries_do_not_grow_with_lines(fund_year, world, login, django_assert_max_num_queries):
    client = login(world["users"]["committee_a"])
    with django_assert_max_num_queries(9):
        response = client.get(statement_url("cash-book", fy=2565))
    assert "1 ต.ค. 2564" in response.content.decode() and "3,262.50" in response.content.decode()


def test_a_running_year_is_taken_as_at_today(fund_year, world, login):
    """The financial position of the year still running is as at today, never at its 30 September to come."""
    from django.utils import timezone

    from chumchon.core.thai.dates import format_date
    from chumchon.core.thai.fiscal import fiscal_year_of

    today = timezone.localdate()
    client = login(world["users"]["committee_a"])
    for url in (statement_url("financial-position"), statement_url("financial-position",
                                                                   fy=fiscal_year_of(today).be_year)):
        response = client.get(url)
        assert response.context["end"] == today, url
        assert f"ณ วันที่ {format_date(today, 'long', 'th')}" in response.content.decode()
    assert client.get(statement_url("financial-position", fy=2565)).context["end"] == datetime.date(2022, 9, 30)


def test_other_fund_committee_gets_404(fund_year, world, login):
    client = login(world["users"]["committee_b"])
    assert client.get(statement_url("trial-balance", fy=2565)).status_code == 404
    assert client.get(statement_url("trial-balance", fy=2565, format="pdf")).status_code == 404
    assert client.get(reverse("ledger_statements:book_index", args=["A-001"])).status_code == 404


def test_anonymous_is_sent_to_log_in(fund_year, client):
    response = client.get(statement_url("trial-balance"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_book_index_links_every_statement(fund_year, world, login):
    url = reverse("ledger_statements:book_index", args=["A-001"]) + "?fy=2565"
    response = login(world["users"]["auditor"]).get(url)
    assert response.status_code == 200
    for kind in st.KINDS:
        assert statement_url(kind) + "?fy=2565" in response.content.decode()


@pytest.mark.parametrize("fmt, content_type, start", [
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    ("pdf", "application/pdf", b"%PDF"),
    ("csv", "text/csv; charset=utf-8", b"\xef\xbb\xbf"),
    ("json", "application/json", b"{"),
])
def test_downloads(fund_year, world, login, fmt, content_type, start):
    response = login(world["users"]["committee_a"]).get(statement_url("income-expenditure", fy=2565, format=fmt))
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response.content.startswith(start)
    assert f'filename="income-expenditure_A-001_2565.{fmt}"' in response["Content-Disposition"]


def test_general_ledger_page_asks_for_an_account_then_lists_it(fund_year, world, login):
    client = login(world["users"]["committee_a"])
    picker = client.get(statement_url("general-ledger", fy=2565))
    assert picker.status_code == 200 and "account=1101" in picker.content.decode()
    listing = client.get(statement_url("general-ledger", fy=2565, account="1101"))
    assert "2,350.00" in listing.content.decode() and "สวัสดิการเสียชีวิต" in listing.content.decode()
    assert client.get(statement_url("general-ledger", fy=2565, account="9999")).status_code == 404


def test_date_range_and_bad_input(fund_year, world, login):
    client = login(world["users"]["committee_a"])
    october = client.get(statement_url("trial-balance", **{"from": "1/10/2564", "to": "31/10/2564"}))
    assert october.status_code == 200 and "5,900.00" in october.content.decode()
    bad = client.get(statement_url("trial-balance", fy="abc"))
    assert bad.status_code == 400 and "ปีงบประมาณ" in bad.content.decode()
    assert client.get(statement_url("no-such-statement")).status_code == 404
    assert client.get(statement_url("trial-balance", format="docx")).status_code == 404


@pytest.mark.parametrize("user, level, code, status", [
    ("province_a", "province", "50", 200),
    ("province_a", "district", "5002", 200),
    ("province_a", "subdistrict", "500203", 200),
    ("province_a", "province", "40", 404),  # another province
    ("province_a", "nation", "TH", 404),  # a province role does not cover the country
    ("province_a", "district", "5001", 404),  # covered, but no books there
    ("council_a", "subdistrict", "500203", 200),
    ("council_a", "district", "5002", 404),
    ("committee_a", "province", "50", 404),  # a fund role never covers an area
    ("auditor", "nation", "TH", 200),
    ("auditor", "nation", "XX", 404),
    ("auditor", "province", "99", 404),
    ("auditor", "planet", "1", 404),
])
def test_area_statement_access(two_books, world, login, user, level, code, status):
    response = login(world["users"][user]).get(area_url(level, code, "trial-balance", fy=2565))
    assert response.status_code == status


def test_region_page_adds_up_the_region(two_books, world, login):
    north = Region.objects.get(scheme__is_default=True, code="north")
    client = login(world["users"]["regional_north"])
    response = client.get(area_url("region", north.pk, "trial-balance", fy=2565))
    assert response.status_code == 200 and "14,825.00" in response.content.decode()
    northeast = Region.objects.get(scheme__is_default=True, code="northeast")
    assert client.get(area_url("region", northeast.pk, "trial-balance", fy=2565)).status_code == 404
    assert client.get(area_url("region", north.pk)).status_code == 200


def test_nation_page_and_download_add_up_both_books(two_books, world, login):
    client = login(world["users"]["auditor"])
    response = client.get(area_url("nation", "TH", "income-expenditure", fy=2565))
    assert response.status_code == 200 and "1,000.00" in response.content.decode()
    data = json.loads(client.get(area_url("nation", "TH", "trial-balance", fy=2565, format="json")).content)
    assert data["scope"] == {"level": "nation", "code": "TH", "name_th": "ทั่วประเทศ", "name_en": "Whole country"}
    assert data["totals"]["closing_debit"] == "3562.50"  # 1101 2,610 + 1102 912.50 + 5103 40 (B not closed)


def test_the_income_statement_page_names_sources_as_its_files_do(fund_year, world, login):
    client = login(world["users"]["committee_a"])
    body = client.get(statement_url("income-expenditure", fy=2565)).content.decode()
    th, _en = st.source_labels("members")
    assert f"แหล่งเงินทุน: {th}" in body
