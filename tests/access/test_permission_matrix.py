"""Every URL pattern × every kind of user answers its declared status. A URL missing here fails the test,
so a new page cannot ship without deciding who may see it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

KINDS = ["anonymous", "member", "committee_a", "committee_b", "province_other", "auditor", "admin"]


def _statuses(anonymous, member, committee_a, committee_b, province_other, auditor, admin):
    return dict(zip(KINDS, [anonymous, member, committee_a, committee_b, province_other, auditor, admin],
                    strict=True))


def _all(status, anonymous=None):
    return _statuses(status if anonymous is None else anonymous, *([status] * 6))


LOGIN = 302
# Council A's pages (subdistrict 500203): fund A's committee is scoped to its fund only, so it gets 404 too.
COUNCIL_VIEW = _statuses(LOGIN, 404, 404, 404, 404, 200, 200)
COUNCIL_CHANGE = _statuses(LOGIN, 404, 404, 404, 404, 404, 200)


def _entry(world):
    """A posted entry in fund A's book."""
    import datetime

    from chumchon.ledger import services
    from chumchon.ledger.models import Book

    book = Book.objects.get(code="A-001")
    return services.entry_post(actor=None, book=book, date=datetime.date(2022, 1, 5), memo="เงินสมทบ",
                               idempotency_key="matrix-entry", lines=[services.LineSpec("1101", debit=30),
                                                                      services.LineSpec("4101", credit=30)])


