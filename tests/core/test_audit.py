"""The audit log and the personal-data access log are append-only, enforced by the database."""

import pytest
from django.db import DatabaseError, connection, connections, transaction

from chumchon.core.audit import audit_record
from chumchon.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_audit_record_needs_the_writing_transaction(system_user, monkeypatch):
    # Outside atomic() the row could commit without the change it describes.
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    with pytest.raises(RuntimeError, match="inside the writing transaction"):
        audit_record(actor=system_user, action="x")


def test_every_service_write_leaves_an_audit_row(world):
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"welfare.fund_create", "people.person_create", "welfare.membership_enrol", "access.role_assign",
            "people.household_create"} <= actions


@pytest.mark.parametrize("sql", [
    "UPDATE core_auditlog SET summary = 'rewritten'",
    "DELETE FROM core_auditlog",
    "UPDATE people_personaldataaccess SET purpose = 'rewritten'",
    "DELETE FROM people_personaldataaccess",
])
def test_raw_sql_cannot_rewrite_history(sql, world):
    from chumchon.people.services import personal_data_reveal

    personal_data_reveal(actor=world["users"]["auditor"], person=world["a_people"][0], purpose="audit check")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_orm_update_and_delete_are_refused_too(world):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.all().update(summary="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.all().delete()
    assert AuditLog.objects.exclude(summary="x").count() == AuditLog.objects.count()


def test_truncate_is_refused_on_postgresql(world):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is a PostgreSQL statement")
    for table in ("core_auditlog", "people_personaldataaccess"):
        with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending from the fixtures
            cursor.execute(f"TRUNCATE {table} CASCADE")
