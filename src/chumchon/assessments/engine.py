"""The scorecard engine: points of one answer, the score of a set of answers, the level a score reaches.

Pure functions over instrument rows (no database writes), so every assessment of every instrument is scored the
same way. Exact decimal arithmetic: a level is reached when ``score × 100 ≥ band minimum × full score`` exactly;
the percent shown is cut (not rounded) to two places, so a page never shows 79.99 % next to "Very good" nor 80.00 %
next to "Good".
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from chumchon.core.errors import bilingual

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")
# The largest answer the Answer.value column holds (14 digits, 2 of them after the point).
ANSWER_MAX = Decimal("999999999999.99")


class AnswerOutOfRange(ValueError):
    """An answer the item does not allow; ``th`` and ``en`` say why."""

    def __init__(self, th: str, en: str):
        super().__init__(bilingual(th, en))
        self.th, self.en = th, en


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def answer_value(item, raw) -> Decimal:
    """The answer as a Decimal, checked against the item's answer type and range; a number also against what an
    answer can hold (at most ``ANSWER_MAX``, two decimal places), whether or not the item sets a largest answer."""
    if isinstance(raw, bool):
        raw = int(raw)
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise AnswerOutOfRange(f"ข้อ {item.code}: '{raw}' ไม่ใช่ตัวเลข", f"item {item.code}: '{raw}' is not a number") \
            from None
    if not value.is_finite():
        raise AnswerOutOfRange(f"ข้อ {item.code}: '{raw}' ไม่ใช่ตัวเลข", f"item {item.code}: '{raw}' is not a number")
    if item.answer_type == "yes_no":
        if value not in (0, 1):
            raise AnswerOutOfRange(f"ข้อ {item.code}: ตอบได้เฉพาะ ใช่ (1) หรือ ไม่ใช่ (0) แต่ได้ {_fmt(value)}",
                                   f"item {item.code}: the answer must be yes (1) or no (0), not {_fmt(value)}")
    elif item.answer_type == "scale":
        if value != value.to_integral_value() or not 0 <= value <= item.scale_max:
            raise AnswerOutOfRange(
                f"ข้อ {item.code}: ตอบได้ 0 ถึง {item.scale_max} (จำนวนเต็ม) แต่ได้ {_fmt(value)}",
                f"item {item.code}: the answer must be a whole number from 0 to {item.scale_max}, not {_fmt(value)}")
    elif item.answer_type == "number":
        if value < 0:
            raise AnswerOutOfRange(f"ข้อ {item.code}: ค่าต้องไม่ติดลบ แต่ได้ {_fmt(value)}",
                                   f"item {item.code}: the answer cannot be negative ({_fmt(value)})")
        if value > ANSWER_MAX:
            raise AnswerOutOfRange(
                f"ข้อ {item.code}: ค่าต้องไม่เกิน {ANSWER_MAX:,f} แต่ได้ {_fmt(value)}",
                f"item {item.code}: the answer can be at most {ANSWER_MAX:,f}, not {_fmt(value)}")
        if value != value.quantize(CENT):
            raise AnswerOutOfRange(
                f"ข้อ {item.code}: ทศนิยมได้ไม่เกิน 2 ตำแหน่ง แต่ได้ {_fmt(value)}",
                f"item {item.code}: the answer can have at most 2 decimal places, not {_fmt(value)}")
        if item.number_max is not None and value > item.number_max:
            raise AnswerOutOfRange(
                f"ข้อ {item.code}: ค่าสูงสุดคือ {_fmt(item.number_max)} แต่ได้ {_fmt(value)}",
                f"item {item.code}: the answer can be at most {_fmt(item.number_max)}, not {_fmt(value)}")
    else:
        raise ValueError(f"unknown answer type {item.answer_type!r}")
    return value


def item_points(item, value: Decimal) -> Decimal:
    """Points earned by an (already checked) answer: never more than the item's points."""
    points = Decimal(item.points)
    if item.answer_type == "yes_no":
        fraction = Decimal(value)
    elif item.answer_type == "scale":
        fraction = Decimal(value) / Decimal(item.scale_max)
    else:
        fraction = min(Decimal(value) / Decimal(item.number_target), Decimal(1))
    return min(points, (points * fraction).quantize(CENT, rounding=ROUND_HALF_UP))


def percent_of(score: Decimal, max_score: Decimal) -> Decimal:
    """Percent of the full score, cut to two places (79.999 → 79.99)."""
    if not max_score:
        return ZERO.quantize(CENT)
    return (Decimal(score) * HUNDRED / Decimal(max_score)).quantize(CENT, rounding=ROUND_DOWN)


def band_for(score: Decimal, max_score: Decimal, bands: Iterable):
    """The band with the highest minimum that the score reaches (exactly), or None below every band."""
    reached = [b for b in bands if Decimal(score) * HUNDRED >= Decimal(b.min_percent) * Decimal(max_score)]
    return max(reached, key=lambda b: Decimal(b.min_percent), default=None)


def passes(score: Decimal, max_score: Decimal, pass_percent: Decimal) -> bool:
    return Decimal(score) * HUNDRED >= Decimal(pass_percent) * Decimal(max_score)


@dataclass
class DimensionScore:
    number: int
    name_th: str
    name_en: str
    score: Decimal = ZERO
    max_score: Decimal = ZERO

    @property
    def percent(self) -> Decimal:
        return percent_of(self.score, self.max_score)

    def to_dict(self) -> dict:
        return {"number": self.number, "name_th": self.name_th, "name_en": self.name_en,
                "score": str(self.score), "max": str(self.max_score), "percent": str(self.percent)}


@dataclass
class Result:
    score: Decimal
    max_score: Decimal
    percent: Decimal
    band: object | None
    passed: bool
    dimensions: list[DimensionScore] = field(default_factory=list)


def score(items: Iterable, points_by_item: dict, bands: Iterable, pass_percent: Decimal) -> Result:
    """Total, percent, level, pass and per-dimension scores of answers (``item pk → points earned``; an item
    without an answer earns nothing but still counts in the full score)."""
    dims: dict[int, DimensionScore] = {}
    total, full = ZERO, ZERO
    for item in items:
        d = item.dimension
        dim = dims.setdefault(d.number, DimensionScore(d.number, d.name_th, d.name_en))
        earned = Decimal(points_by_item.get(item.pk, ZERO))
        dim.score += earned
        dim.max_score += Decimal(item.points)
        total += earned
        full += Decimal(item.points)
    return Result(score=total, max_score=full, percent=percent_of(total, full), band=band_for(total, full, bands),
                  passed=passes(total, full, pass_percent) if full else False,
                  dimensions=[dims[k] for k in sorted(dims)])
