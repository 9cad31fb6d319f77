"""Fund reports, worked through by hand for fiscal year 2565 (1 Oct 2021 – 30 Sep 2022).

Fund A, 1 baht a day. Members 00001–00003 (no village) and 00004–00006 joined 1 Jan 2020; 00007 joined
1 Feb 2022. Villages: 00004 and 00005 in Moo 1, 00006 and 00007 in Moo 2.

Contributions (the day paid decides the month and the year):
  15 Oct 2021  Moo 1 sheet: 00004 1,095 (to 30 Dec 2022), 00005 730 (to 30 Dec 2021)      Moo 1   1,825
  20 Nov 2021  Moo 2 sheet: 00006 365 (to 30 Dec 2020)                                     Moo 2     365
  10 Jan 2022  00004 30 (Moo 1); 12 Jan 2022 00001 90 (no village, to 30 Mar 2020)        Jan       120
   3 Oct 2022  00005 30 — fiscal year 2566, not in 2565
  FY 2565: Moo 1 1,855 + Moo 2 365 + no village 90 = 2,310; four members paid.
Grants: government 10,000 (1 Mar 2022), local administration 2,000 (1 Jun 2022).
Benefits paid: newborn 500 to 00004 (5 Feb 2022); hospital 2 nights 400 to 00005 (3 Mar 2022) and 3 nights 600
(the cap per stay) to 00004 (2 May 2022) — 1,500 to two people. A newborn claim for 00006 (457 days behind) was
rejected on 5 Apr 2022.
Members: 00003 resigned 30 Jun 2022; 00002 resigned 1 Nov 2022 (after the year).
"""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chumchon.access.roles import Role, ScopeKind
from chumchon.ledger import services as ledger_services
from chumchon.ledger.models import Line
from chumchon.welfare import report_exports, reports, services
from chumchon.welfare.models import BenefitKind, Membership

pytestmark = pytest.mark.django_db
D = datetime.date
FY = 2565
YEAR_END = D(2022, 9, 30)


def _pay(actor, membership, amount, date, key):
    return services.contribution_receive(actor=actor, membership=membership, amount=amount, date=date,
                                         idempotency_key=key)


def _claim(treasurer, chair, membership, kind, event, key, *, units=1, paid_on=None, reject_on=None):
    claim = services.claim_submit(actor=treasurer, membership=membership, kind=BenefitKind.objects.get(code=kind),
                                  event_date=event, units=units, consent=True, idempotency_key=key)
    if reject_on is not None:
        decided = datetime.datetime.combine(reject_on, datetime.time(10), tzinfo=datetime.UTC)
        with mock.patch("django.utils.timezone.now", return_value=decided):
            return services.claim_decide(actor=chair, claim=claim, approve=False, reason="ค้างส่งเงินสมทบเกินกำหนด")
    claim = services.claim_decide(actor=chair, claim=claim, approve=True)
    return services.claim_pay(actor=treasurer, claim=claim, date=paid_on)


