"""A past year's report reads the same whenever it is printed: its fund status form is as at the year's end."""

import datetime
from decimal import Decimal

import pytest

from chumchon.welfare import reports, selectors, services
from chumchon.welfare.models import BenefitKind

D = datetime.date

pytestmark = pytest.mark.django_db


def test_the_yearly_report_of_an_ended_year_takes_its_status_at_the_years_end(funded):
    report = reports.yearly_report(funded, 2565)
    status = next(t for t in report.sections if t.title_en == "Fund status form")
    assert status.title_th == "แบบแสดงสถานะกองทุน ณ วันที่ 30 ก.ย. 2565"


def _status_rows(fund, year: int) -> dict:
    return dict(next(t for t in reports.yearly_report(fund, year).sections if t.title_en == "Fund status form").rows)


def test_a_member_who_joins_later_does_not_change_a_past_years_status_form(fund, members, make_person, system_user):
    """FY 2563 (Oct 2562 – Sep 2563): three members. One joining in November 2565 is nobody in FY 2563."""
    before = _status_rows(fund, 2563)
    person = make_person("500203", first_name="ใหม่")
    services.membership_enrol(actor=system_user, fund=fund, person=person, member_number="00004",
                              joined_on=D(2022, 11, 1))
    assert _status_rows(fund, 2563) == before
    assert _status_rows(fund, 2566)["สมาชิกทั้งหมดที่เคยลงทะเบียน (คน)"] == before["สมาชิกทั้งหมดที่เคยลงทะเบียน (คน)"] + 1


def test_benefits_paid_are_counted_in_the_year_they_were_paid(funded, members, treasurer_and_chair, fund):
    """A hospital stay on 28 Sep 2565 (FY 2565) paid 200 on 3 Oct 2565 (FY 2566): the status form counts it in FY
    2566 with the benefits report and the books, none in FY 2565."""
    treasurer, chair = treasurer_and_chair
    claim = services.claim_submit(actor=treasurer, membership=members[1], kind=BenefitKind.objects.get(code="hospital"),
                                  event_date=D(2022, 9, 28), units=1, consent=True, idempotency_key="sep")
    services.claim_decide(actor=chair, claim=claim, approve=True)
    services.claim_pay(actor=treasurer, claim=claim, date=D(2022, 10, 3))
    assert reports.benefits_by_kind(fund, 2566).totals[3] == Decimal("200.00")
    assert selectors.fund_status(fund, D(2022, 10, 10))["benefits_total"] == Decimal("200.00")
    assert selectors.fund_status(fund, D(2022, 9, 30))["benefits_total"] == 0
