import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chumchon.core.thai.errors import DateInputError
from chumchon.core.thai.fiscal import FiscalMonth, FiscalYear, fiscal_year_of

FY2565 = FiscalYear(2565)


def test_bounds_and_labels():
    assert FY2565.start == datetime.date(2021, 10, 1)
    assert FY2565.end == datetime.date(2022, 9, 30)
    assert FY2565.label_th == "ปีงบประมาณ 2565"
    assert FY2565.label_en == "FY 2565"
    assert str(FY2565) == "ปีงบประมาณ 2565"


def test_months():
    months = FY2565.months()
    assert len(months) == 12
    assert months[0] == FiscalMonth(2021, 10)
    assert months[0].start == datetime.date(2021, 10, 1)
    assert months[0].end == datetime.date(2021, 10, 31)
    assert months[0].label_th == "ต.ค. 2564"
    assert months[0].label_en == "Oct 2021"
    assert months[3].label_th == "ม.ค. 2565"
    assert months[4].end == datetime.date(2022, 2, 28)
    assert months[-1].label_th == "ก.ย. 2565"
    assert months[-1].end == FY2565.end


def test_leap_february():
    february = FiscalYear(2567).months()[4]  # C.E. 2024
    assert (february.year, february.month) == (2024, 2)
    assert february.end == datetime.date(2024, 2, 29)


def test_quarters():
    assert FY2565.quarters() == [
        (datetime.date(2021, 10, 1), datetime.date(2021, 12, 31)),
        (datetime.date(2022, 1, 1), datetime.date(2022, 3, 31)),
        (datetime.date(2022, 4, 1), datetime.date(2022, 6, 30)),
        (datetime.date(2022, 7, 1), datetime.date(2022, 9, 30)),
    ]


@pytest.mark.parametrize(
    ("d", "quarter"),
    [
        (datetime.date(2021, 10, 1), 1),
        (datetime.date(2021, 12, 31), 1),
        (datetime.date(2022, 1, 1), 2),
        (datetime.date(2022, 4, 30), 3),
        (datetime.date(2022, 9, 30), 4),
    ],
)
def test_quarter_of(d, quarter):
    assert FY2565.quarter_of(d) == quarter


def test_quarter_of_outside_the_year():
    with pytest.raises(ValueError, match="not in FY 2565"):
        FY2565.quarter_of(datetime.date(2022, 10, 1))


def test_contains_and_neighbours():
    assert FY2565.contains(datetime.date(2021, 10, 1))
    assert FY2565.contains(datetime.date(2022, 9, 30))
    assert not FY2565.contains(datetime.date(2021, 9, 30))
    assert not FY2565.contains(datetime.date(2022, 10, 1))
    assert FY2565.next() == FiscalYear(2566)
    assert FY2565.previous() == FiscalYear(2564)
    assert FY2565.previous() < FY2565 < FY2565.next()


def test_fiscal_year_of():
    assert fiscal_year_of(datetime.date(2022, 9, 30)) == FY2565
    assert fiscal_year_of(datetime.date(2022, 10, 1)) == FiscalYear(2566)
    assert fiscal_year_of(datetime.date(2021, 10, 1)) == FY2565
    assert fiscal_year_of(datetime.datetime(2022, 1, 1, 12, 0, tzinfo=datetime.UTC)) == FY2565


def test_frozen():
    with pytest.raises(AttributeError):
        FY2565.be_year = 2566  # type: ignore[misc]


@pytest.mark.parametrize(
    "value",
    [2565, "2565", " 2565 ", "๒๕๖๕", "65", "ปีงบประมาณ 2565", "ปีงบ 65", "FY 2565", "fy2565", "พ.ศ. 2565"],
)
def test_parse(value):
    assert FiscalYear.parse(value) == FY2565


@pytest.mark.parametrize("value", [2022, "2022", "FY 2022"])
def test_parse_refuses_ce_year(value):
    with pytest.raises(DateInputError) as info:
        FiscalYear.parse(value)
    assert info.value.code == "fiscal_year_ce"
    assert "ปีงบประมาณใช้ปี พ.ศ." in info.value.message_th
    assert "2565" in info.value.message_th  # suggests the B.E. name of the year ending in 2022
    assert "B.E." in info.value.message_en


def test_constructor_refuses_ce_year_too():
    with pytest.raises(DateInputError) as info:
        FiscalYear(2022)
    assert info.value.code == "fiscal_year_ce"


@pytest.mark.parametrize("value", [2300, 123, "2565-66", "abc", "256", "ปีงบประมาณ สองห้า"])
def test_parse_invalid(value):
    with pytest.raises(DateInputError) as info:
        FiscalYear.parse(value)
    assert info.value.code == "fiscal_year_invalid"
    assert "ปีงบประมาณ" in info.value.message_th


@pytest.mark.parametrize("value", ["", "  ", "ปีงบประมาณ"])
def test_parse_empty(value):
    with pytest.raises(DateInputError) as info:
        FiscalYear.parse(value)
    assert info.value.code == "empty"


@pytest.mark.parametrize("value", [2565.0, None, True])
def test_parse_wrong_type(value):
    with pytest.raises(TypeError):
        FiscalYear.parse(value)


DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31))


@given(DATES)
def test_every_date_is_in_exactly_one_fiscal_year(d):
    fiscal = fiscal_year_of(d)
    assert fiscal.contains(d)
    assert not fiscal.next().contains(d)
    assert not fiscal.previous().contains(d)
    assert sum(1 for month in fiscal.months() if month.start <= d <= month.end) == 1
    quarter = fiscal.quarter_of(d)
    start, end = fiscal.quarters()[quarter - 1]
    assert start <= d <= end


@given(st.integers(min_value=2444, max_value=2743))
def test_months_and_quarters_tile_the_year(be_year):
    fiscal = FiscalYear(be_year)
    months = fiscal.months()
    assert months[0].start == fiscal.start
    assert months[-1].end == fiscal.end
    for before, after in zip(months, months[1:], strict=False):
        assert after.start == before.end + datetime.timedelta(days=1)
    quarters = fiscal.quarters()
    assert quarters[0][0] == fiscal.start
    assert quarters[-1][1] == fiscal.end
    for (_, end), (start, _) in zip(quarters, quarters[1:], strict=False):
        assert start == end + datetime.timedelta(days=1)
    assert sum((end - start).days + 1 for start, end in quarters) == (fiscal.end - fiscal.start).days + 1
    assert fiscal.next().start == fiscal.end + datetime.timedelta(days=1)
    assert FiscalYear.parse(str(be_year)) == fiscal
