"""`chumchon bench collection`: it runs end to end and its last line is the JSON the docs quote (no timing asserts)."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from chumchon.welfare import bench
from chumchon.welfare.models import CollectionSheet, Contribution, Fund

pytestmark = pytest.mark.django_db


def test_bench_collection_prints_its_figures_as_json_last():
    out = StringIO()
    call_command("bench", "collection", "--members", "20", "--json", "--force", stdout=out)
    lines = out.getvalue().strip().splitlines()
    figures = json.loads(lines[-1])
    assert {"post_ratio", "page_queries_30", "page_queries_300", "page_queries_constant", "post_service_ms",
            "post_raw_ms", "members", "vendor"} <= set(figures)
    assert figures["members"] == 20 and figures["post_ratio"] > 0
    assert isinstance(figures["page_queries_30"], int) and isinstance(figures["page_queries_300"], int)
    assert any(line.startswith("Goals:") for line in lines)

    # Both ways wrote the same kind of rows: one sheet of 20 contributions per round, all on the bench fund.
    fund = Fund.objects.get(organisation__code=figures["fund"])
    sheets = CollectionSheet.objects.filter(fund=fund)
    assert sheets.count() == 2 * figures["repeats"]
    assert all(s.contributions.count() == 20 for s in sheets)
    assert Contribution.objects.filter(fund=fund).count() == 2 * figures["repeats"] * 20
    paid = fund.memberships.filter(village_number=1).order_by().values_list("paid_through", flat=True).distinct()
    sheets_days = 2 * figures["repeats"] * 30  # every sheet paid 30 days for each member, either way
    assert list(paid) == [bench.JOINED + datetime.timedelta(days=sheets_days - 1)]


def test_bench_refuses_with_debug_off_without_force():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("bench", "collection", "--members", "5", stdout=StringIO())
