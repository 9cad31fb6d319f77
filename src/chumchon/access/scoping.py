"""The one scoping mechanism: which rows a user may see or change. Deny by default.

A scoped model declares how to reach its area and its organisation in a nested ``Scope`` class::

    class Scope:
        area = "subdistrict"                 # path to a geo.Subdistrict
        organisation = ("memberships__fund", "registered_by")  # path(s) to a core.Organisation (or its 1:1 pk)
        person = "pk"                        # path to the people.Person the row is about (for self-only roles)
        owner = "created_by"                 # optional: path to the user who made the row (they keep seeing it)
        # optional: a condition on one of the organisation paths, which then counts only for the rows matching it
        # (a subdistrict's assessment is kept by the council of that subdistrict; an organisation's own is not)
        organisation_where = {"subdistrict__organisations__council": Q(organisation__isnull=True)}

Every list comes from :func:`restrict`; every object lookup from :func:`get_scoped_or_404`, which answers 404
for an object outside the user's scope and records the refusal in the audit log.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Q
from django.http import Http404

from chumchon.access.models import RoleAssignment
from chumchon.access.roles import RULES, Action, Role, ScopeKind

_NOTHING = Q(pk__in=[])


def assignments_of(user) -> list[RoleAssignment]:
    """The user's role assignments, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_chumchon_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user).select_related(
                "region", "province", "district", "subdistrict", "organisation"
            )
        )
        for a in cached:
            if a.scope_kind == ScopeKind.REGION:
                a.region_province_codes = list(a.region.provinces.values_list("code", flat=True))
        user._chumchon_assignments = cached
    return cached


def forget_assignments(user) -> None:
    user.__dict__.pop("_chumchon_assignments", None)


def user_can(user, action: str) -> bool:
    """Whether the user holds any role allowing ``action`` anywhere (for showing menus, not for data)."""
    return any(Action(action) in RULES[Role(a.role)].actions for a in assignments_of(user))


def _paths(spec: str | Iterable[str] | None) -> list[str]:
    if spec is None:
        return []
    return [spec] if isinstance(spec, str) else list(spec)


def _is_multi_valued(model: type[models.Model], path: str) -> bool:
    current = model
    for part in path.split("__"):
        if part == "pk":
            return False
        field = current._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        current = field.related_model
    return False


def _path_q(model: type[models.Model], path: str, lookup: str, value) -> Q:
    """``path__lookup = value``, wrapped in a pk subquery when the path crosses a to-many relation, so that
    OR-ing several conditions never duplicates rows."""
    condition = Q(**{f"{path}{lookup}": value})
    if _is_multi_valued(model, path):
        return Q(pk__in=model._default_manager.filter(condition).values("pk"))
    return condition


def _area_q(model, area_path: str, assignment: RoleAssignment) -> Q:
    kind = assignment.scope_kind
    if kind == ScopeKind.SUBDISTRICT:
        return _path_q(model, area_path, "", assignment.subdistrict_id)
    if kind == ScopeKind.DISTRICT:
        return _path_q(model, area_path, "__district", assignment.district_id)
    if kind == ScopeKind.PROVINCE:
        return _path_q(model, area_path, "__province", assignment.province_id)
    if kind == ScopeKind.REGION:
        return _path_q(model, area_path, "__province__in", assignment.region_province_codes)
    return _NOTHING


def _assignment_q(model: type[models.Model], assignment: RoleAssignment, user, action: str) -> Q:
    scope = getattr(model, "Scope", None)
    if scope is None:
        return _NOTHING
    rule = RULES[Role(assignment.role)]
    if rule.self_only:
        person_path = getattr(scope, "person", None)
        if person_path is None or user.person_id is None:
            return _NOTHING
        q = _path_q(model, person_path, "", user.person_id)
        # A member sees their own record only while they belong to the organisation the role is for.
        org_q = _organisation_q(model, scope, assignment)
        return q & org_q if org_q is not None else q
    if assignment.scope_kind == ScopeKind.NATIONAL:
        return Q()
    if assignment.scope_kind == ScopeKind.ORGANISATION:
        org_q = _organisation_q(model, scope, assignment)
        return org_q if org_q is not None else _NOTHING
    area_path = getattr(scope, "area", None)
    if not area_path:
        return _NOTHING
    q = _area_q(model, area_path, assignment)
    if rule.area_reads_only and action != Action.VIEW:
        from chumchon.core.models import Organisation

        where = getattr(scope, "organisation_where", {})
        paths = [path for path in _paths(getattr(scope, "organisation", None)) if path not in where]
        # A record of one organisation (each path ends at it or its 1:1 pk); a person, who may belong to many,
        # stays the area's to keep. A conditional path (``organisation_where``) names who else keeps some rows,
        # not whose they are.
        if paths and not any(_is_multi_valued(model, path) for path in paths):
            others = Organisation.objects.filter(kind__in=sorted(rule.area_reads_only)).values("pk")
            for path in paths:
                q &= ~Q(**{f"{path}__in": others})
    return q


def _organisation_q(model, scope, assignment: RoleAssignment) -> Q | None:
    paths = _paths(getattr(scope, "organisation", None))
    if not paths:
        return None
    where = getattr(scope, "organisation_where", {})
    q = _NOTHING
    for path in paths:
        part = _path_q(model, path, "", assignment.organisation_id)
        q |= part & where[path] if path in where else part
    return q


