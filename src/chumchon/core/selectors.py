"""Reads of the audit log, scoped like everything else."""

from django.db.models import QuerySet

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.core.models import AuditLog


def audit_list(user, *, action: str = "") -> QuerySet[AuditLog]:
    qs = restrict(AuditLog.objects.all(), user, Action.VIEW_AUDIT).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    return qs
