"""The councils API (django-ninja), mounted at /api/v1/councils/: councils, community organisations, plans and an
area's figures — read through the same scoped selectors as the pages (outside the caller's scope: 404)."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404
from chumchon.config.api_errors import LimitOffset
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.fiscal import FiscalYear, fiscal_year_of
from chumchon.councils import selectors
from chumchon.councils.models import CommunityOrganization, Council, DevelopmentPlan
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

    @staticmethod
    def resolve_code(obj: Council) -> str:
        return obj.organisation.code

    @staticmethod
    def resolve_name_th(obj: Council) -> str:
        return obj.organisation.name_th

    @staticmethod
    def resolve_subdistrict_code(obj: Council) -> str | None:
        return obj.organisation.subdistrict_id


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

    @staticmethod
    def resolve_members(obj: Council) -> list:
        return obj.member_rows

    @staticmethod
    def resolve_meetings(obj: Council) -> int:
        return obj.meetings_count

    @staticmethod
    def resolve_proposals(obj: Council) -> int:
        return obj.proposals_count


class OrganisationOut(Schema):
    code: str
    name_th: str
    kind: str
    subdistrict_code: str | None
    members_count: int
    registered_with: list[str]

    @staticmethod
    def resolve_code(obj: CommunityOrganization) -> str:
        return obj.organisation.code

    @staticmethod
    def resolve_name_th(obj: CommunityOrganization) -> str:
        return obj.organisation.name_th

    @staticmethod
    def resolve_subdistrict_code(obj: CommunityOrganization) -> str | None:
        return obj.organisation.subdistrict_id

    @staticmethod
    def resolve_registered_with(obj: CommunityOrganization) -> list[str]:
        return [f"{r.council.organisation.code}/{r.number}" for r in obj.live_registrations]


class PlanOut(Schema):
    id: int
    subdistrict_code: str
    fiscal_year: int
    title: str
    item_count: int
    budget_needed: str = Field(..., description="baht (string decimal)")
    amount_given: str = Field(..., description="baht given by agencies and local administrations (string decimal)")

    @staticmethod
    def resolve_subdistrict_code(obj: DevelopmentPlan) -> str:
        return obj.subdistrict_id

    @staticmethod
    def resolve_budget_needed(obj: DevelopmentPlan) -> str:
        return f"{obj.budget_needed:.2f}"

    @staticmethod
    def resolve_amount_given(obj: DevelopmentPlan) -> str:
        return f"{obj.amount_given:.2f}"


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
    supported_amount: str = Field(..., description="baht (string decimal)")
    plans_linked: int
    linked_amount: str = Field(..., description="baht (string decimal)")


@router.get("/", response=list[CouncilOut], auth=django_auth)
@paginate(LimitOffset, max_limit=MAX_PAGE)
def councils(request):
    """Councils in the caller's scope, with members serving today and organisations registered."""
    return selectors.council_list(request.user)


@router.get("/organisations", response=list[OrganisationOut], auth=django_auth)
@paginate(LimitOffset, max_limit=MAX_PAGE)
def community_organisations(request, kind: str = ""):
    """Community organisations in the caller's scope (optionally one ``kind``), with the councils they are
    registered with (registration numbers)."""
    return selectors.organisation_list(request.user, kind)


@router.get("/plans", response=list[PlanOut], auth=django_auth)
@paginate(LimitOffset, max_limit=MAX_PAGE)
def development_plans(request, fiscal_year: int | None = None):
    """Local development plans in scope, with the budget they need and the budget agencies gave."""
    return selectors.plan_list(request.user, fiscal_year)


@router.get("/figures", response={200: AreaFiguresOut, 422: dict}, auth=django_auth)
def council_area_figures(request, fiscal_year: str = "", province: str = "", district: str = "", subdistrict: str = ""):
    """An area's figures for a fiscal year (B.E., default: the current one), as the caller may see them: what the
    annual report uses."""
    try:
        fy = FiscalYear.parse(fiscal_year) if fiscal_year else fiscal_year_of(timezone.localdate())
    except (ThaiInputError, ValueError) as exc:
        return Status(422, {"errors": {"fiscal_year": [str(exc)]}})
    area = {}
    if subdistrict:
        area["subdistrict"] = get_object_or_404(Subdistrict, code=subdistrict)
    elif district:
        area["district"] = get_object_or_404(District, code=district)
    elif province:
        area["province"] = get_object_or_404(Province, code=province)
    figures = selectors.area_figures(request.user, fy.be_year, **area)
    return {**figures, "organisations_by_kind": {r["kind"]: r["count"] for r in figures["organisations_by_kind"]},
            "supported_amount": f"{figures['supported_amount']:.2f}",
            "linked_amount": f"{figures['linked_amount']:.2f}"}


@router.get("/{code}", response=CouncilDetailOut, auth=django_auth)
def council(request, code: str):
    """One council with its members (all terms), and how many meetings and proposals it recorded."""
    found = get_scoped_or_404(selectors.council_list(request.user), request.user, Action.VIEW,
                              organisation__code=code)
    found.meetings_count = selectors.council_meetings(request.user, found).count()
    found.proposals_count = selectors.council_proposals(request.user, found).count()
    found.member_rows = list(selectors.council_members(request.user, found))
    return found
