"""Area summaries: worked figures a treasurer can check, and — for any sequence of welfare operations — the
summaries kept incrementally (after each commit) equal a full recomputation from the records."""

import datetime
import itertools
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chumchon.geo import services as geo_services
from chumchon.geo.models import Province, Region
from chumchon.insights import summaries
from chumchon.insights.models import AreaSummary, BenefitSummary, Level
from chumchon.welfare import services
from chumchon.welfare.models import BenefitKind, Membership

pytestmark = pytest.mark.django_db
D = datetime.date
_keys = itertools.count()


def _row(level, code, fy, month=0):
    return AreaSummary.objects.get(level=level, code=code, fiscal_year=fy, month=month)


def test_worked_example_fund_to_nation(two_funds, system_user, chair_b, django_capture_on_commit_callbacks):
    """Fund A: 3 members pay 365 each on 3 Jan 2022 (FY 2565) and a government grant of 5,000 for 3 members;
    fund B: one member pays 2,190 and is paid a 2,000 disaster benefit. Province, region and nation add them up."""
    fund_a, fund_b = two_funds
    with django_capture_on_commit_callbacks(execute=True):
        for i, m in enumerate(Membership.objects.filter(fund=fund_a)):
            services.contribution_receive(actor=system_user, membership=m, amount=365, date=D(2022, 1, 3),
                                          idempotency_key=f"wa{i}")
        services.grant_receive(actor=system_user, fund=fund_a, source="government", amount=5000,
                               date=D(2022, 2, 1), members_covered=3, idempotency_key="g1")
        m_b = Membership.objects.filter(fund=fund_b).first()
        services.contribution_receive(actor=system_user, membership=m_b, amount=2190, date=D(2022, 1, 3),
                                      idempotency_key="wb")
        claim = services.claim_submit(actor=system_user, membership=m_b, kind=BenefitKind.objects.get(code="disaster"),
                                      event_date=D(2022, 3, 1), idempotency_key="cb")
        claim = services.claim_decide(actor=chair_b, claim=claim, approve=True)
        services.claim_pay(actor=system_user, claim=claim, date=D(2022, 3, 2))
    a = _row(Level.FUND, "A-001", 2565)
    assert (a.contributions, a.contribution_payments, a.grant_government, a.funds_matched,
            a.grants_members_covered) == (Decimal(1095), 3, Decimal(5000), 1, 3)
    assert a.money_members == Decimal(1095) and a.money_government == Decimal(5000) and a.members_active == 3
    assert _row(Level.FUND, "A-001", 2565, 1).contributions == Decimal(1095)  # January
    b = _row(Level.FUND, "B-001", 2565)
    assert (b.benefits_paid, b.benefit_claims, b.recipients, b.money_members) == (
        Decimal(2000), 1, 1, Decimal(190))
    nation = _row(Level.NATION, "TH", 2565)
    assert nation.contributions == Decimal(3285) and nation.members_active == 6 and nation.funds == 2
    assert nation.fund_money == Decimal(1095 + 5000 + 2190 - 2000)
    assert _row(Level.PROVINCE, "50", 2565).contributions == Decimal(1095)
    assert _row(Level.DISTRICT, "4001", 2565).benefits_paid == Decimal(2000)
    assert BenefitSummary.objects.get(level=Level.PROVINCE, code="40", fiscal_year=2565, month=0,
                                      kind="disaster").amount == Decimal(2000)
    assert summaries.differences() == []


