import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chumchon.core.thai.dates import (
    LANGS,
    STYLES,
    be_to_ce,
    be_year,
    ce_to_be,
    format_date,
    format_datetime,
    from_excel,
    parse_date,
)
from chumchon.core.thai.digits import to_thai_digits
from chumchon.core.thai.errors import DateInputError

NEW_YEAR_2560 = datetime.date(2017, 1, 1)
D = datetime.date(2026, 11, 25)
UTC = datetime.UTC


def test_era_conversions():
    assert ce_to_be(2026) == 2569
    assert be_to_ce(2569) == 2026
    assert be_year(D) == 2569
    assert be_year(datetime.date(2026, 1, 1)) == 2569  # the B.E. year changes on 1 January, like C.E.


# --- formatting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "lang", "expected"),
    [
        ("short", "th", "25 พ.ย. 2569"),
        ("long", "th", "25 พฤศจิกายน 2569"),
        ("numeric", "th", "25/11/2569"),
        ("short", "en", "25 Nov 2026"),
        ("long", "en", "25 November 2026"),
        ("numeric", "en", "25/11/2026"),
    ],
)
def test_format_date(style, lang, expected):
    assert format_date(D, style, lang) == expected


def test_format_date_defaults_and_padding():
    assert format_date(D) == "25 พ.ย. 2569"
    assert format_date(datetime.date(2017, 1, 1)) == "1 ม.ค. 2560"
    assert format_date(datetime.date(2017, 1, 1), "numeric") == "01/01/2560"
    assert format_date(None) == ""


def test_format_date_of_aware_datetime_uses_thailand_date():
    late_evening_utc = datetime.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # 03:00 on the 25th in Bangkok
    assert format_date(late_evening_utc) == "25 พ.ย. 2569"


def test_format_date_refuses_unknown_style_and_lang():
    with pytest.raises(ValueError, match="style"):
        format_date(D, "medium")
    with pytest.raises(ValueError, match="lang"):
        format_date(D, "short", "fr")


def test_format_datetime_in_bangkok_time():
    dt = datetime.datetime(2026, 11, 25, 7, 5, tzinfo=UTC)
    assert format_datetime(dt) == "25 พ.ย. 2569 14:05 น."
    assert format_datetime(dt, "en") == "25 Nov 2026 14:05"
    assert format_datetime(None) == ""


def test_format_datetime_refuses_naive():
    with pytest.raises(ValueError, match="naive"):
        format_datetime(datetime.datetime(2026, 11, 25, 14, 5))  # noqa: DTZ001


def test_format_datetime_refuses_plain_date():
    with pytest.raises(TypeError):
        format_datetime(D)


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1/1/2560",
        "01-01-2560",
        "1.1.2560",
        "1/1/60",
        "1 ม.ค. 60",
        "1 ม.ค. 2560",
        "1 มค 2560",
        "1มค60",
        "1 มกราคม 2560",
        "1 มกรา 2560",
        "วันที่ 1 มกราคม พ.ศ. 2560",
        "วันอาทิตย์ที่ 1 มกราคม 2560",
        "1 January 2017",
        "1 Jan 2017",
        "1 jan 2017",
        "January 1, 2017",
        "01-Jan-2017",
        "2017-01-01",
        "2560-01-01",
        "๑/๑/๒๕๖๐",
        "๑ ม.ค. ๖๐",
        "1/1/ค.ศ. 2017",
        "1/1/2017 ค.ศ.",
        "1 Jan 2017 A.D.",
        "1 ม.ค. พ.ศ. 2560",
        "1/1/2560 พศ",
        "  1 / 1 / 2560  ",
        "1 ม.ค. 2560.",
    ],
)
def test_parse_date_accepts(text):
    assert parse_date(text) == NEW_YEAR_2560


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/11/2569", datetime.date(2026, 11, 25)),
        ("25/11/69", datetime.date(2026, 11, 25)),
        ("29/2/2563", datetime.date(2020, 2, 29)),  # B.E. 2563 is C.E. 2020, a leap year
        ("1 ก.พ. 2560", datetime.date(2017, 2, 1)),
        ("1 พ.ค. 2560", datetime.date(2017, 5, 1)),
        ("1 พ.ย. 2560", datetime.date(2017, 11, 1)),
        ("1 กรกฏาคม 2560", datetime.date(2017, 7, 1)),  # common misspelling of กรกฎาคม
        ("1 December 2017", datetime.date(2017, 12, 1)),
        ("30 Sept 2017", datetime.date(2017, 9, 30)),
        ("1/1/1800", datetime.date(1800, 1, 1)),
        ("1/1/2200", datetime.date(2200, 1, 1)),
        ("1/1/2401", datetime.date(1858, 1, 1)),
        ("1/1/2560 ค.ศ.", datetime.date(2560, 1, 1)),  # the marker decides
        ("1/1/99", datetime.date(2056, 1, 1)),  # two digits are always B.E.: 2599
    ],
)
def test_parse_date_examples(text, expected):
    assert parse_date(text) == expected


