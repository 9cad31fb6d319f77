"""Ending a membership: the history stays; the end is a real status and not before the member joined."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from chumchon.welfare import services

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
