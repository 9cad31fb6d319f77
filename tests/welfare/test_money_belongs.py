"""A money document belongs to one fund, and the database says so whoever writes: a receipt's member and journal
entry, a grant's and a collection sheet's entry, a claim's member and entry are all the fund's own (the entry in
the fund's book)."""

import datetime

import pytest

from chumchon.welfare.models import BenefitKind, Claim, CollectionSheet, Contribution, Grant

from .conftest import receipt as _receipt
from .conftest import refused

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_receipt_of_its_own_fund_is_written(two):
    Contribution.objects.bulk_create([_receipt(two["a"], two["member_a"], two["entry_a"], "R1")])
    assert Contribution.objects.filter(receipt_number="R1").count() == 1


def test_a_receipt_naming_another_funds_member_is_refused(two):
    message = refused(lambda: Contribution.objects.bulk_create(
        [_receipt(two["a"], two["member_a"], two["entry_a"], "R1"),
         _receipt(two["a"], two["member_b"], two["entry_a"], "R2")]))  # one bad row refuses the statement
    assert "กองทุน" in message and not Contribution.objects.exists()


def test_a_receipt_posted_in_another_funds_book_is_refused(two):
    message = refused(lambda: Contribution.objects.bulk_create(
        [_receipt(two["a"], two["member_a"], two["entry_b"], "R1")]))
    assert "สมุดบัญชี" in message and not Contribution.objects.exists()


def test_a_grant_or_a_sheet_posted_in_another_funds_book_is_refused(two):
    refused(lambda: Grant.objects.create(fund=two["a"], source="government", date=D(2022, 1, 5), amount=30,
                                          fiscal_year=2565, entry=two["entry_b"], idempotency_key="g"))
    refused(lambda: CollectionSheet.objects.create(fund=two["a"], village_number=1, date=D(2022, 1, 5),
                                                    entry=two["entry_b"], idempotency_key="s"))
    assert not Grant.objects.exists() and not CollectionSheet.objects.exists()
    CollectionSheet.objects.create(fund=two["a"], village_number=1, date=D(2022, 1, 5), entry=two["entry_a"],
                                   idempotency_key="s")


def test_a_claim_for_another_funds_member_or_paid_from_its_book_is_refused(two):
    kind = BenefitKind.objects.get(code="hospital")
    base = {"fund": two["a"], "kind": kind, "event_date": D(2022, 1, 5), "idempotency_key": "c"}
    refused(lambda: Claim.objects.create(membership=two["member_b"], beneficiary=two["member_b"].person, **base))
    claim = Claim.objects.create(membership=two["member_a"], beneficiary=two["member_a"].person, **base)
    refused(lambda: Claim.objects.filter(pk=claim.pk).update(membership=two["member_b"]))
    refused(lambda: Claim.objects.filter(pk=claim.pk).update(entry=two["entry_b"]))
    claim.refresh_from_db()
    assert (claim.membership_id, claim.entry_id) == (two["member_a"].pk, None)
