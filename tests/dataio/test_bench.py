"""`chumchon bench import` runs end to end on a small file and ends with the JSON the docs quote (no timing is
asserted: figures depend on the machine; docs/benchmarks.md has the measured ones)."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chumchon.dataio import bench
from chumchon.ledger.models import Account
from chumchon.welfare.models import Contribution, Fund

pytestmark = pytest.mark.django_db

KEYS = ["rows", "import_rows_per_s", "baseline_rows_per_s", "ratio", "peak_rss_mb", "import_s", "baseline_s",
        "check_s", "write_s", "vendor", "fund", "ledger_ok", "table_rows_per_s", "table_ratio"]


def test_bench_import_prints_its_figures_as_json_last():
    out = io.StringIO()
    # --force: tests run with DEBUG off. The test database is in memory and inside the test's transaction, which
    # a child process cannot see: the bench measures in this process and says so.
    call_command("bench", "import", "--rows", "300", "--json", "--force", stdout=out)
    lines = out.getvalue().strip().splitlines()
    figures = json.loads(lines[-1])
    assert set(KEYS) <= set(figures)
    assert figures["rows"] == 300 and figures["ledger_ok"] is True and figures["measured_in"] == "process"
    for key in ("import_rows_per_s", "baseline_rows_per_s", "ratio", "peak_rss_mb", "table_rows_per_s"):
        assert isinstance(figures[key], float) and figures[key] > 0, key
    assert any(line.startswith("Goals:") for line in lines)

    # What the bench checked, checked again: every row is a receipt and the books moved by the file's total.
    fund = Fund.objects.select_related("organisation__book").get(organisation__code=figures["fund"])
    assert Contribution.objects.filter(fund=fund).count() == 300
    income = Account.objects.get(book=fund.organisation.book, code="4101")
    assert income.credit_total == Decimal(figures["total_baht"]) > 0
    assert figures["members"] == 3 and fund.memberships.count() == 3


def test_bench_import_refuses_a_child_it_could_not_share_the_database_with():
    with pytest.raises(RuntimeError, match="child process"):
        bench.run(rows=10, out=lambda text: None, subprocess=True)


def test_bench_import_needs_rows_and_debug_or_force():
    with pytest.raises(CommandError):
        call_command("bench", "import", "--rows", "0", "--force", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("bench", "import", "--rows", "10", stdout=io.StringIO())