def _offices(tmp_path, upper: list[str], name="offices.json"):
    """A two-region scheme: ``upper`` and every other province ("lower")."""
    lower = sorted(set(Province.objects.values_list("code", flat=True)) - set(upper))
    spec = {"code": "offices", "name_th": "สำนักงานภาค", "name_en": "Regional offices", "regions": [
        {"code": "upper", "name_th": "ภาคบน", "name_en": "Upper", "provinces": upper},
        {"code": "lower", "name_th": "ภาคล่าง", "name_en": "Lower", "provinces": lower}]}
    path = tmp_path / name
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def test_a_new_default_region_scheme_takes_the_region_figures(two_funds, system_user, chair_b, tmp_path,
                                                              django_capture_on_commit_callbacks):
    """Fund A (Chiang Mai, 50) and fund B (Khon Kaen, 40) have 3 members each; one of B's paid 2,190 on 3 Jan 2022
    and was paid a 2,000 disaster benefit.
    Under the seven regions A adds into the north, B into the northeast. Two institute offices made the default —
    "upper" holding Chiang Mai and Khon Kaen, "lower" the rest — give upper 6 members and the 2,000, lower
    nothing, and the seven regions no rows. Moving Khon Kaen into lower gives 3 and 3, the benefit to lower; B's
    next refresh (another 365) adds into lower: 2,555."""
    fund_a, fund_b = two_funds
    with django_capture_on_commit_callbacks(execute=True):
        _b_paid_a_disaster(fund_b, system_user, chair_b, "rs")
    north, northeast = (Region.objects.get(scheme__is_default=True, code=c) for c in ("north", "northeast"))
    assert (_row(Level.REGION, str(north.pk), 2565).members_active,
            _row(Level.REGION, str(northeast.pk), 2565).members_active) == (3, 3)

    geo_services.regions_load(path=_offices(tmp_path, ["40", "50"]), make_default=True)
    upper, lower = (Region.objects.get(scheme__code="offices", code=c) for c in ("upper", "lower"))
    assert (_row(Level.REGION, str(upper.pk), 2565).members_active, _row(Level.REGION, str(upper.pk), 2565).funds,
            _row(Level.REGION, str(upper.pk), 2565).benefits_paid) == (6, 2, Decimal(2000))
    assert BenefitSummary.objects.get(level=Level.REGION, code=str(upper.pk), fiscal_year=2565, month=0,
                                      kind="disaster").amount == Decimal(2000)
    assert not AreaSummary.objects.filter(level=Level.REGION, code__in=[str(lower.pk), str(north.pk)]).exists()
    assert summaries.differences() == []

    geo_services.regions_load(path=_offices(tmp_path, ["50"], "offices-2.json"))  # Khon Kaen moves to lower
    assert (_row(Level.REGION, str(upper.pk), 2565).members_active,
            _row(Level.REGION, str(lower.pk), 2565).members_active) == (3, 3)
    assert _row(Level.REGION, str(lower.pk), 2565).benefits_paid == Decimal(2000)
    with django_capture_on_commit_callbacks(execute=True):
        services.contribution_receive(actor=system_user, membership=Membership.objects.filter(fund=fund_b).first(),
                                      amount=365, date=D(2022, 4, 1), idempotency_key="rs-2")
    assert _row(Level.REGION, str(lower.pk), 2565).contributions == Decimal(2555)
    assert summaries.differences() == []


def test_rebuild_command_restores_and_check_finds_tampering(two_funds, system_user, django_capture_on_commit_callbacks):
    fund_a, _ = two_funds
    with django_capture_on_commit_callbacks(execute=True):
        m = Membership.objects.filter(fund=fund_a).first()
        services.contribution_receive(actor=system_user, membership=m, amount=365, date=D(2022, 1, 3),
                                      idempotency_key="r1")
    AreaSummary.objects.filter(level=Level.NATION).update(contributions=Decimal(1))
    assert summaries.differences()
    with pytest.raises(Exception, match="summaries differ"):
        call_command("insights_rebuild", "--check")
    call_command("insights_rebuild")
    assert summaries.differences() == []
    assert _row(Level.NATION, "TH", 2565).contributions == Decimal(365)


OPS = st.lists(st.tuples(st.sampled_from(["enrol", "pay", "sheet", "grant", "claim", "end", "lapse"]),
                         st.integers(0, 5), st.integers(0, 900)), min_size=1, max_size=8)


