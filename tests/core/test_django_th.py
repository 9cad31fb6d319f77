"""Django's own messages (chumchon.core.django_th): each still one Django writes, each Thai first with its English,
and what a user sees in a form: the blank choice of a select, decimal places, lengths, a required field."""

import re
from decimal import Decimal
from pathlib import Path

import django
import pytest
from django import forms
from django.db.models.utils import get_blank_choice_label
from django.utils import translation
from django.utils.translation import gettext, ngettext

from chumchon.core import django_th
from chumchon.core.forms import MoneyField

from .test_translations import parse_po

DJANGO_DIR = Path(django.__file__).resolve().parent
THAI = re.compile(r"[\u0e00-\u0e7f]")


def _django_ids() -> set[str]:
    """Every message id of Django's own catalogues (its English ones hold them all), the auth app's included."""
    ids = set()
    for catalogue in (DJANGO_DIR / "conf/locale/en/LC_MESSAGES/django.po",
                      DJANGO_DIR / "contrib/auth/locale/en/LC_MESSAGES/django.po"):
        for entry in parse_po(catalogue.read_text(encoding="utf-8")):
            if not entry.obsolete:
                ids.add(entry.msgid)
    return ids


def _plural(message) -> tuple[str, str]:
    """The singular and plural a lazy ngettext was made with (Django's lazy proxy keeps its arguments in ``_kw``)."""
    return message._kw["singular"], message._kw["plural"]


def test_each_message_is_still_one_django_writes():
    known = _django_ids()
    ours = [*django_th.MESSAGES, *(_plural(m)[0] for m in django_th.PLURAL_MESSAGES)]
    assert len(ours) == len(set(ours)), "a message listed twice"
    assert [m for m in ours if m not in known] == []


@pytest.mark.parametrize("message", django_th.MESSAGES)
def test_each_message_reads_thai_first_then_its_english(message):
    with translation.override("th"):
        thai = gettext(message)
    if message == "- Select an option -":  # a select's blank choice: a word, not a message
        assert thai == "- เลือก -"
    else:
        assert thai.endswith(f" ({message})"), thai
        assert THAI.search(thai.removesuffix(f" ({message})")), f"no Thai before the English: {thai!r}"
    with translation.override("en"):
        assert gettext(message) == message


@pytest.mark.parametrize("message", django_th.PLURAL_MESSAGES, ids=lambda m: _plural(m)[0][:40])
def test_each_plural_message_reads_thai_first_then_its_english_plural(message):
    singular, plural = _plural(message)
    with translation.override("th"):
        thai = ngettext(singular, plural, 2)
    assert thai.endswith(f" ({plural})"), thai
    assert THAI.search(thai.removesuffix(f" ({plural})")), f"no Thai before the English: {thai!r}"


def _errors(field: forms.Field, value) -> list[str]:
    with pytest.raises(forms.ValidationError) as caught:
        field.clean(value)
    return caught.value.messages


def test_a_form_speaks_thai_first_with_the_english_after():
    with translation.override("th"):
        assert get_blank_choice_label() == "- เลือก -"
        assert _errors(forms.DecimalField(max_digits=16, decimal_places=2), "12.345") == [
            "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง (Ensure that there are no more than 2 decimal places.)"]
        assert _errors(forms.DecimalField(max_digits=4, decimal_places=2), "123.4") == [
            "หน้าจุดทศนิยมมีได้ไม่เกิน 2 หลัก (Ensure that there are no more than 2 digits before the decimal point.)"]
        assert _errors(forms.CharField(max_length=3), "ABCD") == [
            "ยาวได้ไม่เกิน 3 ตัวอักษร (ตอนนี้ 4) (Ensure this value has at most 3 characters (it has 4).)"]
        assert _errors(forms.CharField(), "") == ["กรุณากรอกช่องนี้ (This field is required.)"]
        assert _errors(forms.IntegerField(min_value=1), "0") == [
            "ค่านี้ต้องไม่น้อยกว่า 1 (Ensure this value is greater than or equal to 1.)"]
        assert _errors(forms.ChoiceField(choices=[("a", "A")]), "b") == [
            "กรุณาเลือกจากตัวเลือกที่มี: b ไม่อยู่ในตัวเลือก (Select a valid choice. b is not one of the available "
            "choices.)"]
        # Our own fields keep their own messages (already Thai and English).
        assert MoneyField().clean("1,234.50") == Decimal("1234.50")
    with translation.override("en"):
        assert get_blank_choice_label() == "- Select an option -"
        assert _errors(forms.CharField(), "") == ["This field is required."]


@pytest.mark.django_db
def test_a_failed_login_says_so_in_thai_first(client):
    response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"},
                           headers={"accept-language": "th"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    assert "Please enter a correct" in response.content.decode()
