"""A past year's report reads the same whenever it is printed: its fund status form is as at the year's end."""

import pytest

from chumchon.welfare import reports

pytestmark = pytest.mark.django_db


def test_the_yearly_report_of_an_ended_year_takes_its_status_at_the_years_end(funded):
    report = reports.yearly_report(funded, 2565)
    status = next(t for t in report.sections if t.title_en == "Fund status form")
    assert status.title_th == "แบบแสดงสถานะกองทุน ณ วันที่ 30 ก.ย. 2565"
