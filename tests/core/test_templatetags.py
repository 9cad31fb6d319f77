import datetime
from decimal import Decimal

import pytest
from django.template import Context, Engine
from django.utils import translation

from chumchon.core.templatetags import thai

ENGINE = Engine(builtins=["chumchon.core.templatetags.thai"])


def render(source, lang="th", **context):
    with translation.override(lang):
        return ENGINE.from_string(source).render(Context(context))


D = datetime.date(2026, 11, 25)
DT = datetime.datetime(2026, 11, 25, 7, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("source", "lang", "expected"),
    [
        ("{{ d|be_date }}", "th", "25 พ.ย. 2569"),
        ('{{ d|be_date:"long" }}', "th", "25 พฤศจิกายน 2569"),
        ('{{ d|be_date:"numeric" }}', "th", "25/11/2569"),
        ("{{ d|be_date }}", "en", "25 Nov 2026"),
        ('{{ d|be_date:"long" }}', "en-us", "25 November 2026"),
        ('{{ d|be_date:"numeric" }}', "en", "25/11/2026"),
        ("{{ dt|be_datetime }}", "th", "25 พ.ย. 2569 14:05 น."),
        ("{{ dt|be_datetime }}", "en", "25 Nov 2026 14:05"),
        ("{{ d|be_datetime }}", "th", "25 พ.ย. 2569"),
        ("{{ dt|be_date }}", "th", "25 พ.ย. 2569"),
        ("{{ none|be_date }}|{{ none|be_datetime }}", "th", "|"),
    ],
)
def test_date_filters(source, lang, expected):
    assert render(source, lang, d=D, dt=DT, none=None) == expected


def test_be_date_unknown_style():
    with pytest.raises(Exception, match="style"):
        render('{{ d|be_date:"medium" }}', d=D)


def test_be_date_leaves_non_dates_alone():
    assert render("{{ s|be_date }}", s="not a date") == "not a date"


def test_be_datetime_leaves_naive_datetimes_unconverted():
    naive = datetime.datetime(2026, 11, 25, 14, 5)  # noqa: DTZ001
    assert thai.be_datetime(naive) is naive


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("{{ v|baht }}", Decimal("1234.5"), "1,234.50"),
        ('{{ v|baht:"symbol" }}', Decimal("1234.5"), "฿1,234.50"),
        ("{{ v|baht }}", Decimal("-1234.5"), "-1,234.50"),
        ("{{ v|baht }}", None, ""),
        ("{{ v|baht }}", "oops", "oops"),
        ("{{ v|baht_text }}", Decimal("1234.50"), "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์"),
        ("{{ v|baht_text }}", 21, "ยี่สิบเอ็ดบาทถ้วน"),
        ("{{ v|baht_text }}", None, ""),
        ("{{ v|national_id }}", "1234545678781", "1-2345-45678-78-1"),
        ("{{ v|national_id }}", "12345", "12345"),
        ("{{ v|national_id_masked }}", "1234545678781", "x-xxxx-xxxxx-78-1"),
        ("{{ v|national_id_masked }}", "12345", "x-xxxx-xxxxx-xx-x"),  # never leaks digits
        ("{{ v|national_id_masked }}", "", ""),
    ],
)
def test_value_filters(source, value, expected):
    assert render(source, v=value) == expected


def test_baht_refuses_float():
    with pytest.raises(TypeError):
        render("{{ v|baht }}", v=1.5)


def test_filters_are_builtins_in_project_settings(settings):
    builtins = settings.TEMPLATES[0]["OPTIONS"].get("builtins", [])
    assert "chumchon.core.templatetags.thai" in builtins


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (45, "th", "45 วินาที"), (135, "th", "2 นาที 15 วินาที"), (120, "th", "2 นาที"), (7260, "th", "2 ชั่วโมง 1 นาที"),
    (7200, "th", "2 ชั่วโมง"), (0, "th", "0 วินาที"), (135, "en", "2 min 15 s"), ("soon", "th", "soon"),
    (-5, "th", "-5"),
])
def test_duration_as_people_say_it(value, lang, expected):
    assert render("{{ v|duration }}", lang, v=value) == expected
