"""Where the audit log links an assessment (see core.audit_links)."""

from django.urls import reverse

from chumchon.core.audit_links import visible


def _assessments(ids: list[str], user) -> dict[str, str]:
    from chumchon.assessments.models import Assessment

    return {str(pk): reverse("assessments:assessment_detail", args=[pk]) for (pk,) in visible(Assessment, ids, user)}


LINKS = {"assessments.assessment": _assessments}
