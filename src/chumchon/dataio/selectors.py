"""Reads of imports, always scoped (``access.scoping``)."""

from django.db.models import QuerySet

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404, restrict
from chumchon.dataio.models import ImportJob


def import_list(user, *, status: str = "", kind: str = "") -> QuerySet[ImportJob]:
    """The imports ``user`` may see, newest first; ``status`` and ``kind`` filter when they are known values
    (anything else, as a hand-typed address may hold, is ignored rather than refused)."""
    jobs = restrict(ImportJob.objects.select_related("fund__organisation", "created_by"), user)
    if status in ImportJob.Status.values:
        jobs = jobs.filter(status=status)
    if kind in ImportJob.Kind.values:
        jobs = jobs.filter(kind=kind)
    return jobs.order_by("-created", "-pk")


def import_or_404(user, pk: int, action: str = Action.VIEW) -> ImportJob:
    """One import ``user`` may see (``action``: what they mean to do with it), with its fund's book."""
    return get_scoped_or_404(ImportJob.objects.select_related("fund__organisation__book", "created_by"),
                             user, action, pk=pk)
