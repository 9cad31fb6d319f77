"""The scorecard engine on its own: answer ranges, points, level bands at their edges, and invariants."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chumchon.assessments import engine


@dataclass
class FakeItem:
    code: str = "1.1"
    answer_type: str = "yes_no"
    points: Decimal = Decimal("4")
    scale_max: int | None = None
    number_target: Decimal | None = None
    number_max: Decimal | None = None


@dataclass
class Band:
    code: str
    min_percent: Decimal


STRONG = [Band("excellent", Decimal(90)), Band("very_good", Decimal(80)), Band("good", Decimal(70))]


@pytest.mark.parametrize(("score", "level"), [
    ("69.99", None), ("70", "good"), ("79.99", "good"), ("80", "very_good"), ("89.99", "very_good"),
    ("90", "excellent"), ("100", "excellent"),
])
def test_level_bands_at_their_edges(score, level):
    band = engine.band_for(Decimal(score), Decimal(100), STRONG)
    assert (band.code if band else None) == level


def test_percent_is_cut_not_rounded_so_it_agrees_with_the_level():
    # 79.995 of 100 must not show as 80.00 % while its level is "good".
    assert engine.percent_of(Decimal("79.995"), Decimal(100)) == Decimal("79.99")
    assert engine.band_for(Decimal("79.995"), Decimal(100), STRONG).code == "good"
    # A full score that is not 100: 28 of 35 is exactly 80 %.
    assert engine.band_for(Decimal(28), Decimal(35), STRONG).code == "very_good"
    assert engine.percent_of(Decimal(28), Decimal(35)) == Decimal("80.00")


@pytest.mark.parametrize(("item", "raw", "message"), [
    (FakeItem(), "2", "yes (1) or no (0)"),
    (FakeItem(), "-1", "yes (1) or no (0)"),
    (FakeItem(answer_type="scale", scale_max=4), "5", "from 0 to 4"),
    (FakeItem(answer_type="scale", scale_max=4), "2.5", "whole number"),
    (FakeItem(answer_type="number", number_target=Decimal(60), number_max=Decimal(100)), "101", "at most 100"),
    (FakeItem(answer_type="number", number_target=Decimal(60)), "-3", "cannot be negative"),
    # No largest answer set: still no more than an answer can hold (14 digits, 2 after the point).
    (FakeItem(answer_type="number", number_target=Decimal(60)), "1234567890123", "at most 999,999,999,999.99"),
    (FakeItem(answer_type="number", number_target=Decimal(60)), "1e30", "at most 999,999,999,999.99"),
    (FakeItem(answer_type="number", number_target=Decimal(60)), "2.555", "at most 2 decimal places"),
    (FakeItem(), "abc", "is not a number"),
    (FakeItem(), "NaN", "is not a number"),
])
def test_answer_outside_the_item_range_is_refused(item, raw, message):
    with pytest.raises(engine.AnswerOutOfRange) as exc:
        engine.answer_value(item, raw)
    assert message in str(exc.value) and "ข้อ 1.1" in str(exc.value)


def test_the_largest_answer_a_count_can_hold_is_taken():
    item = FakeItem(answer_type="number", number_target=Decimal(60))
    assert engine.answer_value(item, "999,999,999,999.99") == engine.ANSWER_MAX
    assert engine.answer_value(item, "2.50") == Decimal("2.5")


def test_points_per_answer_type():
    assert engine.item_points(FakeItem(), Decimal(1)) == Decimal(4)
    assert engine.item_points(FakeItem(), Decimal(0)) == Decimal(0)
    scale = FakeItem(answer_type="scale", scale_max=4, points=Decimal(3))
    assert engine.item_points(scale, Decimal(3)) == Decimal("2.25")
    number = FakeItem(answer_type="number", number_target=Decimal(60), points=Decimal(4))
    assert engine.item_points(number, Decimal(30)) == Decimal("2.00")
    assert engine.item_points(number, Decimal(90)) == Decimal(4)  # capped at full points


ITEMS = st.one_of(
    st.builds(FakeItem, points=st.decimals(min_value="0.01", max_value=50, places=2)),
    st.builds(FakeItem, answer_type=st.just("scale"), scale_max=st.integers(1, 10),
              points=st.decimals(min_value="0.01", max_value=50, places=2)),
    st.builds(FakeItem, answer_type=st.just("number"), points=st.decimals(min_value="0.01", max_value=50, places=2),
              number_target=st.decimals(min_value="0.01", max_value=10_000, places=2)),
)


@given(item=ITEMS, raw=st.decimals(min_value=0, max_value=100_000, places=2))
def test_an_answer_never_earns_more_than_the_item_points(item, raw):
    try:
        value = engine.answer_value(item, raw)
    except engine.AnswerOutOfRange:
        return
    assert Decimal(0) <= engine.item_points(item, value) <= item.points


@given(a=st.decimals(min_value=0, max_value=100, places=2), b=st.decimals(min_value=0, max_value=100, places=2))
def test_level_is_monotone_in_score(a, b):
    low, high = sorted([a, b])
    rank = {None: 0, "good": 1, "very_good": 2, "excellent": 3}
    band_low, band_high = engine.band_for(low, Decimal(100), STRONG), engine.band_for(high, Decimal(100), STRONG)
    assert rank[band_low.code if band_low else None] <= rank[band_high.code if band_high else None]
    assert engine.percent_of(low, Decimal(100)) <= engine.percent_of(high, Decimal(100)) <= 100