@pytest.fixture
def year(world, fund, members, make_person, make_user, system_user):
    """Fiscal year 2565 of fund A as in the module docstring; returns the memberships by number."""
    treasurer = world["users"]["committee_a"]
    chair = make_user("chair_a", Role.FUND_CHAIR, ScopeKind.ORGANISATION, fund.organisation)
    make_person("500203", fund=fund, first_name="สมศรี", last_name="มีสุข", title="นาง", sex="F",
                birth_date=D(1960, 5, 10), village_number=1)
    make_person("500203", fund=fund, first_name="สมปอง", last_name="ทองดี", title="นาย", sex="M",
                birth_date=D(1985, 12, 1), village_number=1)
    make_person("500203", fund=fund, first_name="มานี", last_name="ใจงาม", sex="F", birth_date=D(2000, 1, 15),
                village_number=2)
    newcomer = make_person("500203", first_name="ชูใจ", last_name="รักดี", village_number=2)
    services.membership_enrol(actor=system_user, fund=fund, person=newcomer, member_number="00007",
                              joined_on=D(2022, 2, 1))
    m = {x.member_number: x for x in Membership.objects.filter(fund=fund)}

    services.collection_sheet_post(actor=treasurer, fund=fund, date=D(2021, 10, 15), village_number=1,
                                   idempotency_key="moo1-oct", payments=[
                                       services.SheetPayment(m["00004"], Decimal(1095)),
                                       services.SheetPayment(m["00005"], Decimal(730))])
    services.collection_sheet_post(actor=treasurer, fund=fund, date=D(2021, 11, 20), village_number=2,
                                   idempotency_key="moo2-nov", payments=[services.SheetPayment(m["00006"], 365)])
    _pay(treasurer, m["00004"], 30, D(2022, 1, 10), "r-00004-jan")
    _pay(treasurer, m["00001"], 90, D(2022, 1, 12), "r-00001-jan")
    services.grant_receive(actor=treasurer, fund=fund, source="government", amount=10000, date=D(2022, 3, 1),
                           members_covered=6, idempotency_key="g-gov")
    services.grant_receive(actor=treasurer, fund=fund, source="local", amount=2000, date=D(2022, 6, 1),
                           members_covered=6, idempotency_key="g-local")

    _claim(treasurer, chair, m["00004"], "newborn", D(2022, 2, 1), "c1", paid_on=D(2022, 2, 5))
    _claim(treasurer, chair, m["00005"], "hospital", D(2022, 3, 1), "c2", units=2, paid_on=D(2022, 3, 3))
    _claim(treasurer, chair, m["00006"], "newborn", D(2022, 4, 1), "c3", reject_on=D(2022, 4, 5))
    _claim(treasurer, chair, m["00004"], "hospital", D(2022, 5, 1), "c4", units=3, paid_on=D(2022, 5, 2))

    services.membership_end(actor=system_user, membership=m["00003"], status="resigned", on=D(2022, 6, 30))
    services.membership_end(actor=system_user, membership=m["00002"], status="resigned", on=D(2022, 11, 1))
    _pay(treasurer, m["00005"], 30, D(2022, 10, 3), "r-00005-next-year")
    return m


# --- contributions by month and village -------------------------------------------------------------


def test_contributions_by_month_and_village(year, fund):
    r = reports.contributions_by_month(fund, FY)
    assert [c.header_th for c in r.columns] == ["เดือน", "หมู่ 1", "หมู่ 2", "ไม่ระบุหมู่", "รวม",
                                                "สมาชิกที่ส่ง (คน)"]
    assert [row[0] for row in r.rows] == ["ต.ค. 2564", "พ.ย. 2564", "ธ.ค. 2564", "ม.ค. 2565", "ก.พ. 2565",
                                          "มี.ค. 2565", "เม.ย. 2565", "พ.ค. 2565", "มิ.ย. 2565", "ก.ค. 2565",
                                          "ส.ค. 2565", "ก.ย. 2565"]
    assert r.rows[0][1:] == (Decimal(1825), 0, 0, Decimal(1825), 2)
    assert r.rows[1][1:] == (0, Decimal(365), 0, Decimal(365), 1)
    assert r.rows[3][1:] == (Decimal(30), 0, Decimal(90), Decimal(120), 2)
    assert r.rows[11][1:] == (0, 0, 0, 0, 0)
    # Each paying member counted once over the year, not 2 + 1 + 2.
    assert r.totals == ("รวมทั้งปี", Decimal(1855), Decimal(365), Decimal(90), Decimal(2310), 4)
    assert r.landscape and r.period_th.startswith("ปีงบประมาณ 2565 (1 ต.ค. 2564 – 30 ก.ย. 2565)")


def test_contributions_agree_with_the_books(year, fund):
    lines = Line.objects.filter(book=fund.organisation.book, account__code="4101", date__gte=D(2021, 10, 1),
                                date__lte=YEAR_END)
    assert sum(line.credit - line.debit for line in lines) == reports.contributions_by_month(fund, FY).totals[4]


