"""Roles, what each may do, and at which scopes it may be given. The one place these rules live."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("member")
    FUND_CHAIR = "fund_chair", _("fund committee: chair")
    FUND_TREASURER = "fund_treasurer", _("fund committee: treasurer")
    FUND_SECRETARY = "fund_secretary", _("fund committee: secretary")
    COUNCIL_OFFICER = "council_officer", _("community council officer")
    PROVINCIAL_SECRETARIAT = "provincial_secretariat", _("provincial secretariat")
    REGIONAL_STAFF = "regional_staff", _("regional staff")
    NATIONAL_STAFF = "national_staff", _("national staff")
    AUDITOR = "auditor", _("auditor")
    ADMINISTRATOR = "administrator", _("administrator")


class ScopeKind(models.TextChoices):
    NATIONAL = "national", _("whole country")
    REGION = "region", _("region")
    PROVINCE = "province", _("province")
    DISTRICT = "district", _("district")
    SUBDISTRICT = "subdistrict", _("subdistrict")
    ORGANISATION = "organisation", _("one organisation or fund")


class Action(models.TextChoices):
    VIEW = "view", _("view")
    CHANGE = "change", _("change")
    VIEW_PERSONAL = "view_personal", _("view unmasked personal data")
    VIEW_AUDIT = "view_audit", _("view the audit log")
    MANAGE_USERS = "manage_users", _("manage users and roles")


@dataclass(frozen=True)
class RoleRule:
    actions: frozenset[Action]
    scopes: frozenset[ScopeKind]
    self_only: bool = False
    requires_2fa: bool = False
    # Kinds of organisation (core.Organisation.Kind values) whose records an *area* assignment of the role may
    # only read: another organisation keeps them. An assignment to one organisation is not affected.
    area_reads_only: frozenset[str] = frozenset()


_AREAS = frozenset({ScopeKind.REGION, ScopeKind.PROVINCE, ScopeKind.DISTRICT, ScopeKind.SUBDISTRICT})
_FUND_COMMITTEE = RoleRule(
    actions=frozenset({Action.VIEW, Action.CHANGE, Action.VIEW_PERSONAL}),
    scopes=frozenset({ScopeKind.ORGANISATION}),
)

RULES: dict[Role, RoleRule] = {
    # A member sees only their own record, in the fund they belong to.
    Role.MEMBER: RoleRule(frozenset({Action.VIEW}), frozenset({ScopeKind.ORGANISATION}), self_only=True),
    Role.FUND_CHAIR: _FUND_COMMITTEE,
    Role.FUND_TREASURER: _FUND_COMMITTEE,
    Role.FUND_SECRETARY: _FUND_COMMITTEE,
    # A council officer keeps the council's records (its organisations, meetings, plans, assessments, books) in
    # the area; the welfare fund of the same tambon is another organisation, kept by its own committee: the
    # officer sees its figures and changes none of them.
    Role.COUNCIL_OFFICER: RoleRule(
        frozenset({Action.VIEW, Action.CHANGE}), frozenset({ScopeKind.SUBDISTRICT, ScopeKind.ORGANISATION}),
        area_reads_only=frozenset({"welfare_fund"}),
    ),
    Role.PROVINCIAL_SECRETARIAT: RoleRule(
        frozenset({Action.VIEW, Action.CHANGE, Action.VIEW_AUDIT}), frozenset({ScopeKind.PROVINCE})
    ),
    Role.REGIONAL_STAFF: RoleRule(frozenset({Action.VIEW, Action.VIEW_AUDIT}), frozenset({ScopeKind.REGION})),
    Role.NATIONAL_STAFF: RoleRule(
        frozenset({Action.VIEW, Action.CHANGE, Action.VIEW_AUDIT}), frozenset({ScopeKind.NATIONAL}),
        requires_2fa=True,
    ),
    # Auditors read everything in their scope, personal data included (each unmasked view is logged), and
    # change nothing.
    Role.AUDITOR: RoleRule(
        frozenset({Action.VIEW, Action.VIEW_PERSONAL, Action.VIEW_AUDIT}),
        frozenset({ScopeKind.NATIONAL, ScopeKind.ORGANISATION}) | _AREAS,
    ),
    Role.ADMINISTRATOR: RoleRule(frozenset(Action), frozenset({ScopeKind.NATIONAL}), requires_2fa=True),
}

FUND_COMMITTEE_ROLES = frozenset({Role.FUND_CHAIR, Role.FUND_TREASURER, Role.FUND_SECRETARY})


def role_allows(role: str, action: str) -> bool:
    return Action(action) in RULES[Role(role)].actions
