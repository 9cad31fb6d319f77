"""Reads of imports, always scoped (``access.scoping``)."""

from django.db.models import QuerySet

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404, restrict
from chumchon.dataio.kinds import KINDS
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


def import_hidden_columns(user, job: ImportJob) -> frozenset[str]:
    """The columns (keys) of ``job``'s file whose values ``user`` is not shown in its problems, its changes and
    its report: nothing for a kind without personal data, or for a user who may see unmasked personal data where
    the job sits (the fund's committee, an auditor, whoever uploaded it); otherwise, as the exports decide
    (:data:`exports.PERSONAL`, :data:`exports.PERSONAL_COLUMNS`), the personal columns of a kind that has a few
    (an organisation's leaders and contact) and every column of one that is personal data throughout (people,
    members, payouts) — ``""`` included, for problems of a whole row."""
    from chumchon.dataio.exports import PERSONAL, PERSONAL_COLUMNS

    if job.kind not in PERSONAL or restrict(ImportJob.objects.filter(pk=job.pk), user, Action.VIEW_PERSONAL).exists():
        return frozenset()
    if job.kind in PERSONAL_COLUMNS:
        return frozenset(PERSONAL_COLUMNS[job.kind])
    return frozenset(["", *(column.key for column in KINDS[job.kind].columns)])


def hidden_labels(job: ImportJob, hidden: frozenset[str]) -> frozenset[str]:
    """The hidden columns as problems and changes name them (the template's Thai header)."""
    kind = KINDS[job.kind]
    return frozenset(kind.column_label(key) if key else "" for key in hidden)


def import_shown(items, labels: frozenset[str], *fields: str) -> list:
    """Problems or changes with ``fields`` blanked where their column is hidden (``labels``): a problem's
    ``value``, a change's ``old`` and ``new``. The objects are not saved."""
    items = list(items)
    for item in items:
        if item.column in labels:
            for name in fields:
                setattr(item, name, "")
    return items
