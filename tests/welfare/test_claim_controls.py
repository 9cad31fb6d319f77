"""Controls an auditor expects on a claim: nobody decides their own, and a payment is dated when it could happen.

Given fund A with money, its treasurer and a chair who is herself member 1 of the fund, when the chair is asked to
decide her own claim (as the member, or as the beneficiary of a dependant's claim), then she is refused and
another committee member decides it; when a payment is dated before the event or in the future, it is refused,
naming the date, and nothing is paid.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chumchon.access.roles import Role, ScopeKind
from chumchon.welfare import services
from chumchon.welfare.models import BenefitKind, Claim

pytestmark = pytest.mark.django_db
D = datetime.date


def _claim(treasurer, membership, key):
    return services.claim_submit(actor=treasurer, membership=membership, kind=BenefitKind.objects.get(code="hospital"),
                                 event_date=D(2022, 8, 2), units=1, consent=True, idempotency_key=key)


def test_a_committee_member_does_not_decide_her_own_claim(funded, members, world, make_user):
    treasurer = world["users"]["committee_a"]
    chair = make_user("chair_member", Role.FUND_CHAIR, ScopeKind.ORGANISATION, funded.organisation,
                      person=members[1].person)
    other = make_user("secretary_a", Role.FUND_SECRETARY, ScopeKind.ORGANISATION, funded.organisation)
    claim = _claim(treasurer, members[1], "own")
    with pytest.raises(ValidationError) as caught:
        services.claim_decide(actor=chair, claim=claim, approve=True)
    error = caught.value.error_dict["decided_by"][0]
    assert error.code == "own_claim" and "ตนเอง" in error.message
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert services.claim_decide(actor=other, claim=claim, approve=True).status == Claim.Status.APPROVED
    # someone else's claim: she decides it
    assert services.claim_decide(actor=chair, claim=_claim(treasurer, members[2], "theirs"),
                                 approve=True).status == Claim.Status.APPROVED


def test_a_payment_is_not_dated_before_the_event_nor_in_the_future(funded, members, world, make_user):
    treasurer = world["users"]["committee_a"]
    chair = make_user("chair_a", Role.FUND_CHAIR, ScopeKind.ORGANISATION, funded.organisation)
    claim = services.claim_decide(actor=chair, claim=_claim(treasurer, members[1], "h1"), approve=True)

    def refusal(date):
        with pytest.raises(ValidationError) as caught:
            services.claim_pay(actor=treasurer, claim=claim, date=date)
        return caught.value.error_dict["date"][0]

    assert refusal(D(2022, 8, 1)).code == "before_event"
    assert refusal(timezone.localdate() + datetime.timedelta(days=1)).code == "future"
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED and not claim.voucher_number
    assert services.claim_pay(actor=treasurer, claim=claim, date=D(2022, 8, 2)).status == Claim.Status.PAID


def test_in_a_pension_batch_the_reviewers_own_pension_waits_for_another_member(funded, members, world, make_user):
    """The chair, herself an elderly member, approving the month's pensions: the others are paid, hers is left."""
    from chumchon.welfare.models import Claim as ClaimModel

    treasurer = world["users"]["committee_a"]
    chair = make_user("chair_elder", Role.FUND_CHAIR, ScopeKind.ORGANISATION, funded.organisation,
                      person=members[1].person)
    claims = [_claim(treasurer, m, f"batch-{i}") for i, m in enumerate(members)]
    ClaimModel.objects.filter(pk__in=[c.pk for c in claims]).update(batch="pension-test")
    paid, left = services.pension_batch_approve(actor=chair, fund=funded, batch="pension-test", cash_account="1101")
    assert left == 1 and members[1].pk not in {c.membership_id for c in paid}
    assert ClaimModel.objects.get(membership=members[1], batch="pension-test").status == ClaimModel.Status.SUBMITTED


def test_a_pension_batch_paid_out_of_local_matching_money(funded, members, world, make_user, system_user):
    """The local administration's matching money pays the month's pensions: each is booked to 5202, the local
    money goes down by the batch, members' money stays."""
    from chumchon.ledger.models import Line
    from chumchon.welfare.models import Claim as ClaimModel
    from chumchon.welfare.selectors import money_by_source

    services.grant_receive(actor=system_user, fund=funded, source="local", amount=5000, date=datetime.date(2022, 1, 5),
                           idempotency_key="local")
    treasurer = world["users"]["committee_a"]
    chair = make_user("chair_local", Role.FUND_CHAIR, ScopeKind.ORGANISATION, funded.organisation)
    claims = [_claim(treasurer, m, f"local-{i}") for i, m in enumerate(members)]
    ClaimModel.objects.filter(pk__in=[c.pk for c in claims]).update(batch="pension-local")
    before = money_by_source(funded)
    paid, left = services.pension_batch_approve(actor=chair, fund=funded, batch="pension-local", cash_account="1102",
                                                source="local")
    total = sum(c.amount for c in paid)
    assert paid and left == 0 and total > 0
    assert set(Line.objects.filter(entry__claim__in=paid, debit__gt=0).values_list("account__code", flat=True)) == {
        "5202"}
    after = money_by_source(funded)
    assert (after["local"], after["members"]) == (before["local"] - total, before["members"])