def test_parse_date_passes_dates_through():
    assert parse_date(D) is D
    assert parse_date(datetime.datetime(2026, 11, 25, 14, 5, tzinfo=UTC)) == D


def test_parse_date_refuses_other_types():
    with pytest.raises(TypeError):
        parse_date(20170101)


def _error(text):
    with pytest.raises(DateInputError) as info:
        parse_date(text)
    return info.value


@pytest.mark.parametrize("text", ["", "   "])
def test_empty(text):
    error = _error(text)
    assert error.code == "empty"
    assert error.message_th == "ยังไม่ได้กรอกวันที่"


@pytest.mark.parametrize("text", ["garbage", "2560", "1/1/1/1", "123/1/2560", "2560-01-2560", "๑๒๓"])
def test_unrecognised(text):
    error = _error(text)
    assert error.code == "unrecognised"
    assert "อ่านวันที่" in error.message_th
    assert "วัน/เดือน/ปี" in error.message_th


@pytest.mark.parametrize("text", ["1/1", "1-1", "1 ม.ค.", "1 มกราคม", "วันที่ 1 Jan"])
def test_missing_year(text):
    error = _error(text)
    assert error.code == "missing_year"
    assert error.message_th.startswith("ไม่ได้ระบุปี")


@pytest.mark.parametrize(
    "text", ["1/1/2300", "1/1/2201", "1/1/1799", "1/1/123", "1/1/6", "1 Jan 60", "1/1/60 ค.ศ.", "1/1/0000"]
)
def test_ambiguous_year(text):
    error = _error(text)
    assert error.code == "ambiguous_year"
    assert "ไม่ชัดเจนว่าเป็น พ.ศ. หรือ ค.ศ." in error.message_th


def test_marker_year_before_1800_is_refused():
    error = _error("1/1/2017 พ.ศ.")
    assert error.code == "ambiguous_year"
    assert "ตรงกับ ค.ศ. 1474" in error.message_th


def test_both_markers_are_refused():
    error = _error("1 ม.ค. พ.ศ. 2560 ค.ศ.")
    assert error.code == "ambiguous_year"
    assert "ทั้ง พ.ศ. และ ค.ศ." in error.message_th


def test_month_out_of_range_hints_day_month_order():
    error = _error("1/13/2560")
    assert error.code == "month_out_of_range"
    assert "ไม่มีเดือนที่ 13" in error.message_th
    assert "วัน/เดือน/ปี เช่น 13/1/2560" in error.message_th
    assert "day/month/year" in error.message_en


@pytest.mark.parametrize("text", ["1/0/2560", "15/13/2560", "2017-13-01", "13/32/2560"])
def test_month_out_of_range_without_hint(text):
    error = _error(text)
    assert error.code == "month_out_of_range"
    assert "เดือนต้องอยู่ระหว่าง 1 ถึง 12" in error.message_th
    assert "วัน/เดือน/ปี" not in error.message_th


@pytest.mark.parametrize(
    ("text", "message_th"),
    [
        ("31/2/2560", "วันที่ 31 ไม่มีในเดือนกุมภาพันธ์ 2560"),
        ("29/2/2560", "วันที่ 29 ไม่มีในเดือนกุมภาพันธ์ 2560"),
        ("31/4/2017", "วันที่ 31 ไม่มีในเดือนเมษายน 2560"),  # the Thai message always shows B.E.
        ("0/1/2560", "วันที่ 0 ไม่มีในเดือนมกราคม 2560"),
        ("32 ม.ค. 2560", "วันที่ 32 ไม่มีในเดือนมกราคม 2560"),
    ],
)
def test_impossible_day(text, message_th):
    error = _error(text)
    assert error.code == "impossible_day"
    assert error.message_th == message_th


