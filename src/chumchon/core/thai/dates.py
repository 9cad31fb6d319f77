"""Dates the Thai way: Buddhist Era years (พุทธศักราช, พ.ศ.) and day/month/year order.

Thai people count years from the Buddha's passing: B.E. = C.E. + 543, so 2026 is พ.ศ. 2569. Dates are
written day/month/year (25/11/2569) and often with a two-digit year (25/11/69). English readers get the
C.E. year. Times are shown in Thailand time (Asia/Bangkok, UTC+7, no daylight saving).
"""

import calendar
import datetime
import re
from zoneinfo import ZoneInfo

from chumchon.core.thai.digits import to_arabic_digits
from chumchon.core.thai.errors import DateInputError
from chumchon.core.thai.months import MONTHS_EN, MONTHS_EN_ABBR, MONTHS_TH, MONTHS_TH_ABBR, month_number

BE_OFFSET = 543
BANGKOK = ZoneInfo("Asia/Bangkok")
STYLES = ("short", "long", "numeric")
LANGS = ("th", "en")

# A bare four-digit year above this is B.E.; one within CE_YEARS is C.E.; anything else is ambiguous.
# Even with a พ.ศ./ค.ศ. marker, dates before C.E. 1800 are refused as typing mistakes.
BE_YEAR_ABOVE = 2400
CE_YEARS = range(1800, 2201)

_EXAMPLE = "25/11/2569"


def ce_to_be(year: int) -> int:
    """พ.ศ. (B.E.) year of a C.E. year: 2026 -> 2569."""
    return year + BE_OFFSET


def be_to_ce(year: int) -> int:
    """ค.ศ. (C.E.) year of a B.E. year: 2569 -> 2026."""
    return year - BE_OFFSET


def be_year(d: datetime.date) -> int:
    """The B.E. year a date falls in: 25 Nov 2026 -> 2569."""
    return ce_to_be(d.year)


# --- formatting ---------------------------------------------------------------------------------


def _local_date(d: datetime.date) -> datetime.date:
    """The calendar date; an aware datetime is first moved to Thailand time."""
    if isinstance(d, datetime.datetime):
        return (d.astimezone(BANGKOK) if d.tzinfo is not None else d).date()
    return d


def format_date(d: datetime.date | None, style: str = "short", lang: str = "th") -> str:
    """A date for people: th ``25 พ.ย. 2569`` / ``25 พฤศจิกายน 2569`` / ``25/11/2569``,
    en ``25 Nov 2026`` / ``25 November 2026`` / ``25/11/2026``. None gives ``""``."""
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, not {style!r}")
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    if d is None:
        return ""
    d = _local_date(d)
    year = be_year(d) if lang == "th" else d.year
    if style == "numeric":
        return f"{d.day:02d}/{d.month:02d}/{year}"
    if lang == "th":
        names = MONTHS_TH_ABBR if style == "short" else MONTHS_TH
    else:
        names = MONTHS_EN_ABBR if style == "short" else MONTHS_EN
    return f"{d.day} {names[d.month]} {year}"


def format_datetime(dt: datetime.datetime | None, lang: str = "th") -> str:
    """An aware datetime in Thailand time: th ``25 พ.ย. 2569 14:05 น.`` (น. = นาฬิกา, o'clock),
    en ``25 Nov 2026 14:05``. None gives ``""``; naive datetimes are refused (we cannot know their zone)."""
    if dt is None:
        return ""
    if not isinstance(dt, datetime.datetime):
        raise TypeError(f"format_datetime needs a datetime, not {type(dt).__name__}")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("format_datetime refuses naive datetimes: attach a time zone first")
    local = dt.astimezone(BANGKOK)
    text = f"{format_date(local.date(), 'short', lang)} {local:%H:%M}"
    return f"{text} น." if lang == "th" else text


# --- parsing ------------------------------------------------------------------------------------

# Era markers: พ.ศ. / พศ / B.E. say the year is Buddhist Era; ค.ศ. / คศ / C.E. / A.D. say Christian Era.
_BE_MARKER = re.compile(r"พ\s*\.?\s*ศ\s*\.?|(?<![a-z])b\s*\.?\s*e\b\.?", re.IGNORECASE)
_CE_MARKER = re.compile(r"ค\s*\.?\s*ศ\s*\.?|(?<![a-z])(?:c\s*\.?\s*e|a\s*\.?\s*d)\b\.?", re.IGNORECASE)
# "วันที่ 1 ...", "วันจันทร์ที่ 1 ...": the words before the day number.
_DAY_PREFIX = re.compile(r"^วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?\s*(?:ที่)?\s*")
_SEP = r"\s*[/.\-]\s*"
_NUMERIC = re.compile(rf"(\d{{1,4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,4}})")
_NUMERIC_NO_YEAR = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}})")
# 1 ม.ค. 2560 / 1มค60 / 01-Jan-2017 / 1 มกราคม (year missing)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s/.,\-]*([^\d\s/,\-][^\d]*?)[\s/.,\-]*(\d+)?")
# January 1, 2017 / Jan 1st 2017
_MONTH_DAY_YEAR = re.compile(r"([a-z][a-z.]*)[\s,]+(\d{1,2})(?:st|nd|rd|th)?[\s,]+(\d+)", re.IGNORECASE)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unrecognised(text: str) -> DateInputError:
    shown = _shorten(text)
    return DateInputError(
        "unrecognised",
        f'อ่านวันที่ "{shown}" ไม่ออก กรุณากรอกแบบ วัน/เดือน/ปี เช่น {_EXAMPLE}',
        f'cannot read the date "{shown}"; type day/month/year, e.g. {_EXAMPLE}',
    )


