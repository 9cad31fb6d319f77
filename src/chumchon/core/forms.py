"""Form fields for Thai input: B.E. dates, national ID numbers and baht amounts.

Error messages come from :mod:`chumchon.core.thai` and are already bilingual ("Thai (English)"), so they
are not passed through gettext. The ``ValidationError`` code is the error's ``code``.
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chumchon.core.audit_labels import action_choices
from chumchon.core.thai import national_id
from chumchon.core.thai.dates import format_date, parse_date
from chumchon.core.thai.digits import to_arabic_digits
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.money import parse_money


def _validation_error(error: ThaiInputError) -> forms.ValidationError:
    return forms.ValidationError(str(error), code=error.code)


class BEDateInput(forms.TextInput):
    """A free-text date box; a date is shown day/month/B.E. year (``25/11/2569``), what users type back."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"placeholder": "วว/ดด/ปปปป", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: object) -> str | None:
        if isinstance(value, datetime.date):
            return format_date(value, "numeric", "th")
        return super().format_value(value)


class BEDateField(forms.DateField):
    """A date typed the Thai way (see :func:`~chumchon.core.thai.dates.parse_date`): ``25/11/2569``,
    ``25 พ.ย. 69``, ``2026-11-25`` and more."""

    widget = BEDateInput

    def __init__(self, *, not_future: bool = False, **kwargs: object) -> None:
        """``not_future``: a date that has happened (a birth, a payment, an event) — one after today is refused
        with the other fields' errors, not on the next round by the service (which checks it again)."""
        self.not_future = not_future
        super().__init__(**kwargs)

    def validate(self, value: datetime.date | None) -> None:
        super().validate(value)
        if self.not_future and value is not None and value > timezone.localdate():
            shown = format_date(value, "numeric", "th")
            raise forms.ValidationError(
                f"วันที่ {shown} อยู่ในอนาคต (ปี พ.ศ. พิมพ์ผิดหรือไม่?) (the date {shown} is in the future: is the B.E. "
                "year right?)", code="future")

    def to_python(self, value: object) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip()
        try:
            return parse_date(value)
        except ThaiInputError as error:
            raise _validation_error(error) from None
        except TypeError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class NationalIdField(forms.CharField):
    """เลขประจำตัวประชาชน: accepts spaces, dashes and Thai digits; cleans to the 13 bare digits."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 32)  # room for dashes and spaces as typed; the clean value has 13
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "placeholder": "x-xxxx-xxxxx-xx-x"})
        return attrs

    def to_python(self, value: object) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return national_id.validate(value)
        except ThaiInputError as error:
            raise _validation_error(error) from None


class MoneyField(forms.DecimalField):
    """A baht amount as typed (``1,234.50``, ``฿1,234``, Thai digits); cleans to a two-place Decimal.
    Negative amounts are refused unless ``allow_negative=True``."""

    widget = forms.TextInput

    def __init__(self, *, allow_negative: bool = False, **kwargs: object) -> None:
        self.allow_negative = allow_negative
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "decimal")
        return attrs

    def to_python(self, value: object) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip()
        try:
            return parse_money(value, allow_negative=self.allow_negative)
        except ThaiInputError as error:
            raise _validation_error(error) from None
        except TypeError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class WholeNumberField(forms.IntegerField):
    """A whole number as typed on a Thai phone: Thai digits (``๑๒``), spaces and thousands commas are fine. A text
    box with the numeric keypad, not ``type=number``, which refuses Thai digits before the server sees them."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "numeric")
        return attrs

    def to_python(self, value: object) -> int | None:
        if isinstance(value, str):
            value = to_arabic_digits(value).replace(",", "").replace(" ", "").strip()
        return super().to_python(value)


class AuditFilterForm(forms.Form):
    """The audit log's filters: an action (or a whole module), a span of days, who."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    since = BEDateField(label=_("From"), required=False)
    until = BEDateField(label=_("To"), required=False)
    who = forms.CharField(label=_("By (username; - for the system)"), required=False, max_length=150)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *action_choices()]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", ValidationError(
                "วันที่สิ้นสุดอยู่ก่อนวันที่เริ่ม (the end date is before the start date)", code="span"))
        return data


def apply_errors(form, exc: ValidationError) -> None:
    """A service's refusal shown on the form: each field's messages on that field, the rest on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