def test_impossible_day_english_uses_ce():
    assert _error("31/2/2560").message_en == "February 2017 has no day 31"


def test_unknown_month():
    error = _error("1 foo 2560")
    assert error.code == "unknown_month"
    assert 'ไม่รู้จักชื่อเดือน "foo"' in error.message_th


def test_error_str_is_thai_then_english():
    error = _error("31/2/2560")
    assert str(error) == "วันที่ 31 ไม่มีในเดือนกุมภาพันธ์ 2560 (February 2017 has no day 31)"


# --- properties -------------------------------------------------------------------------------

DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31))


@given(DATES, st.sampled_from(STYLES), st.sampled_from(LANGS))
def test_format_then_parse_round_trips(d, style, lang):
    assert parse_date(format_date(d, style, lang)) == d


@given(DATES, st.sampled_from(STYLES))
def test_thai_digit_variants_round_trip(d, style):
    assert parse_date(to_thai_digits(format_date(d, style, "th"))) == d


@given(DATES)
def test_two_digit_years_are_be(d):
    if 2500 <= be_year(d) <= 2599:
        assert parse_date(f"{d.day}/{d.month}/{be_year(d) % 100:02d}") == d


@given(DATES)
def test_iso_round_trips(d):
    assert parse_date(d.isoformat()) == d


# --- spreadsheets -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "   "])
def test_from_excel_empty(value):
    assert from_excel(value) is None


def test_from_excel_dates_and_datetimes():
    assert from_excel(datetime.datetime(2017, 1, 1, 0, 0)) == NEW_YEAR_2560  # noqa: DTZ001
    assert from_excel(NEW_YEAR_2560) == NEW_YEAR_2560


def test_from_excel_be_year_typed_into_date_cell():
    assert from_excel(datetime.datetime(2560, 1, 1)) == NEW_YEAR_2560  # noqa: DTZ001
    assert from_excel(datetime.date(2563, 2, 28)) == datetime.date(2020, 2, 28)


def test_from_excel_be_leap_day_that_cannot_be_shifted():
    # 2564 is a leap year in Excel's (Gregorian) calendar, but B.E. 2564 = C.E. 2021 is not.
    with pytest.raises(DateInputError) as info:
        from_excel(datetime.date(2564, 2, 29))
    assert info.value.code == "impossible_day"
    assert info.value.message_th == "วันที่ 29 ไม่มีในเดือนกุมภาพันธ์ 2564"


def test_from_excel_ambiguous_year_in_date_cell():
    with pytest.raises(DateInputError) as info:
        from_excel(datetime.date(2300, 1, 1))
    assert info.value.code == "ambiguous_year"


def test_from_excel_text():
    assert from_excel("1/1/2560") == NEW_YEAR_2560
    assert from_excel("๑ ม.ค. ๒๕๖๐") == NEW_YEAR_2560
    with pytest.raises(DateInputError):
        from_excel("31/2/2560")


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, datetime.date(1900, 1, 1)),
        (59, datetime.date(1900, 2, 28)),
        (61, datetime.date(1900, 3, 1)),
        (42736, NEW_YEAR_2560),
        (42736.75, NEW_YEAR_2560),  # the fraction is the time of day
        (43831, datetime.date(2020, 1, 1)),
    ],
)
def test_from_excel_serial_numbers(serial, expected):
    assert from_excel(serial) == expected


def test_from_excel_serial_60_is_excels_phantom_leap_day():
    with pytest.raises(DateInputError) as info:
        from_excel(60)
    assert info.value.code == "impossible_day"


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), 10**9, True, datetime.time(10, 0)])
def test_from_excel_unreadable(value):
    with pytest.raises(DateInputError) as info:
        from_excel(value)
    assert info.value.code == "unrecognised"


@given(st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2200, 12, 31)))
def test_from_excel_serial_matches_day_count(d):
    serial = (d - datetime.date(1899, 12, 30)).days
    assert from_excel(serial) == d
