"""A council officer keeps the council's records, not the welfare fund's of the same tambon.

Given fund A and council A in subdistrict 500203 and a council officer scoped to that subdistrict, when the officer
opens or posts to the fund's forms and books, then the fund's records are read-only to them (404 on the forms, the
services refuse), while the council's own records stay theirs to change; a fund committee member and the
provincial secretariat are not affected.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location, restrict
from chumchon.councils.models import Council
from chumchon.ledger.models import Book
from chumchon.welfare import services as welfare
from chumchon.welfare.models import Contribution, Fund, Membership

pytestmark = pytest.mark.django_db


def test_the_officer_reads_the_fund_but_changes_only_the_council(world, councils):
    officer = world["users"]["council_a"]
    fund = world["fund_a"]
    assert restrict(Fund.objects.all(), officer, Action.VIEW).filter(pk=fund.pk).exists()
    assert not restrict(Fund.objects.all(), officer, Action.CHANGE).exists()
    assert not restrict(Membership.objects.filter(fund=fund), officer, Action.CHANGE).exists()
    assert not restrict(Book.objects.filter(organisation=fund.organisation), officer, Action.CHANGE).exists()
    assert list(restrict(Council.objects.all(), officer, Action.CHANGE)) == [councils["a"]]
    assert not allows_location(officer, Action.CHANGE, organisation=fund.organisation,
                               subdistrict=fund.organisation.subdistrict)
    assert not allows_location(officer, Action.CHANGE, subdistrict=world["sub_a"], kind="welfare_fund")
    assert allows_location(officer, Action.CHANGE, subdistrict=world["sub_a"], kind="council")


def test_others_still_keep_the_fund(world):
    fund = world["fund_a"]
    for who in ("committee_a", "province_a", "admin"):
        user = world["users"][who]
        assert restrict(Fund.objects.all(), user, Action.CHANGE).filter(pk=fund.pk).exists(), who
        assert allows_location(user, Action.CHANGE, organisation=fund.organisation,
                               subdistrict=fund.organisation.subdistrict), who


def test_the_services_refuse_the_officers_money(world):
    officer = world["users"]["council_a"]
    membership = world["fund_a"].memberships.first()
    with pytest.raises(PermissionDenied):
        welfare.contribution_receive(actor=officer, membership=membership, amount=Decimal("30.00"),
                                     date=datetime.date(2022, 1, 5), idempotency_key="officer-1")
    with pytest.raises(PermissionDenied):
        welfare.fund_create(actor=officer, code="A-002", name_th="กองทุนใหม่", subdistrict=world["sub_a"])
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("name", ["welfare:contribution_create", "welfare:member_enrol", "welfare:claim_create",
                                  "welfare:grant_create", "ledger:entry_create"])
def test_the_funds_forms_are_not_the_officers(world, login, name):
    fund = world["fund_a"]
    number = fund.memberships.first().member_number
    kwargs = {"code": fund.code, "number": number} if name == "welfare:contribution_create" else {"code": fund.code}
    client = login(world["users"]["council_a"])
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    response = client.post(reverse(name, kwargs=kwargs), {"amount": "30", "paid_on": "05/01/2565"})
    assert response.status_code == 404
    assert not Contribution.objects.exists()
    assert client.get(reverse("welfare:fund_detail", kwargs={"code": fund.code})).status_code == 200
