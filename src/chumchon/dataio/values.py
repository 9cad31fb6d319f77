"""Reading one cell as people really type it: B.E. or C.E. dates (text, Excel date cells, serial numbers), Thai
digits, national IDs with dashes or spaces, amounts with commas or a trailing "บาท", titles joined to names.

Every reader takes the raw cell (str, int, float, Decimal, date or None) and returns the value or raises
:class:`~chumchon.core.thai.errors.ThaiInputError` with a Thai and an English message.

A file of a million rows holds a few hundred distinct dates and a handful of distinct amounts: text dates and
amounts are read through a small cache of their results (the values are immutable; a cell that fails is read
again and fails with its own message), and plain ASCII codes skip Unicode normalisation, which leaves them as they
are. Both were most of the import's time (``chumchon bench import``).
"""

import datetime
import re
import time
import unicodedata
from decimal import Decimal
from functools import cache, lru_cache

from django.utils import timezone, translation

from chumchon.core.thai import national_id
from chumchon.core.thai.dates import format_date, from_excel
from chumchon.core.thai.digits import to_arabic_digits
from chumchon.core.thai.errors import DateInputError, MoneyInputError, ThaiInputError
from chumchon.core.thai.money import parse_money, to_baht
from chumchon.people.models import Sex, Title

# Longest first, so that "นางสาว" is not read as "นาง" + "สาว…".
_TITLES = [
    ("เด็กหญิง", Title.GIRL), ("เด็กชาย", Title.MASTER), ("นางสาว", Title.MISS), ("ด.ญ.", Title.GIRL),
    ("ด.ช.", Title.MASTER), ("น.ส.", Title.MISS), ("นาง", Title.MRS), ("นาย", Title.MR), ("พระ", Title.MONK),
    ("miss ", Title.MISS), ("mrs.", Title.MRS), ("mrs ", Title.MRS), ("mr.", Title.MR), ("mr ", Title.MR),
    ("ms.", Title.MISS), ("ms ", Title.MISS),
]
_SPACES = re.compile(r"\s+")


class CellError(ThaiInputError):
    """A cell that cannot be read as its column asks."""


def address(value) -> str:
    """A house number (บ้านเลขที่) or another address text: clean text with Thai digits written as Arabic, as
    people search for it (๗๗/๑ → 77/1)."""
    return to_arabic_digits(text(value))


def text(value) -> str:
    """Any cell as clean text: Thai digits kept, whitespace collapsed, numbers without a trailing ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def code(value) -> str:
    """A code or number typed as text or as a number: Thai digits to Arabic, no spaces."""
    if type(value) is str and value.isascii():
        # The same result, faster: ASCII is its own NFC form and has no Thai digits, and text() collapses every
        # run of whitespace into the one space removed here, i.e. all whitespace goes.
        return "".join(value.split())
    return to_arabic_digits(text(value)).replace(" ", "")


@lru_cache(maxsize=4096)
def _text_date(value: str) -> datetime.date | None:
    return from_excel(to_arabic_digits(value))


_horizon = [datetime.date.min, 0.0]  # a day that is past in every time zone, and until when (monotonic) to trust it


def _surely_past(day: datetime.date) -> bool:
    """True when ``day`` is before today in every time zone (UTC-12 to UTC+14): no need to ask for the local
    date, which costs more than reading the cell. The horizon is worked out again every minute; until then it can
    only lag behind the real one, which makes it stricter, never wrong."""
    now = time.monotonic()
    if now > _horizon[1]:
        _horizon[:] = [datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=1), now + 60]
    return day < _horizon[0]


def date(value, *, today: datetime.date | None = None, not_future: bool = True) -> datetime.date:
    """A date in any form :func:`~chumchon.core.thai.dates.from_excel` knows; refused when in the future."""
    parsed = _text_date(value) if isinstance(value, str) else from_excel(value)
    if parsed is None:
        raise DateInputError("required", "ยังไม่ได้กรอกวันที่", "no date was entered")
    if not not_future or (today is None and _surely_past(parsed)):
        return parsed
    today = today or timezone.localdate()
    if parsed > today:
        raise DateInputError(
            "future", f"วันที่ {format_date(parsed, 'numeric')} อยู่ในอนาคต (ปี พ.ศ. พิมพ์เป็น ค.ศ. หรือไม่?)",
            f"{parsed.isoformat()} is in the future (a C.E. year typed where B.E. was meant?)")
    return parsed


@lru_cache(maxsize=4096)
def _text_amount(value: str) -> Decimal:
    return to_baht(parse_money(value, allow_negative=True))


def amount(value, *, positive: bool = True) -> Decimal:
    """An amount: ``1,234.50``, ``1234.5 บาท``, Thai digits, or a number cell. Floats from spreadsheet cells are
    taken as Excel shows them, to 15 significant digits: 12.1 stays 12.10 and never 12.0999…, and the amount a
    formula worked out (=10.1+20.2, saved as the double 30.299999999999997) is 30.30, not "three decimals". A
    number typed with three decimals (12.345) is still refused."""
    if type(value) is str:
        result = _text_amount(value)
        if positive and result <= 0:
            _not_positive(result)
        return result
    if isinstance(value, bool):
        raise MoneyInputError("invalid", "ไม่ใช่จำนวนเงิน", "not an amount")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise MoneyInputError("invalid", "ไม่ใช่จำนวนเงิน", "not an amount")
        value = _as_excel_shows(value)
    if isinstance(value, int | Decimal):
        value = str(value)
    if value is None:
        raise MoneyInputError("empty", "ยังไม่ได้กรอกจำนวนเงิน", "no amount was entered")
    result = parse_money(str(value), allow_negative=True)
    if positive and result <= 0:
        _not_positive(result)
    return to_baht(result)


def _as_excel_shows(value: float) -> str:
    """A number cell's double as Excel displays it: rounded to 15 significant digits (the precision Excel keeps
    for what it shows), in plain positional notation (``1e+15`` would not read as money)."""
    return format(Decimal(format(value, ".15g")), "f")


def _not_positive(result: Decimal):
    if result < 0:
        raise MoneyInputError("negative", "จำนวนเงินต้องไม่ติดลบ", "the amount must not be negative")
    raise MoneyInputError("zero", "จำนวนเงินต้องมากกว่าศูนย์", "the amount must be above zero")


def integer(value, *, low: int = 0, high: int = 10**9) -> int:
    raw = code(value)
    if not raw:
        raise CellError("required", "ยังไม่ได้กรอกตัวเลข", "no number was entered")
    if not re.fullmatch(r"\d+(\.0+)?", raw):
        raise CellError("not_integer", f'"{raw[:20]}" ไม่ใช่จำนวนเต็ม', f'"{raw[:20]}" is not a whole number')
    number = int(raw.split(".")[0])
    if not low <= number <= high:
        raise CellError("range", f"ต้องอยู่ระหว่าง {low} ถึง {high}", f"must be between {low} and {high}")
    return number


def nid(value) -> str:
    """A national ID with or without dashes and spaces, Thai digits, or a number cell (13 digits, checksum)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return national_id.validate(to_arabic_digits(text(value)))


