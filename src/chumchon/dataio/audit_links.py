"""Where the audit log links an import (see core.audit_links)."""

from django.urls import reverse

from chumchon.core.audit_links import visible


def _jobs(ids: list[str], user) -> dict[str, str]:
    from chumchon.dataio.models import ImportJob

    return {str(pk): reverse("dataio:import_detail", args=[pk]) for (pk,) in visible(ImportJob, ids, user)}


LINKS = {"dataio.importjob": _jobs}
