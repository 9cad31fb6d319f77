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
