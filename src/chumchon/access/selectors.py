"""Reads for a user's home page: what each of their role assignments gives them to look at."""

from django.db.models import Count, Q

from chumchon.access.roles import FUND_COMMITTEE_ROLES, Role, ScopeKind
from chumchon.access.scoping import assignments_of, covers_area, restrict
from chumchon.councils.models import Council
from chumchon.insights.selectors import assignment_area
from chumchon.people.models import Person
from chumchon.welfare.models import Fund, Membership


def _councils_of(user, a) -> list:
    """The councils a council officer's assignment is for: the council itself, or those of the area (a few)."""
    councils = restrict(Council.objects.select_related("organisation"), user).order_by("organisation__code")
    if a.scope_kind == ScopeKind.ORGANISATION:
        return list(councils.filter(organisation_id=a.organisation_id))
    if a.scope_kind == ScopeKind.SUBDISTRICT:
        return list(councils.filter(organisation__subdistrict_id=a.subdistrict_id))
    return []


def home_sections(user) -> list[dict]:
    """One section per role assignment: the role, its scope, what it leads to (the member's record, the fund, the
    councils) and, for a role that covers an area, that area (``(level, code)``, for its dashboard)."""
    sections = []
    for a in assignments_of(user):
        area = assignment_area(a)
        section = {"assignment": a, "role": Role(a.role), "fund": None, "membership": None, "councils": [],
                   "area": area if area is not None and covers_area(user, *area) else None}
        if a.role == Role.MEMBER:
            section["membership"] = (
                Membership.objects.filter(person_id=user.person_id, fund_id=a.organisation_id)
                .select_related("fund__organisation").first()
            )
        elif a.role in FUND_COMMITTEE_ROLES:
            section["fund"] = Fund.objects.filter(pk=a.organisation_id).select_related("organisation").first()
        elif a.role == Role.COUNCIL_OFFICER:
            section["councils"] = _councils_of(user, a)
        sections.append(section)
    return sections


def scope_figures(user) -> dict:
    """Key figures of everything in the user's scope (funds, active members, people)."""
    funds = restrict(Fund.objects.all(), user).aggregate(
        funds=Count("pk"), active_funds=Count("pk", filter=Q(status=Fund.Status.ACTIVE))
    )
    members = restrict(Membership.objects.filter(status=Membership.Status.ACTIVE), user).count()
    people = restrict(Person.objects.all(), user).count()
    return {**funds, "active_members": members, "people": people}


def single_fund_of(user) -> Fund | None:
    """The fund a committee user works for, when that is the only thing they do (their home is that fund)."""
    assignments = assignments_of(user)
    if len(assignments) == 1 and assignments[0].role in FUND_COMMITTEE_ROLES and (
        assignments[0].scope_kind == ScopeKind.ORGANISATION
    ):
        return Fund.objects.filter(pk=assignments[0].organisation_id).select_related("organisation").first()
    return None


def only_a_member(user) -> bool:
    """Whether every role the user has is "member" of a fund: their home is their own record, not figures of a
    scope (which for a member is only themselves)."""
    assignments = assignments_of(user)
    return bool(assignments) and all(a.role == Role.MEMBER for a in assignments)
