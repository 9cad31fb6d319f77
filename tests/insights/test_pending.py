"""Summaries follow changes without slowing them: a posting marks its fund pending and queues the refresh task; the
task recomputes; a change made while a refresh runs is never lost; imports reach the summaries too."""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.tasks import default_task_backend
from django.test import override_settings

from chumchon.core.models import Organisation
from chumchon.dataio import services as dataio
from chumchon.dataio.models import ImportJob
from chumchon.insights import services, summaries
from chumchon.insights.models import AreaSummary, Level, PendingRefresh
from chumchon.welfare import services as welfare
from chumchon.welfare.models import Membership

pytestmark = pytest.mark.django_db
D = datetime.date
MEMBERS_FILE = Path(__file__).parents[1] / "dataio" / "fixtures" / "members_good.xlsx"
QUEUE_ONLY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _contributions(fund, fy=2565):
    row = AreaSummary.objects.filter(level=Level.FUND, code=fund.code, fiscal_year=fy, month=0).first()
    return row.contributions if row else 0


@override_settings(TASKS=QUEUE_ONLY)
def test_a_posting_only_marks_its_fund_and_queues_the_refresh(two_funds, system_user,
                                                              django_capture_on_commit_callbacks):
    fund_a, _ = two_funds
    PendingRefresh.objects.all().delete()
    member = Membership.objects.filter(fund=fund_a).first()
    with django_capture_on_commit_callbacks(execute=True):
        welfare.contribution_receive(actor=system_user, membership=member, amount=365, date=D(2022, 1, 3),
                                     idempotency_key="p1")
    # Given a queue that does not run tasks: the posting left a mark and one queued task, and computed nothing.
    # (Fund B may be marked too: the fixtures' changes were never committed, so they ride along with this one.)
    assert fund_a.pk in set(PendingRefresh.objects.values_list("organisation_id", flat=True))
    assert len(default_task_backend.results) == 1
    assert _contributions(fund_a) == 0
    with django_capture_on_commit_callbacks(execute=True):
        welfare.contribution_receive(actor=system_user, membership=member, amount=365, date=D(2022, 1, 4),
                                     idempotency_key="p2")
    assert len(default_task_backend.results) == 1  # already pending: the queued task will take this one too
    # When the task runs, the fund's rows are up to date and nothing is left pending.
    assert services.summaries_refresh_pending() >= 1
    assert _contributions(fund_a) == 730
    assert not PendingRefresh.objects.exists() and summaries.differences() == []


def test_only_funds_are_marked(two_funds, system_user):
    fund_a, _ = two_funds
    PendingRefresh.objects.all().delete()
    other = Organisation.objects.create(code="ORG-X", kind=Organisation.Kind.COMMUNITY_ORGANISATION,
                                        name_th="กลุ่มออมทรัพย์", subdistrict=fund_a.organisation.subdistrict)
    assert services.summaries_mark_pending({other.pk}) == 0
    assert services.summaries_mark_pending({fund_a.pk, other.pk}) == 1
    assert services.summaries_mark_pending({fund_a.pk}) == 0  # already pending: its token moves on
    assert list(PendingRefresh.objects.values_list("organisation_id", flat=True)) == [fund_a.pk]


def test_a_change_during_a_refresh_is_refreshed_again(two_funds, system_user):
    fund_a, fund_b = two_funds
    services.summaries_refresh_fund(fund=fund_b)  # B has its row of the running year: the round leaves it alone
    PendingRefresh.objects.all().delete()
    services.summaries_mark_pending({fund_a.pk})
    real = services.summaries_refresh_fund
    calls = []

    def refresh_while_someone_posts(*, fund, today=None):
        calls.append(fund.pk)
        if len(calls) == 1:  # another transaction changes the fund after this refresh read its records
            services.summaries_mark_pending({fund.pk})
        return real(fund=fund, today=today)

    with mock.patch.object(services, "summaries_refresh_fund", refresh_while_someone_posts):
        assert services.summaries_refresh_pending() == 2
    assert calls == [fund_a.pk, fund_a.pk] and not PendingRefresh.objects.exists()


