"""Writing the audit log: every service calls :func:`audit_record` inside its own transaction."""

from typing import Any

from django.db import connection, models

from chumchon.core.models import AuditLog


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
) -> AuditLog:
    """Append one audit row. Must run inside the transaction of the write it describes, so that the row and
    the change commit or roll back together."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record() must be called inside the writing transaction (transaction.atomic)")
    object_type, object_id = _label(obj)
    if organisation is None and obj is not None:
        organisation = getattr(obj, "audit_organisation", None)
    if subdistrict is None and obj is not None:
        subdistrict = getattr(obj, "audit_subdistrict", None)
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:2000],
        data=data or {},
        organisation=organisation,
        subdistrict=subdistrict,
    )
