"""Fields the welfare models share."""

from django.db import models
from django.utils import timezone


def document_created() -> models.DateTimeField:
    """When a money document (receipt, collection sheet, grant, claim) was made. A default, not auto_now_add:
    a fund moved from another instance keeps its documents' own times, written with them — their tables refuse
    the UPDATE that would put the times back afterwards (welfare/sql/money_append_only, claims_final)."""
    return models.DateTimeField(default=timezone.now, editable=False)