# name: (kwargs built from the world — always fund A's objects, so fund B and the other province must get 404 —,
#        expected GET status per kind of user)
MATRIX = {
    "home": (lambda w: {}, _statuses(200, 302, 302, 302, 200, 200, 200)),  # member → own record, fund → fund
    "healthz": (lambda w: {}, _all(200)),
    "set_language": (lambda w: {}, _all(302)),
    "login": (lambda w: {}, _all(302, anonymous=200)),
    "logout": (lambda w: {}, _all(405)),
    "two_factor": (lambda w: {}, _all(302)),
    "password_change": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "password_change_done": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "core:audit_list": (lambda w: {}, _statuses(LOGIN, 403, 403, 403, 200, 200, 200)),
    "geo:nation": (lambda w: {}, _all(200)),
    "geo:region": (lambda w: {"pk": w["region"].pk}, _all(200)),
    "geo:province": (lambda w: {"code": "50"}, _all(200)),
    "geo:district": (lambda w: {"code": "5002"}, _all(200)),
    "geo:subdistrict": (lambda w: {"code": "500203"}, _all(200)),
    "geo:local_administration_create": (lambda w: {"code": "500203"}, _statuses(LOGIN, 403, 403, 403, 403, 403, 200)),
    "people:person_list": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "people:person_create": (lambda w: {}, _statuses(LOGIN, 403, 200, 200, 200, 403, 200)),
    "people:person_detail": (lambda w: {"pk": w["a_people"][1].pk}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "people:person_edit": (lambda w: {"pk": w["a_people"][1].pk}, _statuses(LOGIN, 404, 200, 404, 404, 404, 200)),
    "people:person_reveal": (lambda w: {"pk": w["a_people"][1].pk}, _all(405, anonymous=LOGIN)),
    "people:person_export": (lambda w: {"pk": w["a_people"][1].pk}, _all(405, anonymous=LOGIN)),
    "people:my_data_export": (lambda w: {}, _all(405, anonymous=LOGIN)),
    "people:household_list": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "people:household_detail": (lambda w: {"pk": w["household_a"].pk},
                                _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:fund_list": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "welfare:fund_detail": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "ledger:book_list": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "ledger:book_detail": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "ledger:journal": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "ledger:entry_create": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 404, 200)),
    "ledger:entry_totals": (lambda w: {"code": "A-001"}, _all(405, anonymous=LOGIN)),
    "ledger:entry_detail": (lambda w: {"code": "A-001", "pk": _entry(w).pk},
                            _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "ledger:entry_reverse": (lambda w: {"code": "A-001", "pk": _entry(w).pk}, _all(405, anonymous=LOGIN)),
    "ledger_statements:book_index": (lambda w: {"book_code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "ledger_statements:book_statement": (lambda w: {"book_code": "A-001", "kind": "trial-balance"},
                                         _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "ledger_statements:area_index": (lambda w: {"level": "province", "code": "50"},
                                     _statuses(LOGIN, 404, 404, 404, 404, 200, 200)),
    "ledger_statements:area_statement": (lambda w: {"level": "province", "code": "50", "kind": "income-expenditure"},
                                         _statuses(LOGIN, 404, 404, 404, 404, 200, 200)),
    "ledger:periods": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:matching_overview": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "welfare:my_record": (lambda w: {}, _all(200, anonymous=LOGIN)),
    # Only through one's own memberships: the member's own receipt; staff (no person of their own) never.
    "welfare:my_receipt": (lambda w: {"code": "A-001", "number": _receipt(w, own=True)},
                           _statuses(LOGIN, 200, 404, 404, 404, 404, 404)),
    "welfare:fund_status": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:report_index": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:report": (lambda w: {"code": "A-001", "kind": "yearly"}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:member_enrol": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 404, 200)),
    "welfare:member_detail": (lambda w: {"code": "A-001", "number": "00002"},
                              _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:contribution_create": (lambda w: {"code": "A-001", "number": "00002"},
                                    _statuses(LOGIN, 404, 200, 404, 404, 404, 200)),
    "welfare:receipt": (lambda w: {"code": "A-001", "number": _receipt(w)},
                        _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:receipt_void": (lambda w: {"code": "A-001", "number": _receipt(w)}, _all(405, anonymous=LOGIN)),
    "welfare:membership_end": (lambda w: {"code": "A-001", "number": "00002"},
                               _statuses(LOGIN, 404, 200, 404, 404, 404, 200)),
    "welfare:refund_pay": (lambda w: {"code": "A-001", "number": "00002"}, _all(405, anonymous=LOGIN)),
    "welfare:refund_voucher": (lambda w: {"code": "A-001", "number": _refund(w)},
                               _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:lapse_run": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 404, 200)),
    "welfare:fund_settings": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 404, 200)),
    "welfare:collection_sheet": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 404, 200)),
    "welfare:collection_sheet_total": (lambda w: {"code": "A-001"}, _all(405, anonymous=LOGIN)),
    "welfare:grant_create": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 404, 200)),
    "welfare:claim_list": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:claim_create": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 404, 200)),
    "welfare:claim_detail": (lambda w: {"code": "A-001", "pk": _claim(w).pk},
                             _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:claim_decide": (lambda w: {"code": "A-001", "pk": _claim(w).pk}, _all(405, anonymous=LOGIN)),
    "welfare:claim_pay": (lambda w: {"code": "A-001", "pk": _claim(w).pk}, _all(405, anonymous=LOGIN)),
    "welfare:claim_void": (lambda w: {"code": "A-001", "pk": _claim(w).pk}, _all(405, anonymous=LOGIN)),
    "welfare:voucher": (lambda w: {"code": "A-001", "pk": _claim(w, paid=True).pk},
                        _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:rules": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "welfare:pension_batch": (lambda w: {"code": "A-001"}, _statuses(LOGIN, 404, 200, 404, 404, 404, 200)),
    "welfare:pension_batch_approve": (lambda w: {"code": "A-001"}, _all(405, anonymous=LOGIN)),
    "insights:home": (lambda w: {}, _statuses(LOGIN, 404, 302, 302, 302, 302, 302)),
    "insights:dashboard": (lambda w: {"level": "fund", "code": "A-001"},
                           _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "insights:dashboard_councils": (lambda w: {"level": "province", "code": "50"},
                                    _statuses(LOGIN, 404, 404, 404, 404, 200, 200)),
    "insights:annual_report": (lambda w: {"fiscal_year": 2565, "level": "province", "code": "50"},
                               _statuses(LOGIN, 404, 404, 404, 404, 200, 200)),
    "open_data:catalogue": (lambda w: {}, _all(200)),
    "open_data:catalogue_json": (lambda w: {}, _all(200)),
    "open_data:dataset": (lambda w: {"dataset": "funds", "fmt": "csv"}, _all(200)),
    "api:api-root": (lambda w: {}, _all(404)),
    "api:openapi-json": (lambda w: {}, _all(200)),
    "api:openapi-view": (lambda w: {}, _all(200)),
    "api:provinces": (lambda w: {}, _all(200)),
    "api:subdistrict": (lambda w: {"code": "500203"}, _all(200)),
    "api:me": (lambda w: {}, _all(200, anonymous=401)),
    "api:funds": (lambda w: {}, _all(200, anonymous=401)),
    "api:welfare_members": (lambda w: {"code": "A-001"}, _statuses(401, 404, 200, 404, 404, 200, 200)),
    "api:welfare_member": (lambda w: {"code": "A-001",
                                      "member_number": w["a_people"][1].memberships.get().member_number},
                           _statuses(401, 404, 200, 404, 404, 200, 200)),
    # GET and POST share a path: a GET to the POST operation's URL name is answered by the list.
    "api:welfare_contributions": (lambda w: {"code": "A-001"}, _statuses(401, 404, 200, 404, 404, 200, 200)),
    "api:welfare_contribution_receive": (lambda w: {"code": "A-001"}, _statuses(401, 404, 200, 404, 404, 200, 200)),
    "api:welfare_claims": (lambda w: {"code": "A-001"}, _statuses(401, 404, 200, 404, 404, 200, 200)),
    "api:welfare_contribution_cancel": (lambda w: {"code": "A-001", "receipt": _receipt(w)}, _all(405)),
    "api:welfare_claim_submit": (lambda w: {"code": "A-001"}, _statuses(401, 404, 200, 404, 404, 200, 200)),
    # Councils and assessments: everything is council A's (subdistrict 500203), so fund A's committee (scoped to
    # its fund) and fund B's get 404 like the other province.
    "councils:council_list": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "councils:council_create": (lambda w: {}, _statuses(LOGIN, 403, 200, 200, 200, 403, 200)),
    "councils:area_summary": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "councils:organisation_list": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "councils:organisation_detail": (lambda w: {"org_code": _registration(w).organization.code}, COUNCIL_VIEW),
    "councils:plan_list": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "councils:plan_detail": (lambda w: {"pk": _plan_item(w).plan_id}, COUNCIL_VIEW),
    "councils:plan_item_add": (lambda w: {"pk": _plan_item(w).plan_id}, COUNCIL_CHANGE),
    "councils:plan_item_link": (lambda w: {"pk": _plan_item(w).plan_id, "item_pk": _plan_item(w).pk}, COUNCIL_CHANGE),
    "councils:council_detail": (lambda w: {"code": _council(w).code}, COUNCIL_VIEW),
    "councils:council_edit": (lambda w: {"code": _council(w).code}, COUNCIL_CHANGE),
    "councils:member_add": (lambda w: {"code": _council(w).code}, COUNCIL_CHANGE),
    "councils:member_term_end": (lambda w: {"code": _council(w).code, "pk": _member(w).pk}, COUNCIL_CHANGE),
    "councils:meeting_create": (lambda w: {"code": _council(w).code}, COUNCIL_CHANGE),
    "councils:meeting_detail": (lambda w: {"code": _council(w).code, "pk": _meeting(w).pk}, COUNCIL_VIEW),
    # The matrix's meeting has no minutes file: 404 for everyone (tests/councils/test_views.py serves one).
    "councils:meeting_minutes": (lambda w: {"code": _council(w).code, "pk": _meeting(w).pk},
                                 _statuses(LOGIN, 404, 404, 404, 404, 404, 404)),
    "councils:proposal_create": (lambda w: {"code": _council(w).code}, COUNCIL_CHANGE),
    "councils:proposal_follow_up": (lambda w: {"code": _council(w).code, "pk": _proposal(w).pk}, COUNCIL_CHANGE),
    "councils:organisation_register": (lambda w: {"code": _council(w).code}, COUNCIL_CHANGE),
    "councils:organisation_edit": (lambda w: {"code": _council(w).code,
                                              "org_code": _registration(w).organization.code}, COUNCIL_CHANGE),
    "councils:registration_end": (lambda w: {"code": _council(w).code, "pk": _registration(w).pk}, COUNCIL_CHANGE),
    "councils:plan_create": (lambda w: {"code": _council(w).code}, COUNCIL_CHANGE),
    "assessments:assessment_list": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "assessments:assessment_start": (lambda w: {}, _statuses(LOGIN, 403, 200, 200, 200, 403, 200)),
    "assessments:instrument_list": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "assessments:instrument_detail": (lambda w: {"pk": _instrument().pk}, _all(200, anonymous=LOGIN)),
    "assessments:instrument_item_edit": (lambda w: {"pk": _instrument().pk, "item_pk": _instrument().items.first().pk},
                                         _statuses(LOGIN, 403, 403, 403, 403, 403, 200)),
    "assessments:assessment_detail": (lambda w: {"pk": _assessment(w).pk}, COUNCIL_VIEW),
    "assessments:assessment_answer": (lambda w: {"pk": _assessment(w).pk}, COUNCIL_CHANGE),
    "api:councils": (lambda w: {}, _all(200, anonymous=401)),
    "api:community_organisations": (lambda w: {}, _all(200, anonymous=401)),
    "api:development_plans": (lambda w: {}, _all(200, anonymous=401)),
    "api:council_area_figures": (lambda w: {}, _all(200, anonymous=401)),
    "api:council": (lambda w: {"code": _council(w).code}, _statuses(401, 404, 404, 404, 404, 200, 200)),
    "api:instruments": (lambda w: {}, _all(200, anonymous=401)),
    "api:assessments": (lambda w: {}, _all(200, anonymous=401)),
    "api:assessment": (lambda w: {"assessment_id": _assessment(w).pk}, _statuses(401, 404, 404, 404, 404, 200, 200)),
    "dataio:import_list": (lambda w: {}, _statuses(LOGIN, 403, 200, 200, 200, 403, 200)),
    "dataio:import_new": (lambda w: {}, _statuses(LOGIN, 403, 200, 200, 200, 403, 200)),
    "dataio:import_detail": (lambda w: {"pk": _job(w).pk}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "dataio:import_progress": (lambda w: {"pk": _job(w).pk}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "dataio:import_report": (lambda w: {"pk": _job(w).pk}, _statuses(LOGIN, 404, 200, 404, 404, 200, 200)),
    "dataio:import_confirm": (lambda w: {"pk": _job(w).pk}, _all(405, anonymous=LOGIN)),
    "dataio:import_resume": (lambda w: {"pk": _job(w).pk}, _all(405, anonymous=LOGIN)),
    "dataio:import_cancel": (lambda w: {"pk": _job(w).pk}, _all(405, anonymous=LOGIN)),
    "dataio:template_download": (lambda w: {"kind": "memberships", "fmt": "xlsx"}, _all(200)),
    "dataio:export": (lambda w: {}, _all(200, anonymous=LOGIN)),
    "dataio:fund_archive": (lambda w: {"code": "A-001"}, _all(405, anonymous=LOGIN)),
}


def _job(world):
    """An import into fund A, checked (its file has one problem row)."""
    from pathlib import Path

    from chumchon.dataio import services
    from chumchon.dataio.models import ImportJob

    existing = ImportJob.objects.filter(filename="matrix.csv").first()
    if existing is not None:
        return existing
    path = Path(__file__).parent.parent / "dataio" / "fixtures" / "contributions_bad.csv"
    with path.open("rb") as handle:
        job = services.job_create(actor=None, kind="contributions", file=handle, filename="matrix.csv",
                                  fund=world["fund_a"], system=True)
    return services.job_check(job, system=True)


def _receipt(world, own=False):
    """A receipt of fund A: another member's, or (``own``) the member login's own."""
    import datetime

    from chumchon.welfare import services

    membership = world["a_people"][0 if own else 1].memberships.get()
    c = services.contribution_receive(actor=world["users"]["admin"], membership=membership, amount=30,
                                      date=datetime.date(2022, 1, 5), idempotency_key="matrix-receipt")
    return c.receipt_number


def _refund(world):
    """Member 00002 of fund A resigned and was refunded; the member number."""
    import datetime

    from chumchon.welfare import services
    from chumchon.welfare.models import ContributionRefund

    membership = world["a_people"][1].memberships.get()
    if not ContributionRefund.objects.filter(membership=membership).exists():
        admin = world["users"]["admin"]
        services.fund_settings_update(actor=admin, fund=world["fund_a"], refund_on_resignation=True)
        services.contribution_receive(actor=admin, membership=membership, amount=30, date=datetime.date(2022, 1, 5),
                                      idempotency_key="matrix-refund-paid")
        services.membership_end(actor=admin, membership=membership, status="resigned", on=datetime.date(2022, 2, 1))
        services.contribution_refund(actor=admin, membership=membership, date=datetime.date(2022, 2, 2),
                                     idempotency_key="matrix-refund")
    return membership.member_number


def _claim(world, paid=False):
    import datetime

    from chumchon.welfare import services
    from chumchon.welfare.models import BenefitKind, Claim

    existing = Claim.objects.filter(idempotency_key="matrix-claim").first()
    if existing is None:
        admin, alice = world["users"]["admin"], world["users"]["committee_a"]
        fund = world["fund_a"]
        services.typical_rules_set(actor=admin, fund=fund, effective_from=datetime.date(2020, 1, 1))
        membership = world["a_people"][1].memberships.get()
        services.contribution_receive(actor=admin, membership=membership, amount=1500,
                                      date=datetime.date(2024, 1, 5), idempotency_key="matrix-money")
        newborn = BenefitKind.objects.get(code="newborn")
        existing = services.claim_submit(actor=alice, membership=membership, kind=newborn,
                                         event_date=datetime.date(2024, 1, 6), consent=True,
                                         idempotency_key="matrix-claim")
        if paid:
            services.claim_decide(actor=admin, claim=existing, approve=True)
            services.claim_pay(actor=alice, claim=existing, date=datetime.date(2024, 1, 7))
    return existing


def _council(world):
    import datetime

    from chumchon.councils import services
    from chumchon.councils.models import Council

    found = Council.objects.filter(organisation__code="CC-500203").first()
    return found or services.council_create(actor=world["users"]["admin"], code="CC-500203", name_th="สภา A",
                                            subdistrict=world["sub_a"], founded_on=datetime.date(2010, 1, 1))


def _meeting(world):
    import datetime

    from chumchon.councils import services

    council = _council(world)
    return council.meetings.first() or services.meeting_record(
        actor=world["users"]["admin"], council=council, date=datetime.date(2024, 1, 5), attendees=10, agenda="1.")


def _member(world):
    """A member of council A serving a term with no end set."""
    import datetime

    from chumchon.councils import services

    council = _council(world)
    return council.members.first() or services.member_seat(
        actor=world["users"]["admin"], council=council, name="นายสมาชิก", term_start=datetime.date(2020, 1, 1))


def _proposal(world):
    import datetime

    from chumchon.councils import services

    council = _council(world)
    return council.proposals.first() or services.proposal_send(
        actor=world["users"]["admin"], council=council, title="ข้อเสนอ", agency="อบต.",
        sent_on=datetime.date(2024, 1, 5))


def _registration(world):
    import datetime

    from chumchon.councils import services

    council = _council(world)
    return council.registrations.first() or services.organisation_register(
        actor=world["users"]["admin"], council=council, name_th="กลุ่มออมทรัพย์", kind="savings", number="001",
        registered_on=datetime.date(2020, 1, 1))


def _plan_item(world):
    from decimal import Decimal

    from chumchon.councils import services
    from chumchon.councils.models import PlanItem

    found = PlanItem.objects.filter(plan__subdistrict=world["sub_a"]).first()
    if found is None:
        plan = services.plan_create(actor=world["users"]["admin"], subdistrict=world["sub_a"], fiscal_year=2569,
                                    title="แผน", council=_council(world))
        found = services.plan_item_add(actor=world["users"]["admin"], plan=plan, issue="น้ำ", activity="ขุดลอก",
                                       budget_needed=Decimal(1000))
    return found


def _instrument():
    from chumchon.assessments.models import Instrument

    return Instrument.objects.filter(code="strong-community").order_by("-revision").first()


def _assessment(world):
    from chumchon.assessments import services
    from chumchon.assessments.models import Assessment

    return Assessment.objects.filter(subject_key="sub:500203").first() or services.assessment_start(
        actor=world["users"]["admin"], instrument_code="strong-community", fiscal_year=2569,
        subdistrict=world["sub_a"])


def _pattern_names(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in [namespace, p.namespace] if x) or None
            yield from _pattern_names(p, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_url_pattern_is_in_the_matrix():
    names = list(_pattern_names())
    assert None not in names and all(n and not n.endswith(":None") for n in names), "every URL needs a name"
    missing = sorted(set(names) - set(MATRIX))
    assert not missing, f"URL patterns missing from the permission matrix: {missing}"
    stale = sorted(set(MATRIX) - set(names))
    assert not stale, f"matrix rows for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_status_for_every_kind_of_user(name, world, client, login):
    from chumchon.geo.models import Region

    world = {**world, "region": Region.objects.get(scheme__is_default=True, code="north")}
    kwargs_of, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs_of(world))
    got = {}
    for kind in KINDS:
        client.logout()
        if kind != "anonymous":
            login(world["users"][kind])
        got[kind] = client.get(url).status_code
    assert got == expected, f"{name} ({url})"
