from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "chumchon.welfare"
    label = "welfare"

    def audit_links(self) -> dict:
        """How the audit log links this app's records (core.audit_links)."""
        from chumchon.welfare.audit_links import LINKS

        return LINKS
