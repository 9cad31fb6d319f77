"""The Thai government fiscal year (ปีงบประมาณ), which community funds also report by.

A fiscal year runs from 1 October to 30 September and is named by the B.E. year in which it ends:
ปีงบประมาณ 2565 is 1 Oct 2021 - 30 Sep 2022 (C.E.). Its first quarter (ไตรมาส 1) is October-December.
"""

import calendar
import datetime
from dataclasses import dataclass
from typing import Self

from chumchon.core.thai.dates import BE_YEAR_ABOVE, CE_YEARS, be_to_ce, ce_to_be
from chumchon.core.thai.digits import to_arabic_digits
from chumchon.core.thai.errors import DateInputError
from chumchon.core.thai.months import MONTHS_EN_ABBR, MONTHS_TH_ABBR

FIRST_MONTH = 10  # October
_LABEL_PREFIXES = ("ปีงบประมาณ", "ปีงบ", "พ.ศ.", "พศ", "fy")
_LARGEST_BE_YEAR = 9999


@dataclass(frozen=True, order=True)
class FiscalMonth:
    """One calendar month of a fiscal year; ``year`` and ``month`` are the C.E. calendar year and month."""

    year: int
    month: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def label_th(self) -> str:
        """``ต.ค. 2564``: abbreviated Thai month and B.E. year."""
        return f"{MONTHS_TH_ABBR[self.month]} {ce_to_be(self.year)}"

    @property
    def label_en(self) -> str:
        """``Oct 2021``: abbreviated English month and C.E. year."""
        return f"{MONTHS_EN_ABBR[self.month]} {self.year}"


def _check_be_year(value: object) -> int:
    """The B.E. year, or an error; a C.E. year is refused with a reminder that fiscal years are B.E."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"a fiscal year is an int B.E. year, not {type(value).__name__}")
    if value in CE_YEARS:
        fiscal = ce_to_be(value)
        raise DateInputError(
            "fiscal_year_ce",
            f"ปีงบประมาณใช้ปี พ.ศ. แต่ {value} เป็นปี ค.ศ. (ปีงบประมาณที่สิ้นสุดในปี {value} คือ {fiscal})",
            f"fiscal years are named in B.E.; {value} is C.E., the one ending in {value} is FY {fiscal}",
        )
    if not BE_YEAR_ABOVE < value <= _LARGEST_BE_YEAR:
        raise DateInputError(
            "fiscal_year_invalid",
            f"ปีงบประมาณ {value} ไม่ถูกต้อง กรุณากรอกปี พ.ศ. 4 หลัก เช่น 2569",
            f"{value} is not a fiscal year; type a 4-digit B.E. year such as 2569",
        )
    return value


@dataclass(frozen=True, order=True)
class FiscalYear:
    """ปีงบประมาณ: ``FiscalYear(2565)`` is 1 Oct 2021 - 30 Sep 2022."""

    be_year: int

    def __post_init__(self) -> None:
        _check_be_year(self.be_year)

    @classmethod
    def parse(cls, value: int | str) -> Self:
        """From what a person types: ``2565``, ``"2565"``, ``"๒๕๖๕"``, ``"65"`` (two digits are B.E. 25xx),
        ``"ปีงบประมาณ 2565"``, ``"FY 2565"``. C.E. years are refused: fiscal years are named in B.E."""
        if isinstance(value, int):
            return cls(value)
        if not isinstance(value, str):
            raise TypeError(f"FiscalYear.parse needs an int or str, not {type(value).__name__}")
        text = to_arabic_digits(value).strip().casefold()
        for prefix in _LABEL_PREFIXES:
            text = text.removeprefix(prefix).strip()
        if not text:
            raise DateInputError("empty", "ยังไม่ได้กรอกปีงบประมาณ", "no fiscal year was entered")
        if not (text.isascii() and text.isdigit() and len(text) in (2, 4)):
            raise DateInputError(
                "fiscal_year_invalid",
                f'อ่านปีงบประมาณ "{value.strip()[:20]}" ไม่ออก กรุณากรอกปี พ.ศ. 4 หลัก เช่น 2569',
                f'cannot read the fiscal year "{value.strip()[:20]}"; type a 4-digit B.E. year such as 2569',
            )
        year = int(text)
        return cls(2500 + year if len(text) == 2 else year)

    @property
    def start(self) -> datetime.date:
        return datetime.date(be_to_ce(self.be_year) - 1, FIRST_MONTH, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(be_to_ce(self.be_year), FIRST_MONTH - 1, 30)

    @property
    def label_th(self) -> str:
        return f"ปีงบประมาณ {self.be_year}"

    @property
    def label_en(self) -> str:
        return f"FY {self.be_year}"

    def __str__(self) -> str:
        return self.label_th

    def months(self) -> list[FiscalMonth]:
        """The twelve months, October (of the previous C.E. year) first."""
        months = []
        for i in range(12):
            index = FIRST_MONTH - 1 + i  # months counted from January of the start year, 0-based
            months.append(FiscalMonth(self.start.year + index // 12, index % 12 + 1))
        return months

    def quarters(self) -> list[tuple[datetime.date, datetime.date]]:
        """The four quarters (ไตรมาส) as (first day, last day); Q1 is October-December."""
        months = self.months()
        return [(months[i].start, months[i + 2].end) for i in range(0, 12, 3)]

    def contains(self, d: datetime.date) -> bool:
        return self.start <= _as_date(d) <= self.end

    def quarter_of(self, d: datetime.date) -> int:
        """The quarter (1-4) a date of this fiscal year falls in."""
        d = _as_date(d)
        if not self.contains(d):
            raise ValueError(f"{d} is not in {self.label_en}")
        return (d.month - FIRST_MONTH) % 12 // 3 + 1

    def next(self) -> Self:
        return type(self)(self.be_year + 1)

    def previous(self) -> Self:
        return type(self)(self.be_year - 1)


def _as_date(d: datetime.date) -> datetime.date:
    return d.date() if isinstance(d, datetime.datetime) else d


def fiscal_year_of(d: datetime.date) -> FiscalYear:
    """The fiscal year a date belongs to: 30 Sep 2022 -> 2565, 1 Oct 2022 -> 2566."""
    d = _as_date(d)
    return FiscalYear(ce_to_be(d.year) + (1 if d.month >= FIRST_MONTH else 0))
