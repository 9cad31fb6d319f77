from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "chumchon.people"
    label = "people"

    def audit_links(self) -> dict:
        """How the audit log links this app's records (core.audit_links)."""
        from chumchon.people.audit_links import LINKS

        return LINKS
