"""The arrears run (ตรวจสมาชิกค้างชำระ): the fund's lapse rule shown member by member, then applied as shown.

Worked example: fund A's limit is 90 days and the notice period 30. Its three members joined 1 Jan 2020 and never
paid; member 00001 paid 30 baht (1–30 Jan 2020). On 1 May 2020 members 00002 and 00003 are 122 days behind and
00001 is 92: all three are sent a notice. Member 00001 then pays 60 baht (to 30 Mar 2020, 32 days behind on
1 May: under the limit, the notice cleared). On 31 May 2020 00002 and 00003 lapse; 00001 is not touched."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chumchon.core.models import AuditLog
from chumchon.welfare import selectors, services
from chumchon.welfare.models import Membership

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_worked_example(fund, members, system_user):
    one, two, three = members
    services.contribution_receive(actor=system_user, membership=one, amount=30, date=D(2020, 1, 30),
                                  idempotency_key="p1")
    steps = selectors.lapse_preview(fund, D(2020, 5, 1))
    assert [(s.membership.member_number, s.action, s.days_in_arrears) for s in steps] == [
        ("00001", "notice", 92), ("00002", "notice", 122), ("00003", "notice", 122)]
    assert services.memberships_lapse(actor=system_user, fund=fund, history=True, on=D(2020, 5, 1)) == {
        "noticed": 3, "lapsed": 0}
    assert [s.membership.member_number for s in selectors.lapse_waiting(fund, D(2020, 5, 10))] == [
        "00001", "00002", "00003"]
    assert selectors.lapse_waiting(fund, D(2020, 5, 10))[0].lapses_on == D(2020, 5, 31)
    services.contribution_receive(actor=system_user, membership=one, amount=60, date=D(2020, 5, 2),
                                  idempotency_key="p2")
    assert [s.membership.member_number for s in selectors.lapse_waiting(fund, D(2020, 5, 10))] == ["00002", "00003"]
    assert [s.action for s in selectors.lapse_preview(fund, D(2020, 5, 30))] == []  # 29 days after: not yet
    steps = selectors.lapse_preview(fund, D(2020, 5, 31))
    assert [(s.membership.member_number, s.action) for s in steps] == [("00002", "lapse"), ("00003", "lapse")]
    assert services.memberships_lapse(actor=system_user, fund=fund, history=True, on=D(2020, 5, 31)) == {
        "noticed": 0, "lapsed": 2}
    assert dict(Membership.objects.filter(fund=fund).values_list("member_number", "status")) == {
        "00001": "active", "00002": "lapsed", "00003": "lapsed"}
    assert Membership.objects.get(member_number="00002", fund=fund).ended_on == D(2020, 5, 31)
    # each member's own trail says it
    trail = AuditLog.objects.filter(action="welfare.memberships_lapse", object_id=str(two.pk)).order_by("id")
    assert [row.summary.split(":")[0] for row in trail] == ["notice 2020-05-01", "lapsed 2020-05-31"]


def test_a_list_changed_since_it_was_shown_is_shown_again(fund, members, system_user):
    """The page showed 00001 alone; since, 00001 paid and 00002's receipt was cancelled: one member again, but not
    the one shown — nothing is written."""
    one, two, three = members
    for m, key in ((two, "p2"), (three, "p3")):
        services.contribution_receive(actor=system_user, membership=m, amount=90, date=D(2020, 4, 1),
                                      idempotency_key=key)
    shown = selectors.lapse_preview(fund, D(2020, 5, 1))
    assert [s.membership.member_number for s in shown] == ["00001"]
    services.contribution_receive(actor=system_user, membership=one, amount=120, date=D(2020, 4, 2),
                                  idempotency_key="p1")
    services.contribution_void(actor=system_user, contribution=two.contributions.get(), reason="รับเงินผิดคน",
                               idempotency_key="v2")
    assert [s.membership.member_number for s in selectors.lapse_preview(fund, D(2020, 5, 1))] == ["00002"]
    with pytest.raises(ValidationError) as exc:
        services.memberships_lapse(actor=system_user, fund=fund, history=True, on=D(2020, 5, 1),
                                   expected=selectors.lapse_digest(shown))
    assert "check it again" in exc.value.message_dict["on"][0]
    assert not Membership.objects.filter(lapse_notice_on__isnull=False).exists()


def test_a_day_to_come_is_refused(fund, members, system_user):
    with pytest.raises(ValidationError):
        services.memberships_lapse(actor=system_user, fund=fund, history=True,
                                   on=timezone.localdate() + datetime.timedelta(days=1))


def test_the_page_shows_then_applies(world, fund, members, client, login):
    """Any day can be looked at; the rule is applied as of today only (a notice recorded on a past day would
    shorten the notice period)."""
    login(world["users"]["committee_a"])
    url = reverse("welfare:lapse_run", args=[fund.code])
    page = client.get(url, {"on": "1/5/2563"})
    assert [s.membership.member_number for s, _ in page.context["notices"]] == ["00001", "00002", "00003"]
    assert page.context["notices"][0][1] == Decimal("122.00")  # 122 days owed at 1 baht
    assert not page.context["today"] and 'method="post"' not in page.content.decode().split("<main")[1]
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"on": "1/5/2563"})
    assert len(queries) <= 12, [q["sql"] for q in queries]
    past = client.post(url, {"on": "2020-05-01", "expected": page.context["expected"]})
    assert past.status_code == 200 and "as of today" in past.content.decode()
    today = timezone.localdate()
    page = client.get(url)
    assert page.context["today"] and page.context["shown"] == 3
    stale = client.post(url, {"on": today.isoformat(), "expected": "not-what-was-shown"})
    assert stale.status_code == 200 and "check it again" in stale.content.decode()
    assert not Membership.objects.filter(lapse_notice_on__isnull=False).exists()
    done = client.post(url, {"on": today.isoformat(), "expected": page.context["expected"]}, follow=True)
    assert done.redirect_chain and Membership.objects.filter(lapse_notice_on=today).count() == 3
    assert len(done.context["waiting"]) == 3 and not done.context["notices"]
    letters = client.get(url, {"format": "pdf"})
    assert letters["Content-Type"] == "application/pdf"


def test_the_page_costs_the_same_queries_for_more_members(world, fund, members, client, login, make_person):
    login(world["users"]["committee_a"])
    url = reverse("welfare:lapse_run", args=[fund.code])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"on": "1/5/2563"}).status_code == 200
        return len(ctx)

    before = queries()
    for i in range(6):
        make_person("500203", fund=fund, first_name=f"ค้าง{i}")
    assert len(selectors.lapse_preview(fund, D(2020, 5, 1))) == 9
    assert queries() == before


def test_only_the_funds_own_committee_runs_it(world, fund, members, client, login):
    url = reverse("welfare:lapse_run", args=[fund.code])
    for who in ("committee_b", "auditor", "member"):
        login(world["users"][who])
        assert client.get(url).status_code in (403, 404), who
        assert client.post(url, {"on": timezone.localdate().isoformat(), "expected": ""}).status_code in (403, 404), who
    assert not Membership.objects.filter(lapse_notice_on__isnull=False).exists()


def test_a_token_payment_does_not_start_the_notice_period_again(fund, members, system_user):
    """All three were told on 1 May 2020. Member 00002 pays one week (7 baht, to 7 Jan 2020) on 2 May: still 116
    days behind, past the limit of 90, so it keeps its notice and lapses with 00003 on 31 May. Member 00001 pays
    120 baht at a village collection the same day (to 30 Apr 2020): within the limit, its notice taken back."""
    one, two, three = members
    services.memberships_lapse(actor=system_user, fund=fund, history=True, on=D(2020, 5, 1))
    services.contribution_receive(actor=system_user, membership=two, amount=7, date=D(2020, 5, 2),
                                  idempotency_key="token")
    services.collection_sheet_post(actor=system_user, fund=fund, date=D(2020, 5, 2), idempotency_key="sheet",
                                   payments=[services.SheetPayment(one, Decimal(120))])
    notices = dict(Membership.objects.filter(fund=fund).values_list("member_number", "lapse_notice_on"))
    assert notices == {"00001": None, "00002": D(2020, 5, 1), "00003": D(2020, 5, 1)}
    steps = selectors.lapse_preview(fund, D(2020, 5, 31))
    assert [(s.membership.member_number, s.action) for s in steps] == [("00002", "lapse"), ("00003", "lapse")]
