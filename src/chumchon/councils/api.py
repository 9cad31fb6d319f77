"""The councils API (django-ninja), mounted at /api/v1/councils/: councils, community organisations, plans and an
area's figures — read through the same scoped selectors as the pages (outside the caller's scope: 404)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.fiscal import FiscalYear, fiscal_year_of
from chumchon.councils import selectors
from chumchon.councils.models import Council
from chumchon.geo.models import District, Province, Subdistrict

router = Router(tags=["councils"])
MAX_PAGE = 500


class CouncilOut(Schema):
    code: str
    name_th: str
    kind: str
    subdistrict_code: str | None
    founded_on: datetime.date
    members_serving: int
    organisations_registered: int


class MemberOut(Schema):
    name: str
    kind: str
    position: str
    term_start: datetime.date
    term_end: datetime.date | None


class CouncilDetailOut(CouncilOut):
    members: list[MemberOut]
    meetings: int
    proposals: int


class OrganisationOut(Schema):
    code: str
    name_th: str
    kind: str
    subdistrict_code: str | None
    members_count: int
    registered_with: list[str]


class PlanOut(Schema):
    id: int
    subdistrict_code: str
    fiscal_year: int
    title: str
    item_count: int
    budget_needed: Decimal
    amount_given: Decimal


class AreaFiguresOut(Schema):
    fiscal_year: int
    councils: int
    members: int
    organisations: int
    organisations_new: int
    organisations_by_kind: dict[str, int]
    councils_by_grade: dict[str, int]
    model_communities: int
    strong_assessed: int
    plans: int
    plans_supported: int
    supported_amount: Decimal
    plans_linked: int
    linked_amount: Decimal


def _council_out(c: Council) -> dict:
    return {"code": c.organisation.code, "name_th": c.organisation.name_th, "kind": c.kind,
            "subdistrict_code": c.organisation.subdistrict_id, "founded_on": c.founded_on,
            "members_serving": c.members_serving, "organisations_registered": c.organisations_registered}


@router.get("/", response=list[CouncilOut], auth=django_auth)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def councils(request):
    """Councils in the caller's scope, with members serving today and organisations registered."""
    return [_council_out(c) for c in selectors.council_list(request.user)]


@router.get("/organisations", response=list[OrganisationOut], auth=django_auth)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def community_organisations(request, kind: str = ""):
    """Community organisations in the caller's scope (optionally one ``kind``), with the councils they are
    registered with (registration numbers)."""
    return [{"code": o.organisation.code, "name_th": o.organisation.name_th, "kind": o.kind,
             "subdistrict_code": o.organisation.subdistrict_id, "members_count": o.members_count,
             "registered_with": [f"{r.council.organisation.code}/{r.number}" for r in o.live_registrations]}
            for o in selectors.organisation_list(request.user, kind)]


@router.get("/plans", response=list[PlanOut], auth=django_auth)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def development_plans(request, fiscal_year: int | None = None):
    """Local development plans in scope, with the budget they need and the budget agencies gave."""
    return [{"id": p.pk, "subdistrict_code": p.subdistrict_id, "fiscal_year": p.fiscal_year, "title": p.title,
             "item_count": p.item_count, "budget_needed": p.budget_needed, "amount_given": p.amount_given}
            for p in selectors.plan_list(request.user, fiscal_year)]


@router.get("/figures", response={200: AreaFiguresOut, 422: dict}, auth=django_auth)
def council_area_figures(request, fiscal_year: str = "", province: str = "", district: str = "", subdistrict: str = ""):
    """An area's figures for a fiscal year (B.E., default: the current one), as the caller may see them: what the
    annual report uses."""
    try:
        fy = FiscalYear.parse(fiscal_year) if fiscal_year else fiscal_year_of(timezone.localdate())
    except (ThaiInputError, ValueError) as exc:
        return 422, {"errors": {"fiscal_year": [str(exc)]}}
    area = {}
    if subdistrict:
        area["subdistrict"] = get_object_or_404(Subdistrict, code=subdistrict)
    elif district:
        area["district"] = get_object_or_404(District, code=district)
    elif province:
        area["province"] = get_object_or_404(Province, code=province)
    figures = selectors.area_figures(request.user, fy.be_year, **area)
    return {**figures, "organisations_by_kind": {r["kind"]: r["count"] for r in figures["organisations_by_kind"]}}


@router.get("/{code}", response=CouncilDetailOut, auth=django_auth)
def council(request, code: str):
    """One council with its members (all terms), and how many meetings and proposals it recorded."""
    found = get_scoped_or_404(selectors.council_list(request.user), request.user, Action.VIEW,
                              organisation__code=code)
    return {**_council_out(found), "meetings": found.meetings.count(), "proposals": found.proposals.count(),
            "members": [{"name": m.name, "kind": m.kind, "position": m.position, "term_start": m.term_start,
                         "term_end": m.term_end} for m in selectors.council_members(found)]}