def _ambiguous_year(raw: str, why_th: str = "", why_en: str = "") -> DateInputError:
    return DateInputError(
        "ambiguous_year",
        f"ปี {raw} ไม่ชัดเจนว่าเป็น พ.ศ. หรือ ค.ศ.{why_th} กรุณากรอกปี พ.ศ. 4 หลัก เช่น 2569",
        f"the year {raw} is ambiguous, B.E. or C.E.?{why_en} Type a 4-digit B.E. year such as 2569",
    )


def _take_era(text: str) -> tuple[str, str | None]:
    """Remove a พ.ศ./ค.ศ. marker; return the rest and ``"be"``, ``"ce"`` or None."""
    text, n_be = _BE_MARKER.subn(" ", text)
    text, n_ce = _CE_MARKER.subn(" ", text)
    if n_be and n_ce:
        raise DateInputError(
            "ambiguous_year",
            "มีทั้ง พ.ศ. และ ค.ศ. ในวันที่เดียวกัน กรุณาเลือกอย่างใดอย่างหนึ่ง",
            "both B.E. and C.E. markers were given; use only one",
        )
    return text, ("be" if n_be else "ce" if n_ce else None)


def _ce_year(raw: str, era: str | None, english_month: bool) -> int:
    """The C.E. year a typed year means (see the module and :func:`parse_date` docs for the rules)."""
    value = int(raw)
    if len(raw) == 2:
        if era == "ce" or (english_month and era is None):
            raise _ambiguous_year(raw, " (ปี 2 หลัก)", " A two-digit year is read as B.E. only.")
        return be_to_ce(2500 + value)  # 60 -> พ.ศ. 2560
    if len(raw) != 4:
        raise _ambiguous_year(raw)
    if era == "be":
        year = be_to_ce(value)
    elif era == "ce":
        year = value
    elif value > BE_YEAR_ABOVE:
        year = be_to_ce(value)
    elif value in CE_YEARS:
        year = value
    else:
        raise _ambiguous_year(raw)
    if not CE_YEARS.start <= year <= datetime.MAXYEAR:  # e.g. "พ.ศ. 2017" would be C.E. 1474
        raise _ambiguous_year(raw, f" (ตรงกับ ค.ศ. {year})", f" It would be C.E. {year}.")
    return year


def _build(day: int, month: int, year: int, typed_year: str | None = None) -> datetime.date:
    """The date, or an error naming the impossible month or day. ``typed_year`` is given for
    day/month/year input, where a month of 13-31 most likely means the day and month were swapped."""
    if not 1 <= month <= 12:
        hint_th = hint_en = ""
        if typed_year is not None and 13 <= month <= 31 and 1 <= day <= 12:
            swapped = f"{month}/{day}/{typed_year}"
            hint_th = f" ต้องเรียงเป็น วัน/เดือน/ปี เช่น {swapped}"
            hint_en = f"; the order is day/month/year, e.g. {swapped}"
        raise DateInputError(
            "month_out_of_range",
            f"ไม่มีเดือนที่ {month} (เดือนต้องอยู่ระหว่าง 1 ถึง 12){hint_th}",
            f"there is no month {month}, months go from 1 to 12{hint_en}",
        )
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise DateInputError(
            "impossible_day",
            f"วันที่ {day} ไม่มีในเดือน{MONTHS_TH[month]} {ce_to_be(year)}",
            f"{MONTHS_EN[month]} {year} has no day {day}",
        )
    return datetime.date(year, month, day)


def _missing_year() -> DateInputError:
    return DateInputError(
        "missing_year",
        f"ไม่ได้ระบุปี กรุณากรอกแบบ วัน/เดือน/ปี เช่น {_EXAMPLE}",
        f"the year is missing; type day/month/year, e.g. {_EXAMPLE}",
    )


def _month_from_word(word: str) -> int:
    number = month_number(word)
    if number is None:
        shown = _shorten(word.strip(" ."), 20)
        raise DateInputError(
            "unknown_month",
            f'ไม่รู้จักชื่อเดือน "{shown}" เช่น ม.ค. หรือ มกราคม',
            f'unknown month name "{shown}", e.g. ม.ค., มกราคม or Jan',
        )
    return number