def title_and_name(value) -> tuple[str, str]:
    """Split a title typed onto a name: "นายสมชาย" -> ("นาย", "สมชาย"); "น.ส. สมศรี" -> ("นางสาว", "สมศรี")."""
    name = text(value)
    lowered = name.lower()
    for prefix, title in _TITLES:
        if lowered.startswith(prefix) and len(name) > len(prefix):
            return title.value, name[len(prefix):].strip()
    return "", name


def title(value) -> str:
    raw = text(value)
    if not raw:
        return ""
    for prefix, choice in _TITLES:
        if raw.lower().rstrip() == prefix.strip() or raw.lower() == prefix:
            return choice.value
    for choice in Title:
        if raw in (choice.value, str(choice.label)):
            return choice.value
    raise CellError("title", f'ไม่รู้จักคำนำหน้า "{raw[:20]}"', f'unknown title "{raw[:20]}"')


_SEX = {"ชาย": Sex.MALE, "m": Sex.MALE, "male": Sex.MALE, "ช": Sex.MALE, "หญิง": Sex.FEMALE, "f": Sex.FEMALE,
        "female": Sex.FEMALE, "ญ": Sex.FEMALE, "": Sex.UNSPECIFIED, "u": Sex.UNSPECIFIED}


def sex(value) -> str:
    raw = text(value).lower()
    if raw not in _SEX:
        raise CellError("sex", f'เพศ "{raw[:10]}" ไม่ถูกต้อง ใช้ ชาย หรือ หญิง', f'sex "{raw[:10]}": use M or F')
    return _SEX[raw].value


@cache
def thai_labels(choices) -> dict[str, str]:
    """A model's choices (a ``TextChoices`` class) with their Thai labels from the project's catalogue — the words
    the pages show, which exports write and imports read back."""
    with translation.override("th"):
        return {choice.value: str(choice.label) for choice in choices}


@lru_cache(maxsize=1)
def _membership_statuses() -> dict[str, str]:
    from chumchon.welfare.models import Membership

    labels = thai_labels(Membership.Status)
    return {**{th: value for value, th in labels.items()}, **{value: value for value in labels},
            "เป็นสมาชิก": "active", "สมาชิก": "active", "พ้นสภาพ": "lapsed", "ขาดส่ง": "lapsed", "ตาย": "deceased",
            "ถึงแก่กรรม": "deceased", "transferred out": "transferred", "moved": "transferred"}


def membership_status(value) -> str:
    """ปกติ / ขาดสมาชิกภาพ / ลาออก / เสียชีวิต / ย้ายออก (or active, lapsed, resigned, deceased, transferred); blank
    is blank (a new member is active, a member already here keeps their status)."""
    raw = text(value)
    if not raw:
        return ""
    found = _membership_statuses().get(raw.lower())
    if found is None:
        raise CellError("status", f'สถานะ "{raw[:20]}" ไม่ถูกต้อง ใช้ ปกติ ขาดสมาชิกภาพ ลาออก เสียชีวิต หรือ ย้ายออก',
                        f'status "{raw[:20]}": use active, lapsed, resigned, deceased or transferred')
    return found