def _paid_history(two_funds, system_user, chair_b, capture):
    """Fund A: three members pay 365 each; fund B: one member pays 2,190 and is paid a 2,000 disaster benefit."""
    fund_a, fund_b = two_funds
    with capture(execute=True):
        for i, m in enumerate(Membership.objects.filter(fund=fund_a)):
            services.contribution_receive(actor=system_user, membership=m, amount=365, date=D(2022, 1, 3),
                                          idempotency_key=f"h{i}")
        _b_paid_a_disaster(fund_b, system_user, chair_b, "h")


def _b_paid_a_disaster(fund_b, system_user, chair_b, key: str) -> None:
    """Fund B's first member pays 2,190 on 3 Jan 2022 and is paid a 2,000 disaster benefit on 2 Mar 2022."""
    m_b = Membership.objects.filter(fund=fund_b).first()
    services.contribution_receive(actor=system_user, membership=m_b, amount=2190, date=D(2022, 1, 3),
                                  idempotency_key=f"{key}b")
    claim = services.claim_submit(actor=system_user, membership=m_b, kind=BenefitKind.objects.get(code="disaster"),
                                  event_date=D(2022, 3, 1), idempotency_key=f"{key}c")
    services.claim_pay(actor=system_user, claim=services.claim_decide(actor=chair_b, claim=claim, approve=True),
                       date=D(2022, 3, 2))


def test_rebuild_in_small_batches_writes_every_row_once(two_funds, system_user, chair_b, monkeypatch,
                                                        django_capture_on_commit_callbacks):
    """The rebuild writes each fund's rows as it goes and the area rows at the end, a batch at a time: with
    batches of 3 rows it must store exactly what the incremental summaries hold, and count what it wrote."""
    from chumchon.insights import services as insights_services

    _paid_history(two_funds, system_user, chair_b, django_capture_on_commit_callbacks)
    before = summaries.stored_all()
    monkeypatch.setattr(insights_services, "REBUILD_BATCH", 3)
    counts = insights_services.summaries_rebuild()
    after = summaries.stored_all()
    assert counts == {"summaries": AreaSummary.objects.count(), "benefits": BenefitSummary.objects.count()}
    assert counts["benefits"] > 3 and counts["summaries"] > 3  # more than one batch of each
    assert {k for k, v in after[0].items() if any(v.values())} == {k for k, v in before[0].items() if any(v.values())}
    assert after[1] == before[1]
    assert summaries.differences() == []
    assert after[0][(Level.FUND, "B-001", 2565, 0)]["benefits_paid"] == Decimal(2000)
    assert after[0][(Level.NATION, "TH", 2565, 0)]["contributions"] == Decimal(1095 + 2190)


@pytest.mark.parametrize("tamper", ["fund row changed", "fund row missing", "fund benefit row changed",
                                    "row for no fund", "area row changed", "area row missing",
                                    "area row for no area"])
