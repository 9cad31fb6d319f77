from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "chumchon.assessments"
    label = "assessments"

    def audit_links(self) -> dict:
        """How the audit log links this app's records (core.audit_links)."""
        from chumchon.assessments.audit_links import LINKS

        return LINKS