def test_next_year_has_only_its_own_contributions(year, fund):
    r = reports.contributions_by_month(fund, 2566)
    assert r.totals == ("รวมทั้งปี", Decimal(30), Decimal(30), 1)


# --- member register and arrears ---------------------------------------------------------------------


def test_member_register_at_the_year_end(year, fund):
    r = reports.member_register(fund, YEAR_END)
    by_number = {row[0]: row for row in r.rows}
    assert list(by_number) == ["00001", "00002", "00003", "00004", "00005", "00006", "00007"]
    number, name, masked, sex, birth, age, moo, joined, status, paid_through, days = by_number["00004"]
    assert (name, sex, birth, age, moo, joined, status) == ("นางสมศรี มีสุข", "หญิง", D(1960, 5, 10), 62, 1,
                                                           D(2020, 1, 1), "ปกติ")
    assert masked.startswith("x-xxxx-xxxxx-") and (paid_through, days) == (D(2023, 1, 29), 0)
    assert by_number["00005"][5] == 36  # born 1 Dec 1985: not yet 37 on 30 Sep 2022
    # 00005 paid again on 3 Oct 2022; on 30 Sep 2022 they had paid to 30 Dec 2021 only.
    assert by_number["00005"][9:] == (D(2021, 12, 30), 274)
    assert by_number["00003"][8:] == ("ลาออก", None, None)
    assert by_number["00002"][8:] == ("ปกติ", None, 1004)  # resigned later, active then
    assert r.totals[:2] == ("รวม", "7 คน (สมาชิกปกติ 6 คน)")


def test_member_register_never_shows_a_full_national_id(year, fund):
    r = reports.member_register(fund, YEAR_END)
    full = year["00004"].person.personal_data.national_id
    assert all(full not in str(cell) for row in r.rows for cell in row)
    assert {row[2] for row in r.rows if row[0] == "00004"} == {f"x-xxxx-xxxxx-{full[-3:-1]}-{full[-1]}"}


def test_member_register_before_a_member_joined(year, fund):
    rows = reports.member_register(fund, D(2022, 1, 31)).rows
    assert [row[0] for row in rows] == ["00001", "00002", "00003", "00004", "00005", "00006"]
    assert rows[2][8] == "ปกติ"


def test_arrears_list_at_the_year_end(year, fund):
    r = reports.arrears_list(fund, YEAR_END)
    assert [(row[0], row[2], row[3], row[4], row[5]) for row in r.rows] == [
        ("00005", 1, D(2021, 12, 30), 274, Decimal(274)),
        ("00006", 2, D(2020, 12, 30), 639, Decimal(639)),
        ("00007", 2, None, 242, Decimal(242)),
        ("00001", None, D(2020, 3, 30), 914, Decimal(914)),
        ("00002", None, None, 1004, Decimal(1004)),
    ]
    assert r.totals == ("รวม", "5 คน", None, None, None, Decimal("3073.00"), None)
    assert "ค้างส่งเกิน 90 วัน" in r.notes[0]


def test_arrears_list_with_another_limit_and_the_daily_rate(year, fund):
    fund.daily_rate = Decimal("2.00")
    r = reports.arrears_list(fund, YEAR_END, days=300)
    assert [row[0] for row in r.rows] == ["00006", "00001", "00002"]
    assert r.totals[5] == Decimal("5114.00")  # (639 + 914 + 1004) × 2


def test_arrears_list_shows_the_lapse_notice(year, fund, system_user):
    # 00002 has resigned since: no notice
    services.memberships_lapse(actor=system_user, fund=fund, history=True, on=YEAR_END)
    rows = reports.arrears_list(fund, YEAR_END).rows
    assert {row[0]: row[6] for row in rows} == {"00005": YEAR_END, "00006": YEAR_END, "00007": YEAR_END,
                                                "00001": YEAR_END, "00002": None}
    assert {row[6] for row in reports.arrears_list(fund, D(2022, 9, 29)).rows} == {None}


