"""The one scoping mechanism: each role sees exactly its scope, nothing else; refusals are logged."""

import pytest
from django.http import Http404

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location, get_scoped_or_404, restrict
from chumchon.core.models import AuditLog
from chumchon.people.models import Person
from chumchon.welfare.models import Fund, Membership

pytestmark = pytest.mark.django_db


def _names(qs):
    return sorted(p.first_name for p in qs)


def test_fund_committee_sees_only_its_own_funds_people(world):
    alice, bob = world["users"]["committee_a"], world["users"]["committee_b"]
    assert _names(restrict(Person.objects.all(), alice)) == ["เอ0", "เอ1", "เอ2"]
    assert _names(restrict(Person.objects.all(), bob)) == ["บี0", "บี1", "บี2"]


def test_member_sees_only_themself(world):
    member = world["users"]["member"]
    assert list(restrict(Person.objects.all(), member)) == [world["a_people"][0]]
    assert list(restrict(Membership.objects.all(), member)) == [world["a_people"][0].memberships.get()]
    assert not restrict(Fund.objects.all(), member).exists()


def test_area_roles_see_their_area(world):
    assert _names(restrict(Person.objects.all(), world["users"]["province_a"])) == ["เอ0", "เอ1", "เอ2"]
    assert _names(restrict(Person.objects.all(), world["users"]["province_other"])) == ["บี0", "บี1", "บี2"]
    # Chiang Mai (50) is in the north; Khon Kaen (40) is not.
    assert _names(restrict(Person.objects.all(), world["users"]["regional_north"])) == ["เอ0", "เอ1", "เอ2"]
    assert _names(restrict(Person.objects.all(), world["users"]["council_a"])) == ["เอ0", "เอ1", "เอ2"]


def test_national_roles_see_everything(world):
    for kind in ("auditor", "admin"):
        assert restrict(Person.objects.all(), world["users"][kind]).count() == 6


def test_no_role_sees_nothing(world, django_user_model):
    nobody = django_user_model.objects.create_user(username="nobody", password="x" * 12)
    assert not restrict(Person.objects.all(), nobody).exists()


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not restrict(Person.objects.all(), AnonymousUser()).exists()


def test_actions_follow_the_role(world):
    auditor, alice = world["users"]["auditor"], world["users"]["committee_a"]
    assert restrict(Person.objects.all(), auditor, Action.VIEW).count() == 6
    assert not restrict(Person.objects.all(), auditor, Action.CHANGE).exists()
    assert restrict(Person.objects.all(), alice, Action.CHANGE).count() == 3
    assert not restrict(Person.objects.all(), world["users"]["member"], Action.VIEW_PERSONAL).exists()


def test_no_duplicates_when_several_paths_match(world):
    """A person registered by fund A and a member of fund A matches two organisation paths, once."""
    alice = world["users"]["committee_a"]
    assert restrict(Person.objects.all(), alice).count() == 3


def test_out_of_scope_lookup_is_404_and_logged(world):
    bob, target = world["users"]["committee_b"], world["a_people"][1]
    with pytest.raises(Http404):
        get_scoped_or_404(Person, bob, pk=target.pk)
    row = AuditLog.objects.filter(action="access.denied").latest("id")
    assert row.actor == bob and row.data["model"] == "people.person" and row.data["lookup"] == {"pk": str(target.pk)}


def test_missing_object_is_404_without_log(world):
    before = AuditLog.objects.filter(action="access.denied").count()
    with pytest.raises(Http404):
        get_scoped_or_404(Person, world["users"]["admin"], pk=10**9)
    assert AuditLog.objects.filter(action="access.denied").count() == before


def test_allows_location(world):
    alice, prov = world["users"]["committee_a"], world["users"]["province_a"]
    assert allows_location(alice, Action.CHANGE, organisation=world["fund_a"].organisation)
    assert not allows_location(alice, Action.CHANGE, organisation=world["fund_b"].organisation)
    assert not allows_location(alice, Action.CHANGE, subdistrict=world["sub_a"])
    assert allows_location(prov, Action.CHANGE, subdistrict=world["sub_a"])
    assert not allows_location(prov, Action.CHANGE, subdistrict=world["sub_b"])
    assert not allows_location(world["users"]["auditor"], Action.CHANGE, subdistrict=world["sub_a"])
