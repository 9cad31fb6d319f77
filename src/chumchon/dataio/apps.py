from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataioConfig(AppConfig):
    name = "chumchon.dataio"
    label = "dataio"
    verbose_name = _("Import and export")

    def audit_links(self) -> dict:
        """How the audit log links this app's records (core.audit_links)."""
        from chumchon.dataio.audit_links import LINKS

        return LINKS
