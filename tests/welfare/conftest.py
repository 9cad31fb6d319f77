import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from chumchon.access.roles import Role, ScopeKind
from chumchon.welfare import services


@pytest.fixture
def fund(world, system_user):
    """Fund A with the typical rules in force from 1 Jan 2020 and its three members joined 1 Jan 2020."""
    fund = world["fund_a"]
    services.typical_rules_set(actor=system_user, fund=fund, effective_from=datetime.date(2020, 1, 1))
    return fund


@pytest.fixture
def members(world, fund):
    return [p.memberships.get() for p in world["a_people"]]


@pytest.fixture
def treasurer_and_chair(world, make_user, fund):
    """Fund A's treasurer (records claims) and its chair (decides them: never the same person)."""
    chair = make_user("chair_a", Role.FUND_CHAIR, ScopeKind.ORGANISATION, fund.organisation)
    return world["users"]["committee_a"], chair


@pytest.fixture
def funded(fund, system_user, members):
    """Each of the three members paid 1,095 baht on 3 Jan 2022: 3,285 baht of members' money, in cash."""
    for i, m in enumerate(members):
        services.contribution_receive(actor=system_user, membership=m, amount=1095, date=datetime.date(2022, 1, 3),
                                      idempotency_key=f"c{i}")
    return fund


def refused(write=None, *, sql: str = "", params=None) -> str:
    """The database's message refusing ``write()`` (or the raw ``sql``), in a transaction of its own so that the
    test goes on; fails the test when the database lets it through."""
    with pytest.raises(DatabaseError) as exc, transaction.atomic():
        if write is not None:
            write()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
    return str(exc.value)
