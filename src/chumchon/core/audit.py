"""Writing the audit log: every service calls :func:`audit_record` inside its own transaction."""

from typing import Any

from django.db import connection, models
from django.utils import timezone

from chumchon.core.models import AuditLog

_TABLE = AuditLog._meta.db_table
_INSERT = (
    f"INSERT INTO {_TABLE} (at, actor_id, action, object_type, object_id, summary, data, organisation_id,"
    " subdistrict_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def _label(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    organisation=None,
    subdistrict=None,
) -> None:
    """Append one audit row. Must run inside the transaction of the write it describes, so that the row and
    the change commit or roll back together.

    One parameterised INSERT with no RETURNING: every service writes one of these, so it is kept as cheap as the
    statement itself (the ORM's ``create`` cost several times the database's own work on a posting)."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record() must be called inside the writing transaction (transaction.atomic)")
    object_type, object_id = _label(obj)
    if organisation is None and obj is not None:
        organisation = getattr(obj, "audit_organisation", None)
    if subdistrict is None and obj is not None:
        subdistrict = getattr(obj, "audit_subdistrict", None)
    ops = connection.ops
    row = [
        ops.adapt_datetimefield_value(timezone.now()),
        actor.pk if getattr(actor, "is_authenticated", False) else None,
        action,
        object_type,
        object_id,
        summary[:2000],
        ops.adapt_json_value(data or {}, None),
        organisation.pk if organisation is not None else None,
        subdistrict.pk if subdistrict is not None else None,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, row)


def audit_record_many(*, actor, action: str, items: list[tuple[models.Model, str]], organisation=None) -> None:
    """One audit row for each ``(object, summary)`` of a bulk write (the same action by the same actor, for one
    organisation), in one statement: a batch of 500 payments leaves 500 rows, as 500 single writes would."""
    if not items:
        return
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record_many() must be called inside the writing transaction (transaction.atomic)")
    ops = connection.ops
    at = ops.adapt_datetimefield_value(timezone.now())
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    empty = ops.adapt_json_value({}, None)
    rows = []
    for obj, summary in items:
        object_type, object_id = _label(obj)
        org = organisation if organisation is not None else getattr(obj, "audit_organisation", None)
        rows.append([at, actor_id, action, object_type, object_id, summary[:2000], empty,
                     org.pk if org is not None else None, None])
    with connection.cursor() as cursor:
        cursor.executemany(_INSERT, rows)
