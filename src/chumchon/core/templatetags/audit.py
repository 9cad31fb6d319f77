"""The audit log in words: an action's label, a record type's name, a summary's dates and amounts."""

import datetime
import re
from decimal import Decimal

from django import template
from django.apps import apps

from chumchon.core.audit_labels import action_label
from chumchon.core.i18n import reader_lang
from chumchon.core.thai.dates import format_date

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


_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_AMOUNT = re.compile(r"(?<![\d.,])(\d{4,})\.(\d{2})(?![\d.])")


@register.filter
def audit_summary(text: str) -> str:
    """A summary as recorded (machine-plain: ``2025-10-14``, ``87600.00``) shown as people read it: dates as
    ``14 ต.ค. 2568`` (or ``14 Oct 2025`` in English), amounts with thousands separators. The record is unchanged."""
    lang = reader_lang()

    def day(match: re.Match) -> str:
        try:
            return format_date(datetime.date(*map(int, match.groups())), "short", lang)
        except ValueError:
            return match.group(0)

    text = _ISO_DATE.sub(day, text or "")
    return _AMOUNT.sub(lambda m: f"{Decimal(f'{m.group(1)}.{m.group(2)}'):,.2f}", text)