def test_a_fund_that_fails_stays_pending_and_the_others_go_on(two_funds):
    fund_a, fund_b = two_funds
    PendingRefresh.objects.all().delete()
    services.summaries_mark_pending({fund_a.pk, fund_b.pk})
    real = services.summaries_refresh_fund

    def fail_for_a(*, fund, today=None):
        if fund.pk == fund_a.pk:
            raise RuntimeError("disk full")
        return real(fund=fund, today=today)

    with mock.patch.object(services, "summaries_refresh_fund", fail_for_a):
        assert services.summaries_refresh_pending() == 1
    assert list(PendingRefresh.objects.values_list("organisation_id", flat=True)) == [fund_a.pk]
    services.summaries_rebuild()  # the rebuild covers it
    assert not PendingRefresh.objects.exists() and summaries.differences() == []


def test_imported_members_reach_the_summaries(two_funds, django_capture_on_commit_callbacks):
    fund_a, _ = two_funds
    services.summaries_rebuild()
    before = list(AreaSummary.objects.filter(level=Level.NATION, month=0).values_list("fiscal_year", "members_new"))
    with django_capture_on_commit_callbacks(execute=True), MEMBERS_FILE.open("rb") as handle:
        job = dataio.job_create(actor=None, kind="memberships", file=handle, filename=MEMBERS_FILE.name,
                                fund=fund_a, mode=ImportJob.Mode.ALL_OR_NOTHING, system=True)
        job = dataio.job_check(job, system=True)
        job = dataio.job_confirm(actor=None, job=job)
        job = dataio.job_write(job, system=True)
    assert job.rows_written > 0
    after = dict(AreaSummary.objects.filter(level=Level.NATION, month=0).values_list("fiscal_year", "members_new"))
    assert sum(after.values()) - sum(n for _, n in before) == job.rows_written
    assert summaries.differences() == []


def test_the_first_round_of_a_new_fiscal_year_brings_every_fund_into_it(two_funds, system_user):
    """Funds A and B have 3 members each since 1 Jan 2020. Both are refreshed on 1 May 2022 (FY 2565): the
    country has 6 members in 2 funds. FY 2566 begins on 1 Oct 2022; on 3 Nov fund B takes a contribution of 365
    baht and is marked, fund A has nothing new. The worker's round on 3 Nov brings fund A into 2566 too: the
    country's 2566 row has 6 members, 2 funds and the 365 baht."""
    fund_a, fund_b = two_funds
    PendingRefresh.objects.all().delete()
    services.summaries_mark_pending({fund_a.pk, fund_b.pk})
    assert services.summaries_refresh_pending(today=D(2022, 5, 1)) == 2
    nation = AreaSummary.objects.get(level=Level.NATION, code="TH", fiscal_year=2565, month=0)
    assert (nation.members_active, nation.funds) == (6, 2)
    assert not AreaSummary.objects.filter(fiscal_year=2566).exists()
    member = Membership.objects.filter(fund=fund_b).first()
    welfare.contribution_receive(actor=system_user, membership=member, amount=365, date=D(2022, 11, 3),
                                 idempotency_key="fy2566")
    services.summaries_mark_pending({fund_b.pk})  # what the posting's commit does
    assert services.summaries_refresh_pending(today=D(2022, 11, 3)) == 2  # B for its change, A for the new year
    nation = AreaSummary.objects.get(level=Level.NATION, code="TH", fiscal_year=2566, month=0)
    assert (nation.members_active, nation.funds, nation.contributions) == (6, 2, 365)
    for area in (("province", "50"), ("province", "40")):
        assert AreaSummary.objects.get(level=area[0], code=area[1], fiscal_year=2566, month=0).members_active == 3
    assert not PendingRefresh.objects.exists() and summaries.differences(today=D(2022, 11, 3)) == []
    # The next round of the year has nothing to add: every fund has its 2566 row.
    assert services.summaries_mark_year(today=D(2022, 11, 4)) == 0
