"""Claims in batches (submit, decide and pay many at once): the same results as one by one, all or none."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chumchon.core.models import AuditLog
from chumchon.ledger.models import Account, JournalEntry
from chumchon.welfare import services
from chumchon.welfare.models import BenefitKind, Claim

pytestmark = pytest.mark.django_db
D = datetime.date


def _kind(code):
    return BenefitKind.objects.get(code=code)


def _hospital(member, month, nights, key):
    return services.ClaimRequest(member, _kind("hospital"), D(2022, month, 1), key, units=nights, consent=True)


def test_batch_follows_the_caps_as_one_by_one(funded, members, treasurer_and_chair):
    """Hospital: 200 a night, 1,000 a year. Member 1 claims 3 + 3 + 3 nights: submitted together none counts
    the others (600 each); approved in order, the second is cut to 400 and the third has nothing left."""
    treasurer, chair = treasurer_and_chair
    claims = services.claims_submit_many(actor=treasurer, fund=funded, requests=[
        _hospital(members[0], 3, 3, "h0"), _hospital(members[0], 4, 3, "h1"), _hospital(members[0], 5, 3, "h2"),
        _hospital(members[1], 3, 2, "h3")])
    assert [c.amount for c in claims] == [600, 600, 600, 400] and all(c.eligible for c in claims)
    with pytest.raises(ValidationError) as exc:
        services.claims_decide_many(actor=chair, claims=claims, approve=True)
    assert "สมาชิกเลขที่ 00001" in exc.value.message_dict["status"][0]
    assert not Claim.objects.filter(status="approved").exists()  # all or none
    approved = services.claims_decide_many(actor=chair, claims=claims, approve=True, skip_ineligible=True)
    assert [c.amount for c in approved] == [Decimal(600), Decimal(400), Decimal(400)]
    assert Claim.objects.get(idempotency_key="h2").status == "submitted"


def test_submitting_the_batch_again_adds_nothing(funded, members, treasurer_and_chair):
    treasurer, _ = treasurer_and_chair
    batch = [_hospital(members[0], 3, 1, "h0"), _hospital(members[1], 3, 1, "h1")]
    first = services.claims_submit_many(actor=treasurer, fund=funded, requests=batch)
    again = services.claims_submit_many(actor=treasurer, fund=funded, requests=batch)
    assert [c.pk for c in again] == [c.pk for c in first] and Claim.objects.count() == 2
    with pytest.raises(ValidationError) as exc:
        services.claims_submit_many(actor=treasurer, fund=funded, requests=[_hospital(members[0], 3, 2, "h0")])
    assert exc.value.error_dict["idempotency_key"][0].code == "key_reused"


def test_a_bad_request_writes_nothing_and_names_the_member(funded, members, treasurer_and_chair):
    treasurer, _ = treasurer_and_chair
    no_consent = services.ClaimRequest(members[2], _kind("hospital"), D(2022, 3, 1), "h2", units=1)
    with pytest.raises(ValidationError) as exc:
        services.claims_submit_many(actor=treasurer, fund=funded, requests=[_hospital(members[0], 3, 1, "h0"),
                                                                           no_consent])
    assert "สมาชิกเลขที่ 00003" in exc.value.message_dict["consent"][0]
    assert not Claim.objects.exists()


def test_paying_a_batch_numbers_vouchers_and_posts_each(funded, members, treasurer_and_chair):
    """Three claims paid from cash (3,285): 400 + 200 in FY 2565, 600 on 3 Oct 2022 (FY 2566).
    Cash left 3,285 - 1,200 = 2,085; hospital benefits 1,200; vouchers restart in the new fiscal year."""
    treasurer, chair = treasurer_and_chair
    claims = services.claims_submit_many(actor=treasurer, fund=funded, requests=[
        _hospital(members[0], 3, 2, "h0"), _hospital(members[1], 4, 1, "h1"),
        services.ClaimRequest(members[2], _kind("hospital"), D(2022, 10, 1), "h2", units=3, consent=True)])
    claims = services.claims_decide_many(actor=chair, claims=claims, approve=True)
    paid = services.claims_pay_many(actor=treasurer, payments=[
        services.ClaimPayment(claims[0], D(2022, 3, 2)), services.ClaimPayment(claims[1], D(2022, 4, 2)),
        services.ClaimPayment(claims[2], D(2022, 10, 3))])
    assert [c.voucher_number for c in paid] == ["PV2565-00001", "PV2565-00002", "PV2566-00001"]
    assert all(c.status == "paid" for c in Claim.objects.all())
    book = funded.organisation.book
    assert Account.objects.get(book=book, code="1101").balance == Decimal("2085.00")
    assert Account.objects.get(book=book, code="5103").balance == Decimal("1200.00")
    entries = JournalEntry.objects.filter(book=book, reference__startswith="PV")
    assert sorted(entries.values_list("reference", flat=True)) == ["PV2565-00001", "PV2565-00002", "PV2566-00001"]
    assert AuditLog.objects.filter(action="welfare.claim_pay").count() == 3


def test_a_batch_the_money_does_not_cover_pays_nobody(fund, members, treasurer_and_chair, system_user):
    """Members' money 1,000 (two payments of 500); hospital at 300 a night: 300 + 600 fit, the third claim (900)
    would take the members' money to -800, so the batch pays nobody."""
    treasurer, chair = treasurer_and_chair
    for i in range(2):
        services.contribution_receive(actor=system_user, membership=members[i], amount=500, date=D(2022, 1, 3),
                                      idempotency_key=f"c{i}")
    services.benefit_rule_set(actor=system_user, fund=fund, kind=_kind("hospital"), effective_from=D(2021, 1, 1),
                              amount_type="per_unit", unit_amount=Decimal(300), waiting_days=0,
                              arrears_tolerance_days=3650)
    claims = services.claims_submit_many(actor=treasurer, fund=fund, requests=[
        _hospital(members[0], 3, 1, "h0"), _hospital(members[1], 3, 2, "h1"), _hospital(members[2], 3, 3, "h2")])
    claims = services.claims_decide_many(actor=chair, claims=claims, approve=True)
    assert [c.amount for c in claims] == [300, 600, 900]
    with pytest.raises(ValidationError) as exc:
        services.claims_pay_many(actor=treasurer, payments=[services.ClaimPayment(c, D(2022, 3, 2)) for c in claims])
    message = exc.value.message_dict["amount"][0]
    assert "สมาชิกเลขที่ 00003" in message and exc.value.error_dict["amount"][0].code == "insufficient_source"
    assert not Claim.objects.filter(status="paid").exists()
    assert not JournalEntry.objects.filter(reference__startswith="PV").exists()