# --- benefits -----------------------------------------------------------------------------------------


def test_receipt_register(year, fund, system_user):
    """RC2565-00001…00005 in number order (the two sheets, then the January receipts); RC2565-00005, 00001's 90
    baht, is cancelled: five issued, one cancelled, 2,220 standing (2,310 − 90), no number missing."""
    receipt = reports.receipt_register(fund, FY)
    assert [r[0] for r in receipt.rows] == [f"RC2565-0000{n}" for n in range(1, 6)]
    assert receipt.totals[4] == Decimal("2310.00")
    latest = year["00001"].contributions.get()
    services.contribution_void(actor=system_user, contribution=latest, reason="รับเงินผิดคน", idempotency_key="v")
    receipt = reports.receipt_register(fund, FY)
    assert receipt.rows[-1][5:] == ("ยกเลิก", "รับเงินผิดคน") and receipt.rows[0][5] == "ใช้ได้"
    assert receipt.totals[3] == "ออก 5 ฉบับ ยกเลิก 1 ฉบับ" and receipt.totals[4] == Decimal("2220.00")
    assert "run without a gap" in receipt.notes[-1]
    assert [r[0] for r in reports.receipt_register(fund, 2566).rows] == ["RC2566-00001"]


def test_receipt_register_names_the_numbers_missing(two):
    from chumchon.welfare.models import Contribution

    from .conftest import receipt

    Contribution.objects.bulk_create([receipt(two["a"], two["member_a"], two["entry_a"], n)
                                      for n in ("RC2565-00001", "RC2565-00004", "2565/0000007")])
    notes = reports.receipt_register(two["a"], FY).notes
    assert "RC2565-00002, RC2565-00003 (numbers missing" in notes[-1]


def test_voucher_register(year, fund, system_user):
    """PV2565-00001…00003: the newborn 500 (00004), the hospital 400 (00005) and 600 (00004), 1,500 in all; the
    400 cancelled: three vouchers, one cancelled, 1,100 paid. The benefit's kind is not on it (health data)."""
    from chumchon.welfare.models import Claim

    register = reports.voucher_register(fund, FY)
    assert [r[0] for r in register.rows] == ["PV2565-00001", "PV2565-00002", "PV2565-00003"]
    assert register.totals[5] == Decimal("1500.00") and "run without a gap" in register.notes[-1]
    hospital = Claim.objects.get(voucher_number="PV2565-00002")
    services.claim_payment_void(actor=system_user, claim=hospital, reason="จ่ายผิดคน", idempotency_key="v")
    register = reports.voucher_register(fund, FY)
    assert register.rows[1][6:] == ("ยกเลิก", "จ่ายผิดคน") and register.totals[5] == Decimal("1100.00")
    assert all("โรงพยาบาล" not in str(cell) for row in register.rows for cell in row)  # no health data on it


def test_who_received_benefits_is_for_those_who_see_claims(year, world, client, login):
    """The voucher register names benefit recipients: the subdistrict's council officer, who may read the fund's
    pages but not its claims, neither sees it listed nor opens it; the receipt register stays open to them."""
    login(world["users"]["council_a"])
    index = client.get(reverse("welfare:report_index", args=["A-001"]))
    assert "vouchers" not in {r["kind"] for r in index.context["reports"]}
    assert client.get(_url("vouchers", fy=FY)).status_code == 404
    assert client.get(_url("receipts", fy=FY)).status_code == 200
    login(world["users"]["committee_a"])
    assert client.get(_url("vouchers", fy=FY)).status_code == 200


def test_benefits_by_kind(year, fund):
    r = reports.benefits_by_kind(fund, FY)
    assert r.rows == [("คลอดบุตร", 1, 1, Decimal(500), 1), ("นอนโรงพยาบาล", 2, 2, Decimal(1000), 0)]
    assert r.totals == ("รวม", 3, 2, Decimal(1500), 1)  # 00004 received two benefits: two people in all
    assert reports.benefits_by_kind(fund, 2566).rows == []


