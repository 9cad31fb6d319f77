"""For a fund with a year of random activity, member-level records add up to the ledger's balances by source,
to the satang."""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from chumchon.access.roles import Role, ScopeKind
from chumchon.ledger.models import Account, Line
from chumchon.welfare import services
from chumchon.welfare.models import BenefitKind, Claim, Contribution, Grant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_member_records_agree_with_the_books(seed, fund, members, world, make_person, make_user, system_user):
    rng = random.Random(seed)
    members = members + [make_person("500203", fund=fund, first_name=f"สุ่ม{i}").memberships.get() for i in range(5)]
    treasurer = world["users"]["committee_a"]
    chair = make_user("chair_r", Role.FUND_CHAIR, ScopeKind.ORGANISATION, fund.organisation)
    kinds = list(BenefitKind.objects.filter(code__in=["newborn", "hospital", "funeral", "disaster", "illness_home"]))
    day = datetime.date(2021, 10, 1)
    for step in range(120):
        day += datetime.timedelta(days=rng.randint(0, 3))
        action = rng.random()
        try:
            if action < 0.45:
                services.contribution_receive(actor=treasurer, membership=rng.choice(members),
                                              amount=rng.choice([30, 60, 365]), date=day, idempotency_key=f"c{step}")
            elif action < 0.6:
                chosen = rng.sample(members, k=rng.randint(1, len(members)))
                services.collection_sheet_post(actor=treasurer, fund=fund, date=day, idempotency_key=f"s{step}",
                                               payments=[services.SheetPayment(m, Decimal(30)) for m in chosen])
            elif action < 0.7:
                services.grant_receive(actor=treasurer, fund=fund, source=rng.choice(["government", "local"]),
                                       amount=Decimal(rng.randint(100, 5000)) + Decimal("0.25"), date=day,
                                       idempotency_key=f"g{step}")
            else:
                kind = rng.choice(kinds)
                claim = services.claim_submit(actor=treasurer, membership=rng.choice(members), kind=kind,
                                              event_date=day,
                                              units=rng.randint(1, 4), consent=True, idempotency_key=f"k{step}")
                if claim.eligible:
                    services.claim_decide(actor=chair, claim=claim, approve=True)
                    services.claim_pay(actor=treasurer, claim=claim, date=day)
        except ValidationError:
            pass  # refusals (cap reached, not enough money…) must leave no trace; the sums below prove it
    book = fund.organisation.book

    def balance(code):
        return Account.objects.get(book=book, code=code).balance

    assert Contribution.objects.filter(fund=fund).aggregate(s=Sum("amount"))["s"] == balance("4101")
    grants = {row["source"]: row["s"] for row in Grant.objects.filter(fund=fund).values("source").annotate(
        s=Sum("amount"))}
    assert grants.get("government", 0) == balance("4201") and grants.get("local", 0) == balance("4202")
    paid = defaultdict(lambda: Decimal(0))
    for claim in Claim.objects.filter(fund=fund, status="paid").select_related("kind"):
        paid[claim.kind.expense_account] += claim.amount
    for kind in kinds:
        assert paid[kind.expense_account] == balance(kind.expense_account), kind.code
    totals = Line.objects.filter(book=book).aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"]
    assert Claim.objects.filter(fund=fund, status="paid").exists()
