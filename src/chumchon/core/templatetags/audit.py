"""The audit log in words: an action's label, a record type's name."""

from django import template
from django.apps import apps

from chumchon.core.audit_labels import action_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    """``welfare.claim_pay`` → "Claim paid" (Thai on a Thai page); an unknown code as it is."""
    return action_label(code)


@register.filter
def object_kind(label: str) -> str:
    """``welfare.claim`` → the model's name ("คำขอรับสวัสดิการ"); a type no longer known as it is."""
    if not label:
        return ""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label
