from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "chumchon.councils"
    label = "councils"

    def audit_links(self) -> dict:
        """How the audit log links this app's records (core.audit_links)."""
        from chumchon.councils.audit_links import LINKS

        return LINKS