# --- the yearly report --------------------------------------------------------------------------------


def _section(report, title_en):
    return next(t for t in report.sections if t.title_en == title_en)


def test_yearly_report(year, fund):
    r = reports.yearly_report(fund, FY)
    members = _section(r, "Members")
    assert [row[1] for row in members.rows] == [6, 1, 1, 0, 0, 0]  # start, new, resigned, deceased, lapsed, moved
    assert members.rows[0][0] == "สมาชิกต้นปี (ณ วันที่ 30 ก.ย. 2564)"
    assert members.totals == ("สมาชิกคงอยู่ ณ วันที่ 30 ก.ย. 2565", 6)  # 6 + 1 − 1
    assert _section(r, "Member contributions").rows == [("เงินสมทบจากสมาชิก (วันละบาท)", 5, 4, Decimal(2310))]
    grants = _section(r, "Matching grants by source")
    assert grants.rows == [("เงินสมทบรัฐบาลผ่าน พอช.", 1, 6, Decimal(10000)), ("เงินสมทบ อปท.", 1, 6, Decimal(2000))]
    assert grants.totals == ("รวม", 2, None, Decimal(12000))
    assert _section(r, "Benefits paid by kind").totals == ("รวม", 3, 2, Decimal(1500), 1)
    income = _section(r, "Income (from the books)")
    assert [(row[0], row[2]) for row in income.rows] == [("4101", 2310), ("4201", 10000), ("4202", 2000)]
    assert income.totals[2] == Decimal(14310)
    assert _section(r, "Expenditure (from the books)").rows == [
        ("5101", "สวัสดิการคลอดบุตร", Decimal(500)), ("5103", "สวัสดิการนอนโรงพยาบาล", Decimal(1000))]
    assert _section(r, "Income and expenditure").totals == ("รายได้สูง (ต่ำ) กว่าค่าใช้จ่าย", Decimal(12810))
    money = _section(r, "Fund money by source")
    assert money.rows[:3] == [("เงินสมทบสมาชิก", Decimal(810)), ("เงินสมทบรัฐบาลผ่าน พอช.", Decimal(10000)),
                              ("เงินสมทบ อปท.", Decimal(2000))]
    assert money.totals == ("รวม", Decimal(12810)) and "12,810.00" in money.notes[0]  # cash 810 + bank 12,000
    status = _section(r, "Fund status form")
    assert ("สมาชิกทั้งหมดที่เคยลงทะเบียน (คน)", 7) in status.rows


def test_yearly_report_leaves_out_closing_entries(year, fund, system_user):
    book = fund.organisation.book
    ledger_services.period_close(actor=system_user, book=book, fiscal_year=FY)
    closed = reports.yearly_report(fund, FY)
    assert _section(closed, "Income (from the books)").totals[2] == Decimal(14310)
    assert _section(closed, "Income and expenditure").totals[1] == Decimal(12810)
    assert _section(closed, "Fund money by source").totals == ("รวม", Decimal(12810))
    assert ("ปิดบัญชีประจำปีล่าสุด", "2565") in _section(closed, "Fund status form").rows
    ledger_services.period_reopen(actor=system_user, book=book, fiscal_year=FY, reason="แก้ไขรายการ")
    reopened = reports.yearly_report(fund, FY)
    assert _section(reopened, "Income and expenditure").totals[1] == Decimal(12810)


# --- files ----------------------------------------------------------------------------------------


def _sheet(report):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(report_exports.to_xlsx(report))).active


