"""A receipt's member and journal entry have no foreign key (one check a receipt fewer for a million imported
receipts); the database still keeps what the keys kept: they exist when the receipt is written, and are not
removed or renumbered while it names them (welfare/sql/money_belongs and money_parents)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import ProtectedError

from chumchon.ledger.models import JournalEntry
from chumchon.welfare.models import Contribution, Membership

from .conftest import receipt as _receipt
from .conftest import refused

pytestmark = pytest.mark.django_db
D = datetime.date
_INSERT = ("INSERT INTO welfare_contribution (fund_id, membership_id, receipt_number, fiscal_year, date, amount, days,"
           " covers_from, covers_to, entry_id, idempotency_key, created) VALUES (%s, %s, %s, 2565, '2022-01-05', 30,"
           " 30, '2022-01-01', '2022-01-30', %s, %s, '2022-01-05 00:00:00+00')")


def _missing(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


def test_a_receipt_naming_a_member_or_entry_that_is_not_there_is_refused(two):
    fund, member, entry = two["a"], two["member_a"], two["entry_a"]
    refused(sql=_INSERT, params=[fund.pk, _missing(Membership), "R1", entry.pk, "R1"])
    refused(sql=_INSERT, params=[fund.pk, member.pk, "R2", _missing(JournalEntry), "R2"])
    assert not Contribution.objects.exists()
    with connection.cursor() as cursor:  # the same row with both there is written
        cursor.execute(_INSERT, [fund.pk, member.pk, "R3", entry.pk, "R3"])
    assert Contribution.objects.get().receipt_number == "R3"


def test_a_member_with_receipts_is_not_removed_or_renumbered(two):
    member = two["member_a"]
    Contribution.objects.bulk_create([_receipt(two["a"], member, two["entry_a"], "R1")])
    new_id = _missing(Membership)
    assert "receipts" in refused(sql="DELETE FROM welfare_membership WHERE id = %s", params=[member.pk])
    assert "receipts" in refused(sql="UPDATE welfare_membership SET id = %s WHERE id = %s", params=[new_id, member.pk])
    with pytest.raises(ProtectedError):  # and the ORM says so before the database has to
        member.delete()
    assert Membership.objects.filter(pk=member.pk).exists()
    Membership.objects.filter(pk=member.pk).update(member_number="X-1")  # any other change is the member's own
    # A member with no receipt can still be renumbered (nothing names it).
    other = two["member_b"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE welfare_membership SET id = %s WHERE id = %s", [new_id, other.pk])
    assert Membership.objects.filter(pk=new_id).exists()


def test_a_journal_entry_with_receipts_is_not_removed_even_as_a_draft(two):
    fund = two["a"]
    draft = JournalEntry.objects.create(book=fund.organisation.book, date=D(2022, 1, 5), memo="draft",
                                        idempotency_key="d", payload_hash="x")
    spare = JournalEntry.objects.create(book=fund.organisation.book, date=D(2022, 1, 5), memo="spare",
                                        idempotency_key="s", payload_hash="x")
    Contribution.objects.bulk_create([_receipt(fund, two["member_a"], draft, "R1")])
    assert "receipts" in refused(sql="DELETE FROM ledger_journalentry WHERE id = %s", params=[draft.pk])
    assert JournalEntry.objects.filter(pk=draft.pk).exists()
    with connection.cursor() as cursor:  # a draft no receipt names goes as it always could
        cursor.execute("DELETE FROM ledger_journalentry WHERE id = %s", [spare.pk])
    assert not JournalEntry.objects.filter(pk=spare.pk).exists()
    assert Contribution.objects.get().amount == Decimal(30)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_the_members_are_not_truncated_while_there_are_receipts(two):
    Contribution.objects.bulk_create([_receipt(two["a"], two["member_a"], two["entry_a"], "R1")])
    with connection.cursor() as cursor:  # the test's own checks run now: TRUNCATE refuses pending ones
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    message = refused(sql="TRUNCATE welfare_membership CASCADE")
    assert "while there are contribution receipts" in message
    assert Membership.objects.filter(pk=two["member_a"].pk).exists()
