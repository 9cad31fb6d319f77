import datetime

import pytest

from chumchon.access.roles import Role, ScopeKind
from chumchon.welfare import services


@pytest.fixture
def chair_b(world, make_user):
    return make_user("chair_b", Role.FUND_CHAIR, ScopeKind.ORGANISATION, world["fund_b"].organisation)


@pytest.fixture
def two_funds(world, system_user):
    """Funds A (Chiang Mai) and B (Khon Kaen) with the typical rules from 1 Jan 2020."""
    for fund in (world["fund_a"], world["fund_b"]):
        services.typical_rules_set(actor=system_user, fund=fund, effective_from=datetime.date(2020, 1, 1))
    return world["fund_a"], world["fund_b"]
