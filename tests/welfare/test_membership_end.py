"""A membership's end, the refund a fund's regulations may give a member who resigns, and the fund's plan.

Worked example a treasurer can check by hand (fund A refunds a member who resigns without ever receiving a
benefit): the three members each paid 1,095 baht on 3 Jan 2022 (3,285 in cash, 1101). Member 00001 resigns on
1 Feb 2022 and is paid back 1,095.00 with voucher PV2565-00001 on 2 Feb: Dr 5303 refunds 1,095 / Cr 1101 cash 1,095,
leaving 2,190 in cash. Member 00002 was paid a 400-baht hospital benefit: when they resign there is no refund."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from chumchon.core.models import AuditLog
from chumchon.ledger.models import Account
from chumchon.welfare import services
from chumchon.welfare.models import BenefitKind, ContributionRefund, Membership

from .conftest import refused

pytestmark = pytest.mark.django_db
D = datetime.date


def balance(fund, code: str) -> Decimal:
    account = Account.objects.filter(book=fund.organisation.book, code=code).first()
    return account.balance if account else Decimal(0)


@pytest.fixture
def refunding(funded, system_user):
    return services.fund_settings_update(actor=system_user, fund=funded, refund_on_resignation=True)


def test_the_worked_example(refunding, members, system_user, treasurer_and_chair):
    fund = refunding
    one, two, _ = members
    services.membership_end(actor=system_user, membership=one, status="resigned", on=D(2022, 2, 1),
                            reason="ย้ายไปอยู่กับลูก")
    assert services.refund_due(one) == (Decimal("1095.00"), 1, None)
    refund = services.contribution_refund(actor=system_user, membership=one, date=D(2022, 2, 2),
                                          idempotency_key="rf1")
    assert (refund.amount, refund.voucher_number, refund.receipts) == (Decimal("1095.00"), "PV2565-00001", 1)
    assert (balance(fund, "5303"), balance(fund, "1101")) == (Decimal("1095.00"), Decimal("2190.00"))
    from chumchon.welfare.reports import voucher_register

    assert [r[0:1] + r[4:7] for r in voucher_register(fund, 2565).rows] == [
        ("PV2565-00001", "คืนเงินสมทบ", Decimal("1095.00"), "จ่ายแล้ว")]
    assert services.contribution_refund(actor=system_user, membership=one, date=D(2022, 2, 2),
                                        idempotency_key="rf1").pk == refund.pk  # a retry
    with pytest.raises(ValidationError) as exc:
        services.contribution_refund(actor=system_user, membership=one, date=D(2022, 2, 3), idempotency_key="rf2")
    assert "refunded already" in exc.value.message_dict["membership"][0]
    assert AuditLog.objects.filter(action="welfare.membership_end", object_id=str(one.pk),
                                   summary__contains="ย้ายไปอยู่กับลูก").exists()
    # member 00002 received a benefit: no refund
    treasurer, chair = treasurer_and_chair
    kind = BenefitKind.objects.get(code="hospital")
    claim = services.claim_submit(actor=treasurer, membership=two, kind=kind, event_date=D(2022, 8, 2), units=2,
                                  consent=True, idempotency_key="h1")
    services.claim_pay(actor=treasurer, claim=services.claim_decide(actor=chair, claim=claim, approve=True),
                       date=D(2022, 8, 3))
    services.membership_end(actor=system_user, membership=two, status="resigned", on=D(2022, 9, 1))
    assert "benefit was paid" in services.refund_due(two)[2][1]
    with pytest.raises(ValidationError):
        services.contribution_refund(actor=system_user, membership=two, date=D(2022, 9, 2), idempotency_key="rf3")
    assert ContributionRefund.objects.count() == 1


def test_a_refunded_receipt_is_not_cancelled(refunding, members, system_user):
    """Cancelling a receipt the refund paid back would take its money out of the books twice."""
    one = members[0]
    services.membership_end(actor=system_user, membership=one, status="resigned", on=D(2022, 2, 1))
    services.contribution_refund(actor=system_user, membership=one, date=D(2022, 2, 2), idempotency_key="rf")
    receipt = one.contributions.get()
    with pytest.raises(ValidationError) as exc:
        services.contribution_void(actor=system_user, contribution=receipt, reason="รับเงินผิดคน", idempotency_key="v")
    assert "refunded" in exc.value.message_dict["receipt"][0]
    assert balance(refunding, "1101") == Decimal("2190.00")


def test_no_refund_where_the_regulations_give_none(funded, members, system_user):
    services.membership_end(actor=system_user, membership=members[0], status="resigned", on=D(2022, 2, 1))
    assert "do not refund" in services.refund_due(members[0])[2][1]
    with pytest.raises(ValidationError):
        services.contribution_refund(actor=system_user, membership=members[0], date=D(2022, 2, 2),
                                     idempotency_key="rf")
    assert balance(funded, "5303") == 0


def test_only_a_resigned_member_and_only_what_stands(refunding, members, system_user):
    one, two, _ = members
    assert "only to a member who resigned" in services.refund_due(one)[2][1]
    services.membership_end(actor=system_user, membership=two, status="transferred", on=D(2022, 2, 1))
    assert "only to a member who resigned" in services.refund_due(two)[2][1]
    # a cancelled receipt is not refunded
    paid = services.contribution_receive(actor=system_user, membership=one, amount=30, date=D(2022, 1, 4),
                                         idempotency_key="extra")
    services.contribution_void(actor=system_user, contribution=paid, reason="รับเงินผิดคน", idempotency_key="v")
    services.membership_end(actor=system_user, membership=one, status="resigned", on=D(2022, 2, 1))
    assert services.refund_due(one)[:2] == (Decimal("1095.00"), 1)


def test_the_refund_is_dated_after_the_resignation_and_not_to_come(refunding, members, system_user):
    one = members[0]
    services.membership_end(actor=system_user, membership=one, status="resigned", on=D(2022, 2, 1))
    for day in (D(2022, 1, 31), timezone.localdate() + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as exc:
            services.contribution_refund(actor=system_user, membership=one, date=day, idempotency_key=str(day))
        assert "date" in exc.value.message_dict
    assert not ContributionRefund.objects.exists()


def test_a_refund_does_not_take_cash_below_zero(refunding, members, system_user):
    one = members[0]
    services.membership_end(actor=system_user, membership=one, status="resigned", on=D(2022, 2, 1))
    from chumchon.ledger import services as ledger

    ledger.payment_post(actor=system_user, book=refunding.organisation.book, date=D(2022, 1, 10), amount=3000,
                        expense_account="5301", memo="ค่าบริหาร", idempotency_key="adm")
    with pytest.raises(ValidationError):
        services.contribution_refund(actor=system_user, membership=one, date=D(2022, 2, 2), idempotency_key="rf")
    assert not ContributionRefund.objects.exists() and balance(refunding, "1101") == Decimal("285.00")


def test_the_database_keeps_refunds(refunding, members, system_user, world):
    one = members[0]
    services.membership_end(actor=system_user, membership=one, status="resigned", on=D(2022, 2, 1))
    refund = services.contribution_refund(actor=system_user, membership=one, date=D(2022, 2, 2), idempotency_key="r")
    assert "append-only" in refused(lambda: ContributionRefund.objects.filter(pk=refund.pk).update(amount=1))
    assert "append-only" in refused(lambda: ContributionRefund.objects.filter(pk=refund.pk).delete())
    from chumchon.ledger import services as ledger

    other = ledger.receipt_post(actor=system_user, book=world["fund_b"].organisation.book, date=D(2022, 1, 5),
                                amount=5, income_account="4101", memo="x", idempotency_key="x")
    two = members[1]
    assert "refund" in refused(lambda: ContributionRefund.objects.create(
        membership=two, fund=refunding, date=D(2022, 2, 2), amount=5, receipts=1, voucher_number="PV-X",
        entry=other, idempotency_key="raw"))
    # the fund's book and the amount, but not Dr 5303 / Cr cash or bank: a benefit's expense, or 5303 against
    # another fund's payable
    book = refunding.organisation.book
    for n, (dr, cr) in enumerate((("5101", "1101"), ("5303", "5101"))):
        wrong = ledger.entry_post(actor=system_user, book=book, date=D(2022, 2, 2), memo="x", idempotency_key=f"l{n}",
                                  lines=[ledger.LineSpec(dr, debit=5), ledger.LineSpec(cr, credit=5)])
        assert "must debit refunds to members who resigned (5303)" in refused(
            lambda wrong=wrong, n=n: ContributionRefund.objects.create(
                membership=two, fund=refunding, date=D(2022, 2, 2), amount=5, receipts=1, voucher_number=f"PV-L{n}",
                entry=wrong, idempotency_key=f"raw-l{n}"))


def test_ending_a_membership_is_checked(funded, members, system_user, world):
    one = members[0]
    for on in (D(2019, 12, 31), timezone.localdate() + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.membership_end(actor=system_user, membership=one, status="resigned", on=on)
    with pytest.raises(PermissionDenied):
        services.membership_end(actor=world["users"]["committee_b"], membership=one, status="resigned",
                                on=D(2022, 2, 1))
    services.membership_end(actor=system_user, membership=one, status="deceased", on=D(2022, 2, 1))
    with pytest.raises(ValidationError) as exc:
        services.membership_end(actor=system_user, membership=one, status="resigned", on=D(2022, 2, 2))
    assert "already ended" in exc.value.message_dict["status"][0]
    with pytest.raises(ValidationError):
        services.contribution_receive(actor=system_user, membership=Membership.objects.get(pk=one.pk), amount=30,
                                      date=D(2022, 2, 3), idempotency_key="after")


def test_the_pages(refunding, members, world, client, login):
    fund, one = refunding, members[0]
    login(world["users"]["committee_a"])
    member_url = reverse("welfare:member_detail", args=[fund.code, one.member_number])
    end_url = reverse("welfare:membership_end", args=[fund.code, one.member_number])
    page = client.get(end_url)
    assert page.status_code == 200 and page.context["refund_total"] == Decimal("1095.00")
    bad = client.post(end_url, {"status": "resigned", "on": "1/1/2562"})
    assert bad.status_code == 200 and bad.context["form"].errors and Membership.objects.get(pk=one.pk).status == \
        "active"
    done = client.post(end_url, {"status": "resigned", "on": "1/2/2565", "reason": "ย้ายบ้าน"}, follow=True)
    assert done.redirect_chain[-1][0] == member_url and done.context["refund_form"] is not None
    paid = client.post(reverse("welfare:refund_pay", args=[fund.code, one.member_number]),
                       {"date": "2/2/2565", "cash_account": "1101", "idempotency_key": "page-1"}, follow=True)
    assert paid.context["refund"].voucher_number == "PV2565-00001"
    voucher = client.get(reverse("welfare:refund_voucher", args=[fund.code, one.member_number]))
    assert voucher["Content-Type"] == "application/pdf"
    body = client.get(f"/api/v1/welfare/funds/{fund.code}/members/{one.member_number}").json()
    assert (body["status"], body["owed"], body["days_in_arrears"]) == ("resigned", "0.00", 0)
    login(world["users"]["member"])  # the member's own record says it
    assert "PV2565-00001" in client.get(reverse("welfare:my_record")).content.decode()
    login(world["users"]["committee_b"])
    assert client.get(end_url).status_code == 404
    assert client.get(reverse("welfare:refund_voucher", args=[fund.code, one.member_number])).status_code == 404


# --- the fund's plan ---------------------------------------------------------------------------------------------

def test_the_plan_is_changed_with_every_problem_at_once(fund, system_user, world):
    with pytest.raises(ValidationError) as exc:
        services.fund_settings_update(actor=system_user, fund=fund, daily_rate=0, allowed_frequencies=[],
                                      arrears_limit_days=0, admin_cost_cap_percent=150)
    assert set(exc.value.message_dict) == {"daily_rate", "allowed_frequencies", "arrears_limit_days",
                                           "admin_cost_cap_percent"}
    services.fund_settings_update(actor=system_user, fund=fund, daily_rate=2, allowed_frequencies=["yearly", "monthly"],
                                  arrears_limit_days=120, refund_on_resignation=True)
    fund.refresh_from_db()
    assert (fund.daily_rate, fund.allowed_frequencies, fund.arrears_limit_days, fund.refund_on_resignation) == (
        Decimal("2.00"), "monthly,yearly", 120, True)
    row = AuditLog.objects.filter(action="welfare.fund_settings_update").get()
    assert row.data["daily_rate"] == ["1.00", "2.00"] and "admin_cost_cap_percent" not in row.data
    with pytest.raises(PermissionDenied):
        services.fund_settings_update(actor=world["users"]["committee_b"], fund=fund, daily_rate=3)


def test_the_plan_page(fund, world, client, login):
    url = reverse("welfare:fund_settings", args=[fund.code])
    login(world["users"]["committee_a"])
    page = client.get(url)
    assert page.context["form"].initial["allowed_frequencies"] == ["daily", "weekly", "monthly", "yearly"]
    bad = client.post(url, {"daily_rate": "0", "arrears_limit_days": "๙๐", "admin_cost_cap_percent": "20"})
    assert bad.status_code == 200 and {"daily_rate", "allowed_frequencies"} <= set(bad.context["form"].errors)
    ok = client.post(url, {"daily_rate": "1", "allowed_frequencies": ["monthly"], "whole_days_only": "on",
                           "arrears_limit_days": "๙๐", "admin_cost_cap_percent": "20",
                           "refund_on_resignation": "on"})
    assert ok.status_code == 302
    fund.refresh_from_db()
    assert fund.allowed_frequencies == "monthly" and fund.refund_on_resignation
    for who in ("committee_b", "auditor", "member"):
        login(world["users"][who])
        assert client.get(url).status_code in (403, 404), who


def test_a_refund_and_a_benefit_never_both_stand(refunding, members, system_user, treasurer_and_chair):
    """A hospital claim approved, then the member resigns: no refund while the claim waits. Had a refund been
    written all the same (a race the locks prevent), the claim's payment is refused."""
    from chumchon.ledger import services as ledger

    treasurer, chair = treasurer_and_chair
    one = members[0]
    kind = BenefitKind.objects.get(code="hospital")
    claim = services.claim_submit(actor=treasurer, membership=one, kind=kind, event_date=D(2022, 1, 20), units=1,
                                  consent=True, idempotency_key="h1")
    claim = services.claim_decide(actor=chair, claim=claim, approve=True)
    services.membership_end(actor=system_user, membership=one, status="resigned", on=D(2022, 2, 1))
    assert "pending" in services.refund_due(one)[2][1]
    with pytest.raises(ValidationError):
        services.contribution_refund(actor=system_user, membership=one, date=D(2022, 2, 2), idempotency_key="rf")
    book = refunding.organisation.book
    ledger.template_account(book, "5303")
    entry = ledger.payment_post(actor=system_user, book=book, date=D(2022, 2, 2), amount=1095,
                                expense_account="5303", memo="คืนเงินสมทบ", idempotency_key="raw-refund")
    ContributionRefund.objects.create(membership=one, fund=refunding, date=D(2022, 2, 2), amount=1095, receipts=1,
                                      voucher_number="PV2565-00009", entry=entry, idempotency_key="raw")
    with pytest.raises(ValidationError) as exc:
        services.claim_pay(actor=treasurer, claim=claim, date=D(2022, 2, 3))
    assert "refunded" in exc.value.message_dict["status"][0]


def test_a_refund_is_members_money_only(refunding, members, system_user):
    """Members' money: 3,285 in, 3,000 spent on administration → 285. The government's 5,000 sits in the bank. A
    1,095 refund would take members' money below zero (paid, in truth, by the government's): refused."""
    from chumchon.ledger import services as ledger

    ledger.payment_post(actor=system_user, book=refunding.organisation.book, date=D(2022, 1, 10), amount=3000,
                        expense_account="5301", memo="ค่าบริหาร", idempotency_key="adm")
    services.grant_receive(actor=system_user, fund=refunding, source="government", amount=5000, date=D(2022, 1, 11),
                           idempotency_key="gov")
    one = members[0]
    services.membership_end(actor=system_user, membership=one, status="resigned", on=D(2022, 2, 1))
    with pytest.raises(ValidationError) as exc:
        services.contribution_refund(actor=system_user, membership=one, date=D(2022, 2, 2), idempotency_key="rf",
                                     cash_account="1102")
    assert "members' money (285.00)" in exc.value.message_dict["membership"][0]
    assert not ContributionRefund.objects.exists()
