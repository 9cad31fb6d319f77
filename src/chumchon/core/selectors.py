"""Reads of the audit log, scoped like everything else."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.core.models import AuditLog


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_list(user, *, action: str = "", since: datetime.date | None = None, until: datetime.date | None = None,
               who: str = "") -> QuerySet[AuditLog]:
    """The rows the user may read: of actions starting with ``action`` (a module, ``welfare.``, or one action),
    from the day ``since`` to the day ``until`` (both whole days, in Thai time), by the user named ``who`` (or
    the system, for ``who`` = "-")."""
    qs = restrict(AuditLog.objects.all(), user, Action.VIEW_AUDIT).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    if since:
        qs = qs.filter(at__gte=_start_of(since))
    if until:
        qs = qs.filter(at__lt=_start_of(until + datetime.timedelta(days=1)))
    if who == "-":
        qs = qs.filter(actor__isnull=True)
    elif who:
        qs = qs.filter(actor__username__iexact=who)
    return qs
