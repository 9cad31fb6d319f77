import datetime
from decimal import Decimal

import pytest
from django import forms

from chumchon.core.forms import BEDateField, BEDateInput, MoneyField, NationalIdField


class PersonForm(forms.Form):
    born = BEDateField()
    national_id = NationalIdField()
    pledge = MoneyField()
    balance = MoneyField(allow_negative=True, required=False)
    left_on = BEDateField(required=False)


VALID_DATA = {"born": "25/11/2569", "national_id": "1-2345-45678-78-1", "pledge": "฿1,234.5"}


def test_valid_form_cleans_to_python_values():
    form = PersonForm(data={**VALID_DATA, "balance": "-10", "left_on": "1 ม.ค. 2560"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "born": datetime.date(2026, 11, 25),
        "national_id": "1234545678781",
        "pledge": Decimal("1234.50"),
        "balance": Decimal("-10.00"),
        "left_on": datetime.date(2017, 1, 1),
    }


def test_optional_fields_clean_to_none():
    form = PersonForm(data=VALID_DATA)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["balance"] is None
    assert form.cleaned_data["left_on"] is None


def _errors(field, value):
    form = PersonForm(data={**VALID_DATA, field: value})
    assert not form.is_valid()
    return form.errors.as_data()[field]


def test_date_error_is_bilingual_with_code():
    [error] = _errors("born", "31/2/2560")
    assert error.code == "impossible_day"
    assert error.messages == ["วันที่ 31 ไม่มีในเดือนกุมภาพันธ์ 2560 (February 2017 has no day 31)"]


def test_date_month_hint():
    [error] = _errors("born", "1/13/2560")
    assert error.code == "month_out_of_range"
    assert "13/1/2560" in error.messages[0]


def test_required_date_uses_djangos_required_message():
    [error] = _errors("born", "")
    assert error.code == "required"


def test_national_id_errors():
    [error] = _errors("national_id", "1-2345-45678-78-2")
    assert error.code == "checksum"
    assert error.messages[0].startswith("เลขประจำตัวประชาชนไม่ถูกต้อง")
    [error] = _errors("national_id", "12345")
    assert error.code == "not_13_digits"


def test_money_errors():
    [error] = _errors("pledge", "1.234")
    assert error.code == "too_many_decimals"
    assert error.messages[0].startswith("ทศนิยมเกินสองตำแหน่ง")
    [error] = _errors("pledge", "-5")
    assert error.code == "negative"
    [error] = _errors("pledge", "abc")
    assert error.code == "invalid"


def test_date_widget_renders_be_date():
    widget = BEDateInput()
    html = widget.render("born", datetime.date(2026, 11, 25))
    assert 'value="25/11/2569"' in html
    assert 'placeholder="วว/ดด/ปปปป"' in html
    assert 'type="text"' in html
    assert "inputmode" not in html


def test_unbound_form_shows_initial_in_be():
    form = PersonForm(initial={"born": datetime.date(2017, 1, 1), "pledge": Decimal("12.50")})
    assert 'value="01/01/2560"' in str(form["born"])
    assert 'value="12.50"' in str(form["pledge"])


def test_bound_invalid_form_shows_what_was_typed():
    form = PersonForm(data={**VALID_DATA, "born": "31/2/2560"})
    assert 'value="31/2/2560"' in str(form["born"])


def test_money_widget_is_text_not_number():
    html = str(PersonForm()["pledge"])
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html


def test_national_id_widget():
    html = str(PersonForm()["national_id"])
    assert 'inputmode="numeric"' in html


@pytest.mark.parametrize(
    "value", [datetime.date(2017, 1, 1), datetime.datetime(2017, 1, 1, tzinfo=datetime.UTC)]
)
def test_date_field_accepts_date_objects(value):
    assert BEDateField().clean(value) == datetime.date(2017, 1, 1)


def test_has_changed_compares_dates():
    field = BEDateField()
    assert not field.has_changed(datetime.date(2017, 1, 1), "1/1/2560")
    assert field.has_changed(datetime.date(2017, 1, 1), "2/1/2560")


@pytest.mark.parametrize(("typed", "value"), [("12", 12), ("๑๒", 12), (" 1,250 ", 1250), ("๙๙", 99)])
def test_whole_numbers_as_typed_on_a_thai_phone(typed, value):
    """Village numbers and counts were type=number boxes, which refuse Thai digits before the server sees them."""
    from chumchon.core.forms import WholeNumberField

    field = WholeNumberField(min_value=0, max_value=2000)
    assert field.clean(typed) == value
    assert 'inputmode="numeric"' in field.widget.render("n", "", attrs=field.widget_attrs(field.widget))
    assert 'type="text"' in field.widget.render("n", "")


def test_a_whole_number_field_still_names_what_is_wrong():
    from django.core.exceptions import ValidationError

    from chumchon.core.forms import WholeNumberField

    for typed in ("สิบ", "1.5", "-3"):
        with pytest.raises(ValidationError):
            WholeNumberField(min_value=0).clean(typed)