def test_a_batch_holds_one_fund(funded, members, treasurer_and_chair, world, system_user):
    treasurer, chair = treasurer_and_chair
    mine = services.claims_submit_many(actor=treasurer, fund=funded, requests=[_hospital(members[0], 3, 1, "h0")])
    other_fund = world["fund_b"]
    services.typical_rules_set(actor=system_user, fund=other_fund, effective_from=D(2020, 1, 1))
    theirs = services.claim_submit(actor=system_user, membership=world["b_people"][0].memberships.get(),
                                   kind=_kind("hospital"), event_date=D(2022, 3, 1), consent=True,
                                   idempotency_key="b0")
    with pytest.raises(ValidationError) as exc:
        services.claims_decide_many(actor=system_user, claims=[*mine, theirs], approve=True)
    assert exc.value.error_dict["fund"][0].code == "many_funds"


def test_pension_batch_approved_and_paid_in_one_go(funded, members, treasurer_and_chair, world, client, login):
    from chumchon.people.models import Person

    Person.objects.filter(pk__in=[p.pk for p in world["a_people"][:2]]).update(birth_date=D(1950, 1, 1))
    treasurer, chair = treasurer_and_chair
    made = services.pension_batch_prepare(actor=treasurer, fund=funded, date=D(2023, 1, 31))
    assert len(made) == 2
    login(chair)
    response = client.post(reverse("welfare:pension_batch_approve", args=[funded.code]),
                           {"batch": "pension-2023-01-31", "cash_account": "1101"}, follow=True)
    assert response.status_code == 200
    assert sorted(Claim.objects.filter(batch="pension-2023-01-31").values_list("status", "voucher_number")) == [
        ("paid", "PV2566-00001"), ("paid", "PV2566-00002")]
    assert "2" in " ".join(str(m) for m in response.context["messages"])


def test_pension_batch_the_preparer_cannot_approve(funded, members, treasurer_and_chair, world, client, login):
    from chumchon.people.models import Person

    Person.objects.filter(pk=world["a_people"][0].pk).update(birth_date=D(1950, 1, 1))
    treasurer, _ = treasurer_and_chair
    services.pension_batch_prepare(actor=treasurer, fund=funded, date=D(2023, 1, 31))
    login(treasurer)
    response = client.post(reverse("welfare:pension_batch_approve", args=[funded.code]),
                           {"batch": "pension-2023-01-31", "cash_account": "1101"}, follow=True)
    assert any("cannot decide" in str(m) for m in response.context["messages"])
    assert Claim.objects.get(batch="pension-2023-01-31").status == "submitted"
