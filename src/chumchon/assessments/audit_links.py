"""Where the audit log links an assessment (see core.audit_links)."""

from django.urls import reverse

from chumchon.core.audit_links import numeric

LINKS = {"assessments.assessment": lambda ids: {str(pk): reverse("assessments:assessment_detail", args=[pk])
                                                for pk in numeric(ids)}}