def test_xlsx_of_contributions(year, fund):
    sheet = _sheet(reports.contributions_by_month(fund, FY))
    assert sheet.title == "เงินสมทบรายเดือน 2565"
    assert sheet["A1"].value == "กองทุนสวัสดิการชุมชน A (รหัส A-001)"
    assert sheet["A2"].value == "เงินสมทบรายเดือนแยกตามหมู่บ้าน (Contributions by month and village)"
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "เดือน")
    assert rows[header + 1][:2] == ("Month", "Moo 1")  # English under the Thai
    total_row = next(i for i, r in enumerate(rows, start=1) if r[0] == "รวมทั้งปี")
    assert [float(v) for v in rows[total_row - 1][1:5]] == [1855, 365, 90, 2310] and rows[total_row - 1][5] == 4
    grand = sheet.cell(row=total_row, column=5)
    assert grand.font.bold and grand.number_format == "#,##0.00"
    assert sheet.cell(row=header + 3, column=2).number_format == "#,##0.00"
    assert sheet.column_dimensions["A"].width >= 10 and sheet.page_setup.orientation == "landscape"


def test_xlsx_of_the_register_has_buddhist_dates_and_masked_ids(year, fund):
    sheet = _sheet(reports.member_register(fund, YEAR_END))
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "00004")
    assert row[2].startswith("x-xxxx-xxxxx-") and row[4] == "10/05/2503" and row[7] == "01/01/2563"


def test_xlsx_of_the_yearly_report_has_every_section(year, fund):
    sheet = _sheet(reports.yearly_report(fund, FY))
    firsts = [r[0] for r in sheet.iter_rows(values_only=True)]
    assert "สมาชิก (Members)" in firsts and "รายได้ (จากบัญชี) (Income (from the books))" in firsts
    surplus = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "รายได้สูง (ต่ำ) กว่าค่าใช้จ่าย")
    assert float(surplus[1]) == 12810


def test_csv_has_a_bom_and_plain_numbers(year, fund):
    import csv

    data = report_exports.to_csv(reports.arrears_list(fund, YEAR_END))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ["รายชื่อสมาชิกค้างส่งเงินสมทบ (Members in arrears)"]
    assert ["00005", "นายสมปอง ทองดี", "1", "30/12/2564", "274", "274.00", ""] in rows
    assert rows[-1] == ["รวม", "5 คน", "", "", "", "3073.00", ""]


def test_a_name_that_reads_like_a_formula_is_text_in_xlsx_and_csv(year, fund):
    """CSV/xlsx injection: a member named ``=HYPERLINK(…)`` is a string cell as typed in xlsx, behind a single
    quote in CSV; the amounts stay numbers."""
    import csv
    import zipfile

    from chumchon.people.models import Person

    link = '=HYPERLINK("http://evil.example/?x","ดูเอกสารแนบ")'
    Person.objects.filter(pk=year["00006"].person_id).update(title="", first_name=link, last_name="")
    report = reports.member_register(fund, YEAR_END)
    data = report_exports.to_xlsx(report)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    row = next(r for r in _sheet(report).iter_rows() if r[0].value == "00006")
    assert (row[1].value, row[1].data_type) == (link, "s")
    rows = list(csv.reader(io.StringIO(report_exports.to_csv(report).decode("utf-8-sig"))))
    assert next(r for r in rows if r and r[0] == "00006")[1] == "'" + link
    arrears = list(csv.reader(io.StringIO(report_exports.to_csv(reports.arrears_list(fund, YEAR_END))
                                          .decode("utf-8-sig"))))
    assert rows[-1][0] == "รวม" and arrears[-1] == ["รวม", "5 คน", "", "", "", "3073.00", ""]


def _loose(text: str) -> str:
    """Thai as pdftotext gives it back: it places marks above and below the line loosely (บ้าน comes out as
    บา ้ น, หน้า as หน้ำ), so compare without spaces, those marks, or the sara am/aa difference."""
    marks = {0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)}
    return "".join(ch for ch in text.replace("\u0e33", "\u0e32") if not ch.isspace() and ord(ch) not in marks)


@pytest.mark.parametrize("kind", list(reports.KINDS))
def test_pdf_of_every_report_is_thai(kind, year, fund, tmp_path):
    report = reports.build(kind, fund, reports.fiscal_year(FY))
    data = report_exports.to_pdf(report)
    assert data.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert _loose(report.title_th) in _loose(text) and report.title_en in text
    assert "กองทุนสวัสดิการชุมชน A" in text and "2565" in text