def scope_q(model: type[models.Model], user, action: str = Action.VIEW) -> Q:
    """The filter of ``model`` rows that ``user`` may act on with ``action``: the OR of every role
    assignment that grants the action; nothing at all when none does. A model whose ``Scope`` names an ``owner``
    path (the user who made the row, e.g. an import job of no one fund) also gives its owner the rows they made,
    while some role of theirs grants the action."""
    q = _NOTHING
    granted = False
    for assignment in assignments_of(user):
        if Action(action) not in RULES[Role(assignment.role)].actions:
            continue
        granted = True
        part = _assignment_q(model, assignment, user, action)
        if part == Q():
            return Q()
        q |= part
    owner_path = getattr(getattr(model, "Scope", None), "owner", None)
    if granted and owner_path:
        q |= Q(**{owner_path: user.pk})
    return q


def restrict(queryset: models.QuerySet, user, action: str = Action.VIEW) -> models.QuerySet:
    """The rows of ``queryset`` the user may act on. Every list a user sees goes through here."""
    return queryset.filter(scope_q(queryset.model, user, action))


def get_scoped_or_404(queryset_or_model, user, action: str = Action.VIEW, **lookup):
    """One object the user may act on, or 404. A refusal of an object that exists is written to the audit log
    (who asked for what), so probing other funds' records leaves a trace."""
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type) else queryset_or_model
    )
    found = restrict(queryset, user, action).filter(**lookup).first()
    if found is not None:
        return found
    exists = queryset.model._default_manager.filter(**lookup).exists()
    if exists:
        from chumchon.core.audit import audit_record

        with transaction.atomic():
            audit_record(
                actor=user, action="access.denied", summary=f"{queryset.model._meta.label_lower} {lookup} ({action})",
                data={"model": queryset.model._meta.label_lower, "lookup": {k: str(v) for k, v in lookup.items()},
                      "action": str(action)},
            )
    raise Http404


def allows_location(user, action: str, *, subdistrict=None, organisation=None, kind: str = "") -> bool:
    """Whether the user may ``action`` something that will sit in ``subdistrict`` and/or belong to
    ``organisation`` (or, before it exists, to an organisation of ``kind``): used before creating a row, when
    there is no row to filter yet."""
    of_kind = organisation.kind if organisation is not None else kind
    for a in assignments_of(user):
        rule = RULES[Role(a.role)]
        if Action(action) not in rule.actions or rule.self_only:
            continue
        kind = a.scope_kind
        if (action != Action.VIEW and of_kind in rule.area_reads_only
                and kind not in (ScopeKind.NATIONAL, ScopeKind.ORGANISATION)):
            continue
        if kind == ScopeKind.NATIONAL:
            return True
        if kind == ScopeKind.ORGANISATION and organisation is not None and a.organisation_id == organisation.pk:
            return True
        if subdistrict is None:
            continue
        if (
            (kind == ScopeKind.SUBDISTRICT and a.subdistrict_id == subdistrict.pk)
            or (kind == ScopeKind.DISTRICT and a.district_id == subdistrict.district_id)
            or (kind == ScopeKind.PROVINCE and a.province_id == subdistrict.province_id)
            or (kind == ScopeKind.REGION and subdistrict.province_id in a.region_province_codes)
        ):
            return True
    return False


def _area_facts(level: str, code: str) -> dict:
    """The province codes, district and subdistrict an area lies in, for comparing with role scopes."""
    from chumchon.geo.models import District, Region, Subdistrict

    if level == "region":
        return {"provinces": set(Region.objects.get(pk=code).provinces.values_list("code", flat=True))}
    if level == "province":
        return {"provinces": {code}}
    if level == "district":
        return {"provinces": {District.objects.get(pk=code).province_id}, "district": code}
    if level == "subdistrict":
        sub = Subdistrict.objects.get(pk=code)
        return {"provinces": {sub.province_id}, "district": sub.district_id, "subdistrict": code}
    return {}


def covers_area(user, level: str, code: str) -> bool:
    """Whether one of the user's VIEW roles covers the whole area — ``level`` one of nation, region, province,
    district, subdistrict; ``code`` its key (a region's pk). An organisation role never covers an area; the
    area must exist (``DoesNotExist`` otherwise)."""
    facts = None
    for a in assignments_of(user):
        rule = RULES[Role(a.role)]
        if Action.VIEW not in rule.actions or rule.self_only:
            continue
        if a.scope_kind == ScopeKind.NATIONAL:
            return True
        if level == "nation" or a.scope_kind == ScopeKind.ORGANISATION:
            continue
        facts = facts if facts is not None else _area_facts(level, code)
        if (
            (a.scope_kind == ScopeKind.REGION and facts["provinces"] <= set(a.region_province_codes))
            or (a.scope_kind == ScopeKind.PROVINCE and facts["provinces"] == {a.province_id})
            or (a.scope_kind == ScopeKind.DISTRICT and facts.get("district") == a.district_id)
            or (a.scope_kind == ScopeKind.SUBDISTRICT and facts.get("subdistrict") == a.subdistrict_id)
        ):
            return True
    return False