def parse_date(text: str | datetime.date) -> datetime.date:
    """Read a date the way Thai people type it.

    Numbers are day/month/year (``1/1/2560``, ``01-01-2560``, ``1.1.60``) except ISO year-month-day
    (``2017-01-01``, ``2560-01-01``). Month names may be Thai in any common form (``ม.ค.``, ``มค``,
    ``มกรา``, ``มกราคม``) or English (``Jan``, ``January``). Thai digits, ``วันที่`` and the
    ``พ.ศ.``/``ค.ศ.`` markers are understood. Years: two digits are B.E. (60 -> 2560); four digits above
    2400 are B.E., 1800-2200 are C.E., unless a marker says otherwise; anything else is ambiguous.
    A ``date`` is returned unchanged, a ``datetime`` gives its date part.
    """
    if isinstance(text, datetime.datetime):
        return text.date()
    if isinstance(text, datetime.date):
        return text
    if not isinstance(text, str):
        raise TypeError(f"parse_date needs a str or date, not {type(text).__name__}")
    original = " ".join(text.split())
    if not original:
        raise DateInputError("empty", "ยังไม่ได้กรอกวันที่", "no date was entered")
    cleaned, era = _take_era(to_arabic_digits(original))
    cleaned = _DAY_PREFIX.sub("", cleaned.strip()).strip(" ,.")

    if match := _NUMERIC.fullmatch(cleaned):
        first, month, last = match.groups()
        if len(first) == 4 and len(last) <= 2:  # ISO: year-month-day
            return _build(int(last), int(month), _ce_year(first, era, False))
        if len(first) <= 2:
            return _build(int(first), int(month), _ce_year(last, era, False), typed_year=last)
        raise _unrecognised(original)
    if _NUMERIC_NO_YEAR.fullmatch(cleaned):
        raise _missing_year()
    if match := _DAY_MONTH_YEAR.fullmatch(cleaned):
        day, word, year = match.groups()
    elif match := _MONTH_DAY_YEAR.fullmatch(cleaned):
        word, day, year = match.groups()
    else:
        raise _unrecognised(original)
    month = _month_from_word(word)
    if year is None:
        raise _missing_year()
    english = word.isascii()
    return _build(int(day), month, _ce_year(year, era, english))


# --- spreadsheets -------------------------------------------------------------------------------

_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 61 is 1 Mar 1900; see from_excel
_EXCEL_MAX_SERIAL = (datetime.date(9999, 12, 31) - _EXCEL_EPOCH).days


def _from_excel_serial(serial: float) -> datetime.date:
    """Day number of Excel's 1900 date system (1 = 1 Jan 1900). Excel counts a 29 Feb 1900 that never
    existed (serial 60), so serials below 60 are one day off from the plain count."""
    if serial != serial or not 1 <= serial <= _EXCEL_MAX_SERIAL:  # NaN, 0, negative, too large
        raise _unrecognised(str(serial))
    days = int(serial)  # a fraction is the time of day
    if days == 60:
        raise DateInputError(
            "impossible_day",
            "วันที่ 29 ไม่มีในเดือนกุมภาพันธ์ 2443 (Excel นับวันนี้ผิด)",
            "February 1900 has no day 29 (an Excel quirk)",
        )
    return _EXCEL_EPOCH + datetime.timedelta(days=days if days > 60 else days + 1)


def _undo_be_in_date_cell(d: datetime.date) -> datetime.date:
    """A date cell holding year 2563 means someone typed a B.E. year: move it back 543 years."""
    if d.year in CE_YEARS:
        return d
    if d.year <= BE_YEAR_ABOVE:
        raise _ambiguous_year(str(d.year))
    year = be_to_ce(d.year)
    try:
        return d.replace(year=year)
    except ValueError:  # 29 Feb of a year that is leap in Excel's calendar but not in the real one
        raise DateInputError(
            "impossible_day",
            f"วันที่ {d.day} ไม่มีในเดือน{MONTHS_TH[d.month]} {d.year}",
            f"{MONTHS_EN[d.month]} {year} has no day {d.day}",
        ) from None


def from_excel(value: object) -> datetime.date | None:
    """The date in a spreadsheet cell as openpyxl reads it: a datetime/date (B.E. years typed into
    a date cell are corrected), a 1900-system serial number, or text (read with :func:`parse_date`).
    Empty cells give None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        return parse_date(value)
    if isinstance(value, datetime.datetime):
        return _undo_be_in_date_cell(value.date())
    if isinstance(value, datetime.date):
        return _undo_be_in_date_cell(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _undo_be_in_date_cell(_from_excel_serial(value))
    raise _unrecognised(str(value))