def test_pdf_refuses_a_report_too_long_to_print(year, fund, monkeypatch):
    monkeypatch.setattr(report_exports, "MAX_PDF_ROWS", 3)
    with pytest.raises(report_exports.ReportTooLong):
        report_exports.to_pdf(reports.member_register(fund, YEAR_END))


# --- pages ----------------------------------------------------------------------------------------


def _url(kind=None, **query):
    from django.utils.http import urlencode

    url = (reverse("welfare:report", kwargs={"code": "A-001", "kind": kind}) if kind
           else reverse("welfare:report_index", kwargs={"code": "A-001"}))
    return url + (f"?{urlencode(query)}" if query else "")


def test_index_lists_every_report(year, world, client, login):
    login(world["users"]["committee_a"])
    body = client.get(_url(fy=FY)).content.decode()
    for kind in reports.KINDS.values():
        assert kind.title_th in body and _url(kind.slug, fy=FY).replace("&", "&amp;") in body
    assert reverse("welfare:fund_status", args=["A-001"]) in body


def test_contributions_page(year, world, client, login):
    login(world["users"]["committee_a"])
    response = client.get(_url("contributions", fy=FY))
    body = response.content.decode()
    assert response.status_code == 200
    assert "เงินสมทบรายเดือนแยกตามหมู่บ้าน" in body and "2,310.00" in body and "1,825.00" in body
    assert 'class="table-wrap"' in body and "?fy=2565&amp;format=xlsx" in body


def test_arrears_page_takes_a_day_and_a_limit(year, world, client, login):
    login(world["users"]["committee_a"])
    body = client.get(_url("arrears", fy=FY, on="30/9/2565", days=300)).content.decode()
    assert "00006" in body and "00005" not in body and "2,557.00" in body


@pytest.mark.parametrize("fmt, content_type, start", [
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    ("pdf", "application/pdf", b"%PDF"),
    ("csv", "text/csv; charset=utf-8", "\ufeff".encode()),
])
def test_downloads(fmt, content_type, start, year, world, client, login):
    login(world["users"]["committee_a"])
    response = client.get(_url("benefits", fy=FY, format=fmt))
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response.content.startswith(start)
    assert f'filename="benefits_A-001_2565.{fmt}"' in response["Content-Disposition"]
    day = client.get(_url("members", on="31/12/2565", format=fmt))  # a day's report: named in B.E. too
    assert f'filename="members_A-001_25651231.{fmt}"' in day["Content-Disposition"]


def test_bad_input(year, world, client, login):
    login(world["users"]["committee_a"])
    response = client.get(_url("benefits", fy="2022"))
    assert response.status_code == 400 and "ค.ศ." in response.content.decode()
    assert client.get(_url("arrears", days="-5")).status_code == 400
    assert client.get(_url("members", on="31/2/2565")).status_code == 400
    assert client.get(_url("nonsense")).status_code == 404
    assert client.get(_url("benefits", format="docx")).status_code == 404


@pytest.mark.parametrize("kind", [None, *reports.KINDS])
def test_other_funds_committee_gets_404(kind, year, world, client, login):
    login(world["users"]["committee_b"])
    assert client.get(_url(kind, fy=FY)).status_code == 404
    assert client.get(_url(kind, fy=FY, format="xlsx") if kind else _url()).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("kind", ["members", "contributions", "arrears", "receipts", "vouchers"])
def test_query_count_does_not_grow_with_members(kind, year, fund, world, client, login, make_person, system_user):
    login(world["users"]["committee_a"])
    url = _url(kind, fy=FY)
    before = _queries(client, url)
    payments = []
    for i in range(8):
        person = make_person("500203", fund=fund, first_name=f"เพิ่ม{i}", village_number=3 + i % 2)
        payments.append(services.SheetPayment(person.memberships.get(), Decimal(30)))
    services.collection_sheet_post(actor=system_user, fund=fund, date=D(2022, 2, 15), payments=payments,
                                   idempotency_key="more")
    assert _queries(client, url) == before
