"""Ending a membership: the history stays; the end is a real status and not before the member joined."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from chumchon.welfare import services
from chumchon.welfare.models import Membership

from .conftest import plan_and_index

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_membership_ends_with_a_status_and_a_date(members, system_user):
    m = members[0]
    services.membership_end(actor=system_user, membership=m, status="resigned", on=m.joined_on)
    m.refresh_from_db()
    assert (m.status, m.ended_on) == ("resigned", m.joined_on)


@pytest.mark.parametrize(("status", "days", "field"), [("active", 10, "status"), ("resigned", -1, "on")])
def test_bad_ends_are_refused_by_field(members, system_user, status, days, field):
    m = members[1]
    with pytest.raises(ValidationError) as refused:
        services.membership_end(actor=system_user, membership=m, status=status,
                                on=m.joined_on + datetime.timedelta(days=days))
    assert field in refused.value.message_dict
    m.refresh_from_db()
    assert (m.status, m.ended_on) == ("active", None)


def test_a_funds_members_are_found_through_the_member_number_key(members, fund):
    """A member's fund has no index of its own (welfare 0014): the unique (fund, member number) answers."""
    plan, definition = plan_and_index(Membership.objects.filter(fund=fund), "welfare_member_number_in_fund")
    assert "welfare_member_number_in_fund" in plan or "sqlite_autoindex_welfare_membership_1" in plan, plan
    with connection.cursor() as cursor:
        indexed = [{c.lower() for c in i["columns"]} for i in
                   connection.introspection.get_constraints(cursor, Membership._meta.db_table).values()
                   if (i["index"] or i["unique"]) and not i["primary_key"]]
    assert {"fund_id"} not in indexed and {"fund_id", "member_number"} in indexed


def test_no_one_joins_in_the_future(world, fund, system_user):
    """A joining date after today would count a member who is not one yet (the fund's status and its reports
    would disagree): refused, by field."""
    person = world["a_people"][0]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.membership_enrol(actor=system_user, fund=fund, person=person, member_number="09999",
                                  joined_on=tomorrow)
    assert "อนาคต" in refused.value.message_dict["joined_on"][0]
    assert not Membership.objects.filter(fund=fund, member_number="09999").exists()


def test_an_opening_paid_through_date_before_joining_is_refused(members, system_user):
    """Member 00001 joined 1 Jan 2563: paid up to 31 Dec 2562 (nothing paid yet) is the earliest the register can
    say; 30 Dec 2562 is refused, naming the field, and nothing is changed."""
    member = members[0]
    assert member.joined_on == D(2020, 1, 1)
    with pytest.raises(ValidationError) as exc:
        services.opening_paid_through_set(actor=system_user, membership=member, paid_through=D(2019, 12, 30))
    assert "paid up to a day before joining" in exc.value.message_dict["paid_through"][0]
    member.refresh_from_db()
    assert member.paid_through is None
    services.opening_paid_through_set(actor=system_user, membership=member, paid_through=D(2019, 12, 31))
    member.refresh_from_db()
    assert member.paid_through == D(2019, 12, 31)


def test_a_person_joins_another_fund_only_from_the_day_the_old_membership_ended(world, system_user):
    """A member of fund A moves to fund A2; A records the move on 10 Oct 2565. Fund A2 may enrol them from 10 Oct
    2565, not from 1 Sep 2565: on the days between they would be a member of both (and counted twice)."""
    from chumchon.welfare.models import Fund

    a2 = services.fund_create(actor=system_user, code="A-002", name_th="กองทุน A2", subdistrict=world["sub_a"])
    person = world["a_people"][0]
    old = Membership.objects.get(person=person)
    services.membership_end(actor=system_user, membership=old, status="transferred", on=D(2022, 10, 10), system=True)
    with pytest.raises(ValidationError) as exc:
        services.membership_enrol(actor=system_user, fund=a2, person=person, member_number="00001",
                                  joined_on=D(2022, 9, 1))
    assert "before the person's earlier membership ended on 2022-10-10" in exc.value.message_dict["joined_on"][0]
    assert not Membership.objects.filter(fund=a2).exists()
    services.membership_enrol(actor=system_user, fund=Fund.objects.get(pk=a2.pk), person=person,
                              member_number="00001", joined_on=D(2022, 10, 10))
