"""`chumchon demo` builds a small real-looking world, and a second run changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from chumchon.access.models import RoleAssignment, User
from chumchon.access.roles import Role
from chumchon.assessments.models import Assessment
from chumchon.core.models import AuditLog
from chumchon.councils.models import Council, DevelopmentPlan, Meeting, PlanItemLink, Registration
from chumchon.ledger.models import JournalEntry
from chumchon.people.models import Person
from chumchon.welfare.models import CommitteeMember, Fund, Membership


def _snapshot():
    return {model.__name__: model.objects.count()
            for model in (Fund, Membership, Person, User, RoleAssignment, CommitteeMember, AuditLog, JournalEntry,
                          Council, Registration, Meeting, DevelopmentPlan, PlanItemLink, Assessment)}


@pytest.mark.django_db
def test_demo_world_and_idempotence(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "chumchon-demo" in text and "treasurer" in text
    first = _snapshot()
    assert 8 <= first["Fund"] <= 12
    per_fund = Fund.objects.annotate(n=Count("memberships")).values_list("n", flat=True)
    assert all(50 <= n <= 300 for n in per_fund)
    provinces = set(Fund.objects.values_list("organisation__subdistrict__province_id", flat=True))
    assert len(provinces) == 3
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert all(CommitteeMember.objects.filter(fund=f).count() >= 3 for f in Fund.objects.all())

    # Every fund's book has its history, balances, and the two fiscal years before this one closed.
    from django.db.models import Sum
    from django.utils import timezone

    from chumchon.core.thai.fiscal import fiscal_year_of
    from chumchon.ledger.models import Book, Line, Period

    this_year = fiscal_year_of(timezone.localdate()).be_year

    for book in Book.objects.all():
        assert book.entries.count() > 50
        sums = Line.objects.filter(book=book).aggregate(d=Sum("debit"), c=Sum("credit"))
        assert sums["d"] == sums["c"]
        for fy in (this_year - 2, this_year - 1):
            assert Period.objects.filter(book=book, fiscal_year=fy, status="closed").count() == 12
        assert not Period.objects.filter(book=book, fiscal_year=this_year, status="closed").exists()
    # Fund life went through the welfare services: receipts, claims decided by a second person and paid.
    from chumchon.welfare.models import Claim, Contribution

    assert Contribution.objects.count() > 1000
    assert Claim.objects.filter(status="paid").exclude(decided_by=None).count() > 100
    # and what a real year holds besides: in each fund a receipt cancelled, a benefit payment cancelled, and a
    # member who resigned (refunded where the cash allowed, under the example regulation)
    from chumchon.welfare.models import ClaimPaymentVoid, ContributionRefund, ContributionVoid

    funds = Fund.objects.count()
    assert ContributionVoid.objects.count() == funds and ClaimPaymentVoid.objects.count() == funds
    assert Membership.objects.filter(status="resigned", ended_on__isnull=False).count() >= funds
    assert ContributionRefund.objects.exists()

    # Councils: one in every fund's tambon, with organisations, meetings, plans linked to budgets, and two fiscal
    # years of strong-community assessments (this year's of the demo council officer's tambon is left to enter).
    assert first["Council"] == first["Fund"]
    assert Registration.objects.values("organization__kind").distinct().count() >= 5
    assert all(c.members.count() >= 9 and c.meetings.count() >= 4 for c in Council.objects.all())
    assert DevelopmentPlan.objects.filter(fiscal_year=this_year - 1).count() == first["Council"]
    assert DevelopmentPlan.objects.filter(fiscal_year=this_year).count() == first["Council"] - 1
    assert PlanItemLink.objects.filter(agency_kind="local", amount__gt=0).exists()
    strong = Assessment.objects.filter(instrument_code="strong-community", status="submitted")
    assert strong.filter(fiscal_year=this_year - 1).count() == first["Council"]
    assert strong.filter(fiscal_year=this_year).count() == first["Council"] - 1
    assert set(Assessment.objects.values_list("instrument_code", flat=True)) >= {
        "strong-community", "council-quality", "welfare-fund-quality"}
    assert "councils" in text

    call_command("demo", stdout=io.StringIO())
    assert _snapshot() == first


@pytest.mark.django_db
def test_demo_refuses_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo", stdout=io.StringIO())