def test_check_finds_each_kind_of_difference(two_funds, system_user, chair_b, tamper,
                                             django_capture_on_commit_callbacks):
    """The check goes fund by fund for the funds' own rows and all at once for the areas: a change anywhere,
    a missing fund row, or a row left for a fund that does not exist, is named."""
    _paid_history(two_funds, system_user, chair_b, django_capture_on_commit_callbacks)
    assert summaries.differences() == []
    year = {"level": Level.FUND, "code": "A-001", "fiscal_year": 2565, "month": 0}
    if tamper == "fund row changed":
        AreaSummary.objects.filter(**year).update(contributions=Decimal(1))
        expected = "'A-001', 2565, 0)"
    elif tamper == "fund row missing":
        AreaSummary.objects.filter(**year).delete()
        expected = "'A-001', 2565, 0)"
    elif tamper == "fund benefit row changed":
        BenefitSummary.objects.filter(level=Level.FUND, code="B-001", fiscal_year=2565, month=0).update(amount=1)
        expected = "'B-001', 2565, 0, 'disaster')"
    elif tamper == "row for no fund":
        AreaSummary.objects.create(level=Level.FUND, code="GONE-1", fiscal_year=2565, month=0, funds=1)
        expected = "'GONE-1', 2565, 0)"
    elif tamper == "area row changed":
        AreaSummary.objects.filter(level=Level.DISTRICT, fiscal_year=2565, month=0).update(members_active=99)
        expected = "2565, 0)"
    elif tamper == "area row missing":
        BenefitSummary.objects.filter(level=Level.NATION, fiscal_year=2565, month=0).delete()
        expected = "('nation', 'TH', 2565, 0, 'disaster')"
    else:
        AreaSummary.objects.create(level=Level.DISTRICT, code="9999", fiscal_year=2565, month=0, members_active=1)
        expected = "('district', '9999', 2565, 0)"
    found = summaries.differences()
    assert found and all(expected in line for line in found), found


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_incremental_equals_recomputation(two_funds, system_user, make_person, chair_b, ops,
                                          django_capture_on_commit_callbacks):
    """Whatever welfare operations happen, in whichever fund, the kept summaries equal a full recomputation."""
    funds = list(two_funds)
    kinds = list(BenefitKind.objects.filter(code__in=["disaster", "funeral", "newborn"]))
    for op, pick, day in ops:
        fund = funds[pick % 2]
        date = D(2021, 1, 1) + datetime.timedelta(days=day)
        active = list(Membership.objects.filter(fund=fund, status="active").order_by("pk"))
        joined = [m for m in active if m.joined_on <= date]  # money comes from those who had joined by the day
        key = f"p{next(_keys)}"
        with django_capture_on_commit_callbacks(execute=True):
            if op == "enrol":
                person = make_person(fund.organisation.subdistrict_id, first_name=f"ใหม่{key}")
                services.membership_enrol(actor=system_user, fund=fund, person=person, member_number=key,
                                          joined_on=date)
            elif op == "pay" and joined:
                services.contribution_receive(actor=system_user, membership=joined[pick % len(joined)],
                                              amount=365, date=date, idempotency_key=key)
            elif op == "sheet" and joined:
                services.collection_sheet_post(actor=system_user, fund=fund, date=date, idempotency_key=key,
                                               payments=[services.SheetPayment(m, Decimal(30)) for m in joined])
            elif op == "grant":  # matching no more members than the fund had that day
                had = Membership.objects.filter(fund=fund, joined_on__lte=date).exclude(ended_on__lt=date).count()
                services.grant_receive(actor=system_user, fund=fund, source=["government", "local"][pick % 2],
                                       amount=1000 + day, date=date, members_covered=min(pick, had),
                                       idempotency_key=key)
            elif op == "claim" and active:
                m = active[pick % len(active)]
                kind = kinds[pick % len(kinds)]
                claim = services.claim_submit(actor=system_user, membership=m, kind=kind, event_date=date,
                                              idempotency_key=key, consent=kind.health_data)
                if claim.eligible and services.available_by_source(fund, "members") >= claim.amount:
                    chair = chair_b if fund == funds[1] else _chair_a(fund)
                    claim = services.claim_decide(actor=chair, claim=claim, approve=True)
                    services.claim_pay(actor=system_user, claim=claim, date=date)
            elif op == "end" and active:
                m = active[pick % len(active)]  # a membership ends on or after the day it began
                services.membership_end(actor=system_user, membership=m, status=["deceased", "resigned"][pick % 2],
                                        on=max(date, m.joined_on))
            elif op == "lapse":
                services.memberships_lapse(actor=system_user, fund=fund, history=True, on=date)
                services.memberships_lapse(actor=system_user, fund=fund, history=True,
                                           on=date + datetime.timedelta(days=31))
    assert summaries.differences() == []


def _chair_a(fund):
    from chumchon.access.models import User
    from chumchon.access.roles import Role, ScopeKind
    from chumchon.access.services import role_assign

    user, created = User.objects.get_or_create(username="chair_a")
    if created:
        role_assign(actor=None, user=user, role=Role.FUND_CHAIR, scope_kind=ScopeKind.ORGANISATION,
                    scope=fund.organisation)
    return user
