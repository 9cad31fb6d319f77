"""Property: for any mix of role assignments, `restrict` returns exactly the people a plain-Python reading of the
rules allows — no more (no leak), no less, no duplicates."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chumchon.access import services as access_services
from chumchon.access.models import User
from chumchon.access.roles import RULES, Action, Role, ScopeKind
from chumchon.access.scoping import forget_assignments, restrict
from chumchon.geo.models import Province, Region, Subdistrict
from chumchon.people.models import Person

pytestmark = pytest.mark.django_db

SUBDISTRICTS = ["500203", "500301", "400101"]  # two in Chiang Mai (north), one in Khon Kaen


def _expected(world, user, assignments, action):
    visible = set()
    people = list(Person.objects.select_related("subdistrict").prefetch_related("memberships"))
    for role, kind, target in assignments:
        rule = RULES[role]
        if Action(action) not in rule.actions:
            continue
        for p in people:
            funds = {m.fund_id for m in p.memberships.all()} | ({p.registered_by_id} if p.registered_by_id else set())
            if rule.self_only:
                ok = p.pk == user.person_id and target.pk in funds
            elif kind == ScopeKind.NATIONAL:
                ok = True
            elif kind == ScopeKind.ORGANISATION:
                ok = target.pk in funds
            elif kind == ScopeKind.PROVINCE:
                ok = p.subdistrict.province_id == target.pk
            elif kind == ScopeKind.REGION:
                ok = target.provinces.filter(pk=p.subdistrict.province_id).exists()
            else:
                ok = p.subdistrict_id == target.pk
            if ok:
                visible.add(p.pk)
    return visible


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(st.tuples(st.sampled_from(["member", "committee", "council", "province", "region", "auditor"]),
                             st.integers(0, 1)), max_size=3),
    action=st.sampled_from([Action.VIEW, Action.CHANGE, Action.VIEW_PERSONAL]),
)
def test_restrict_matches_the_rules(world, system_user, picks, action):
    user, _ = User.objects.get_or_create(username="prop", defaults={"person": world["a_people"][1]})
    user.role_assignments.all().delete()
    forget_assignments(user)
    funds = [world["fund_a"], world["fund_b"]]
    made = []
    for kind, i in picks:
        role, scope_kind, target = {
            "member": (Role.MEMBER, ScopeKind.ORGANISATION, funds[i].organisation),
            "committee": (Role.FUND_SECRETARY, ScopeKind.ORGANISATION, funds[i].organisation),
            "council": (Role.COUNCIL_OFFICER, ScopeKind.SUBDISTRICT, Subdistrict.objects.get(code=SUBDISTRICTS[i * 2])),
            "province": (Role.PROVINCIAL_SECRETARIAT, ScopeKind.PROVINCE, Province.objects.get(code=["50", "40"][i])),
            "region": (Role.REGIONAL_STAFF, ScopeKind.REGION,
                       Region.objects.get(scheme__is_default=True, code=["north", "northeast"][i])),
            "auditor": (Role.AUDITOR, ScopeKind.NATIONAL, None),
        }[kind]
        access_services.role_assign(actor=system_user, user=user, role=role, scope_kind=scope_kind, scope=target)
        made.append((role, scope_kind, target))
    forget_assignments(user)
    got = list(restrict(Person.objects.all(), user, action).values_list("pk", flat=True))
    assert len(got) == len(set(got)), "duplicated rows"
    assert set(got) == _expected(world, user, made, action)
