"""Money documents — contribution receipts, collection sheets, matching money received — are issued once: the
database refuses to change or remove them (as it refuses for posted ledger entries), whoever asks."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from chumchon.welfare import services
from chumchon.welfare.models import CollectionSheet, Contribution, Grant

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def documents(fund, members, system_user):
    sheet = services.collection_sheet_post(
        actor=system_user, fund=fund, date=D(2022, 2, 5), village_number=3, idempotency_key="sheet-1",
        payments=[services.SheetPayment(members[0], Decimal(30)), services.SheetPayment(members[1], Decimal(60))])
    grant = services.grant_receive(actor=system_user, fund=fund, source="government", amount=Decimal("3000.00"),
                                   date=D(2022, 3, 1), idempotency_key="g-1", members_covered=3)
    return {"welfare_contribution": sheet.contributions.first(), "welfare_collectionsheet": sheet,
            "welfare_grant": grant}


CHANGES = {
    "welfare_contribution": ("amount = amount + 1", "receipts"),
    "welfare_collectionsheet": ("village_number = 4", "sheets"),
    "welfare_grant": ("amount = 1", "grants"),
}


@pytest.mark.parametrize("table", sorted(CHANGES))
def test_update_and_delete_are_refused(documents, table):
    row = documents[table]
    change = CHANGES[table][0]
    for sql in (f"UPDATE {table} SET {change} WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    type(row).objects.get(pk=row.pk)  # still there


def test_what_was_issued_is_unchanged_after_the_refusals(documents):
    receipt = documents["welfare_contribution"]
    with pytest.raises(DatabaseError), transaction.atomic():
        Contribution.objects.filter(pk=receipt.pk).update(amount=Decimal("999.00"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Grant.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        CollectionSheet.objects.all().delete()  # PROTECT (its receipts) stops the ORM first; the database would too
    assert Contribution.objects.get(pk=receipt.pk).amount == receipt.amount
    assert Grant.objects.get().amount == Decimal("3000.00")
    assert CollectionSheet.objects.get().contributions.count() == 2


def test_truncate_is_refused_on_postgresql(documents):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is a PostgreSQL statement")
    for table in CHANGES:
        with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {table} CASCADE")


def test_issuing_more_goes_on_as_before(documents, members, system_user):
    """The guard is on change and removal only: new receipts are written as ever."""
    c = services.contribution_receive(actor=system_user, membership=members[2], amount=30, date=D(2022, 3, 5),
                                      idempotency_key="after-guard")
    assert Contribution.objects.filter(pk=c.pk, amount=Decimal("30.00")).exists()
