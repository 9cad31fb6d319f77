"""Where the audit log links an import (see core.audit_links)."""

from django.urls import reverse

from chumchon.core.audit_links import numeric

LINKS = {"dataio.importjob": lambda ids: {str(pk): reverse("dataio:import_detail", args=[pk])
                                          for pk in numeric(ids)}}
