from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "chumchon.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def audit_links(self) -> dict:
        """How the audit log links this app's records (core.audit_links)."""
        from chumchon.ledger.audit_links import LINKS

        return LINKS
