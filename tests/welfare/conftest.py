import datetime

import pytest

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
