"""`chumchon bench ledger` runs end to end on a tiny book and ends with the JSON figures (no timing is asserted:
figures depend on the machine; docs/benchmarks.md has the measured ones)."""

import io
import json

import pytest
from django.core.management import call_command

from chumchon.ledger.models import Account, Book, Line

pytestmark = pytest.mark.django_db

KEYS = ["post_ratio", "hot_ratio", "balance_read_ratio", "trial_balance_s", "income_statement_s",
        "post_service_per_s", "post_raw_per_s", "hot_per_s", "spread_per_s", "load_s"]


def test_bench_ledger_prints_positive_figures_as_its_last_line():
    out = io.StringIO()
    call_command("bench", "ledger", "--lines", "2000", "--entries", "10", "--workers", "2", "--json", "--force",
                 stdout=out)  # --force: tests run with DEBUG off, on a throwaway database
    lines = out.getvalue().strip().splitlines()
    figures = json.loads(lines[-1])
    assert any("trial balance" in line for line in lines[:-1])  # human-readable figures came first
    for key in KEYS:
        assert isinstance(figures[key], int | float) and figures[key] > 0, key
    assert figures["hot_account_lines"] >= 1000 and figures["book_lines"] >= 2000
    bench_books = Book.objects.filter(code__startswith="BENCH-")
    assert bench_books.count() == 2
    for book in bench_books:  # the bench kept the books exact: running totals equal the lines
        for account in Account.objects.filter(book=book):
            lines_of = Line.objects.filter(account=account)
            assert account.debit_total == sum((x.debit for x in lines_of), account.debit_total * 0)
            assert account.credit_total == sum((x.credit for x in lines_of), account.credit_total * 0)


def test_bench_needs_a_benchmark_name():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("bench")
