"""Template filters for Thai conventions (installed as a builtin, so no ``{% load %}`` is needed).

``{{ d|be_date }}`` 25 พ.ย. 2569, ``{{ d|be_date:"long" }}``, ``{{ d|be_date:"numeric" }}``;
``{{ dt|be_datetime }}`` 25 พ.ย. 2569 14:05 น.; ``{{ amount|baht }}`` 1,234.50 (``baht:"symbol"`` ฿1,234.50);
``{{ amount|baht_text }}`` หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์; ``{{ pid|national_id }}`` 1-2345-67890-12-3;
``{{ pid|national_id_masked }}`` x-xxxx-xxxxx-12-3; ``{{ seconds|duration }}`` 2 นาที 15 วินาที.

Dates follow the active language: English readers get C.E. years, everyone else B.E. Values that cannot be
shown (bad input stored long ago) come back unchanged, except masked ID numbers, which never leak digits.
"""

import datetime

from django import template
from django.utils.translation import get_language

from chumchon.core.thai import money, national_id
from chumchon.core.thai.dates import STYLES, format_date, format_datetime
from chumchon.core.thai.errors import ThaiInputError

register = template.Library()

_FULLY_MASKED = "x-xxxx-xxxxx-xx-x"


def _lang() -> str:
    return "en" if (get_language() or "").lower().startswith("en") else "th"


def _empty(value: object) -> bool:
    return value is None or value == ""


@register.filter
def be_date(value: object, style: str = "short") -> object:
    """A date (or datetime, shown in Thailand time) in the active language; style short, long or numeric."""
    if style not in STYLES:
        raise template.TemplateSyntaxError(f"be_date style must be one of {STYLES}, not {style!r}")
    if _empty(value):
        return ""
    if not isinstance(value, datetime.date):
        return value
    return format_date(value, style, _lang())


@register.filter
def be_datetime(value: object) -> object:
    """An aware datetime in Thailand time; a plain date is shown as :func:`be_date` would."""
    if _empty(value):
        return ""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value  # naive: we cannot know its time zone, so do not pretend
        return format_datetime(value, _lang())
    if isinstance(value, datetime.date):
        return format_date(value, "short", _lang())
    return value


@register.filter
def baht(value: object, arg: str = "") -> object:
    """``1,234.50``; ``baht:"symbol"`` gives ``฿1,234.50``. A float raises: money is never float."""
    if _empty(value):
        return ""
    try:
        return money.format_baht(value, symbol=arg == "symbol")
    except ThaiInputError:
        return value


@register.filter
def baht_text(value: object) -> object:
    """The amount in Thai words, as on a receipt."""
    if _empty(value):
        return ""
    try:
        return money.baht_text(value)
    except ThaiInputError:
        return value


@register.filter(name="national_id")
def format_national_id(value: object) -> object:
    """``1-2345-67890-12-3``."""
    if _empty(value):
        return ""
    try:
        return national_id.format_id(str(value))
    except ThaiInputError:
        return value


@register.filter
def national_id_masked(value: object) -> str:
    """``x-xxxx-xxxxx-12-3``; anything that is not 13 digits is masked completely."""
    if _empty(value):
        return ""
    try:
        return national_id.mask(str(value))
    except ThaiInputError:
        return _FULLY_MASKED


@register.filter
def duration(value: object) -> object:
    """Seconds as people say them: ``45`` → 45 วินาที, ``135`` → 2 นาที 15 วินาที, ``7260`` → 2 ชั่วโมง 1 นาที
    (English: 45 s, 2 min 15 s, 2 h 1 min). Anything else comes back unchanged."""
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return value
    if seconds < 0:
        return value
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    units = ("ชั่วโมง", "นาที", "วินาที") if _lang() == "th" else ("h", "min", "s")
    if hours:
        parts = [(hours, units[0]), (minutes, units[1])]
    elif minutes:
        parts = [(minutes, units[1]), (seconds, units[2])]
    else:
        parts = [(seconds, units[2])]
    return " ".join(f"{n} {unit}" for n, unit in parts if n or len(parts) == 1)
