"""The rule engine, with worked examples a fund committee could check by hand."""

import datetime
from decimal import Decimal

import pytest

from chumchon.welfare.models import BenefitKind, BenefitRule
from chumchon.welfare.rules import ClaimFacts, evaluate

D = datetime.date


def _rule(**kw):
    kind = kw.pop("kind", BenefitKind(code="hospital", name_th="นอนโรงพยาบาล", name_en="Hospital stay", unit_th="คืน",
                                       unit_en="night", expense_account="5103"))
    defaults = {"effective_from": D(2020, 1, 1), "waiting_days": 180, "arrears_tolerance_days": 90,
                "amount_type": "fixed", "amount": Decimal("0"), "unit_amount": Decimal("0")}
    defaults.update(kw)
    return BenefitRule(kind=kind, **defaults)


def _facts(**kw):
    defaults = {"event_date": D(2022, 8, 2), "joined_on": D(2022, 1, 1), "membership_status": "active",
                "days_in_arrears": 0}
    defaults.update(kw)
    return ClaimFacts(**defaults)


def test_the_worked_example_from_the_issue():
    """Member for 213 days, rule needs 180: met; 2 nights × 200 = 400; year's cap 1,000, used 600: pays 400."""
    rule = _rule(amount_type="per_unit", unit_amount=Decimal(200), cap_per_event=Decimal(600),
                 cap_per_year=Decimal(1000))
    d = evaluate(rule, _facts(units=Decimal(2), paid_this_year=Decimal(600)))
    assert d.eligible and d.amount == Decimal(400)
    assert "member for 213 days, rule needs 180: met" in d.text_en
    assert "2 nights × 200 = 400" in d.text_en
    assert "year's cap 1,000, used 600" in d.text_en and d.text_en.endswith("pays 400")
    assert "เป็นสมาชิก 213 วัน ระเบียบกำหนด 180 วัน: ผ่าน" in d.text_th and "2 คืน × 200 = 400" in d.text_th


def test_year_cap_partly_used_reduces_the_payment():
    rule = _rule(amount_type="per_unit", unit_amount=Decimal(200), cap_per_year=Decimal(1000))
    d = evaluate(rule, _facts(units=Decimal(3), paid_this_year=Decimal(800)))
    assert d.amount == Decimal(200) and "200 left" in d.text_en


def test_year_cap_used_up_is_refused():
    rule = _rule(amount_type="per_unit", unit_amount=Decimal(200), cap_per_year=Decimal(1000))
    d = evaluate(rule, _facts(units=Decimal(1), paid_this_year=Decimal(1000)))
    assert not d.eligible and d.amount == 0


def test_cap_per_event():
    rule = _rule(amount_type="per_unit", unit_amount=Decimal(200), cap_per_event=Decimal(600))
    assert evaluate(rule, _facts(units=Decimal(5))).amount == Decimal(600)


def test_lifetime_cap():
    rule = _rule(amount=Decimal(1000), cap_lifetime=Decimal(1500))
    d = evaluate(rule, _facts(paid_lifetime=Decimal(1000)))
    assert d.amount == Decimal(500) and "lifetime cap 1,500" in d.text_en


def test_waiting_period_not_met():
    d = evaluate(_rule(amount=Decimal(500)), _facts(event_date=D(2022, 3, 1)))
    assert not d.eligible and "member for 59 days, rule needs 180: not met" in d.text_en


def test_arrears_beyond_tolerance():
    d = evaluate(_rule(amount=Decimal(500)), _facts(days_in_arrears=120))
    assert not d.eligible and "120 days in arrears, 90 allowed: not met" in d.text_en


@pytest.mark.parametrize("years, amount", [(0, 3000), (4, 3000), (5, 10000), (12, 20000)])
def test_funeral_tiered_by_years_of_membership(years, amount):
    rule = _rule(amount_type="tiered", waiting_days=0, tiers=[
        {"years": 0, "amount": "3000"}, {"years": 5, "amount": "10000"}, {"years": 10, "amount": "20000"}])
    joined = D(2010, 1, 1)
    event = D(2010 + years, 1, 2)
    d = evaluate(rule, _facts(joined_on=joined, event_date=event, membership_status="deceased"))
    assert d.eligible and d.amount == Decimal(amount)


@pytest.mark.parametrize("joined, event, amount, years", [
    (D(2019, 3, 2), D(2024, 3, 1), 3000, 4),  # 1,826 days (two leap days): still four full years
    (D(2019, 3, 2), D(2024, 3, 2), 10000, 5),  # the fifth anniversary
    (D(2014, 3, 3), D(2024, 3, 1), 10000, 9),  # 3,651 days: nine full years, not ten
    (D(2014, 3, 3), D(2024, 3, 3), 20000, 10),
])
def test_tiers_count_full_years_by_the_calendar(joined, event, amount, years):
    """Years of membership are counted as an age is: a member a day short of the anniversary has not reached it,
    whatever the leap days between."""
    rule = _rule(amount_type="tiered", waiting_days=0, tiers=[
        {"years": 0, "amount": "3000"}, {"years": 5, "amount": "10000"}, {"years": 10, "amount": "20000"}])
    d = evaluate(rule, _facts(joined_on=joined, event_date=event, membership_status="deceased"))
    assert d.amount == Decimal(amount)
    assert f"{years} full years of membership" in d.text_en and f"เป็นสมาชิก {years} ปีเต็ม" in d.text_th


def test_elderly_pension_needs_age_and_three_years():
    rule = _rule(amount_type="periodic", period="yearly", amount=Decimal(200), waiting_days=1095, min_age=60)
    old_enough = evaluate(rule, _facts(joined_on=D(2018, 1, 1), event_date=D(2022, 1, 31),
                                       beneficiary_birth_date=D(1960, 5, 1)))
    assert old_enough.eligible and old_enough.amount == Decimal(200) and "200 per year" in old_enough.text_en
    too_young = evaluate(rule, _facts(joined_on=D(2018, 1, 1), event_date=D(2022, 1, 31),
                                      beneficiary_birth_date=D(1970, 5, 1)))
    assert not too_young.eligible and "age 51, rule needs 60: not met" in too_young.text_en


def test_dependant_only_benefit_refuses_the_member():
    d = evaluate(_rule(amount=Decimal(500), beneficiary="dependant"), _facts())
    assert not d.eligible


def test_no_rule_means_no_benefit():
    d = evaluate(None, _facts())
    assert not d.eligible and "offers no such benefit" in d.text_en


def test_lapsed_member_gets_nothing():
    d = evaluate(_rule(amount=Decimal(500)), _facts(membership_status="lapsed"))
    assert not d.eligible


def test_a_claim_that_fails_a_condition_says_it_will_not_be_paid_and_stops():
    """Member for 30 days, rule needs 180: not met. The explanation ends "not payable", without working out an
    amount the claim cannot get (it read "4 nights × 200 = 800; cap 600" beside an amount of 0.00)."""
    rule = _rule(amount_type="per_unit", unit_amount=Decimal(200), cap_per_event=Decimal(600),
                 effective_from=D(2013, 9, 1))
    d = evaluate(rule, _facts(units=Decimal(4), event_date=D(2022, 1, 31)))
    assert not d.eligible and d.amount == 0
    assert d.text_th.startswith("ใช้ระเบียบที่มีผล 1 ก.ย. 2556") and "rule in force from 1 Sep 2013" in d.text_en
    assert d.text_en.endswith("not payable: the rules not met above") and "×" not in d.text_en
