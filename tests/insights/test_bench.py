"""`chumchon bench dashboard`: the national dashboard against a trivial page, and the summaries checked; the last
line is one JSON object."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from chumchon.welfare import services
from chumchon.welfare.models import Membership

pytestmark = pytest.mark.django_db


def test_bench_dashboard_prints_its_figures_last(two_funds, system_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i, m in enumerate(Membership.objects.all()):
            services.contribution_receive(actor=system_user, membership=m, amount=365,
                                          date=datetime.date(2022, 1, 3), idempotency_key=f"b{i}")
    out = StringIO()
    call_command("bench", "dashboard", "--repeats", "2", "--fiscal-year", "2565", "--json", "--force", stdout=out)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert {"members", "dashboard_ratio", "summaries_agree", "dashboard_queries", "trivial_ms"} <= set(figures)
    assert figures["members"] == 6 and figures["dashboard_ratio"] > 0 and figures["fiscal_year"] == 2565
    assert figures["summaries_agree"] is True


def test_bench_opendata_prints_its_figures_last():
    """A small made-up country: the old rule leaves hidden member counts a reader can work out; the rule none.
    Nothing is read from or written to the database, so it runs with DEBUG off without --force."""
    from chumchon.insights.bench_opendata import country
    from chumchon.insights.opendata import MONEY

    out = StringIO()
    call_command("bench", "opendata", "--funds", "300", "--years", "4", "--json", stdout=out)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["funds"] == 300 and figures["years"] == 4 and figures["ratio"] > 0
    assert figures["pinned_baseline"] > 0 and figures["pinned_rule"] == 0
    assert figures["hidden_rule"] >= figures["hidden_baseline"] >= figures["small_cells"] > 0
    assert figures["pinned_money"] == 0 and figures["hidden_money"] >= figures["money_linked"] > 0
    years, money, _ = country(300, 4)
    index = MONEY.index
    came_in_names = [name for name, back, side in MONEY.chain if not back and side < 0]  # contributions, grants
    for y in list(money)[1:]:  # and each year's fund money follows from the last, nothing below zero
        for node, row in money[y].items():
            before = money[y - 1].get(node, (0,) * len(row))[index["fund_money"]]
            came_in = sum(row[index[name]] for name in came_in_names)
            assert row[index["fund_money"]] == before + came_in - row[index["benefits_paid"]] >= 0
    for rows in years.values():  # the made-up country adds up: each year's members follow from the last
        nation = rows[("nation", "TH")]
        assert all(v >= 0 for v in nation)
    first, last = min(years), max(years)
    active = {y: years[y][("nation", "TH")][0] for y in years}
    flows = {y: years[y][("nation", "TH")][1:5] for y in years}  # new, lapsed, deceased, left
    for y in range(first + 1, last + 1):
        new, lapsed, dead, left = flows[y]
        assert active[y] == active[y - 1] + new - lapsed - dead - left
