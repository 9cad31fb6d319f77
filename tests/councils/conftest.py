"""Councils in the two-province world: council A in fund A's subdistrict (Chiang Mai), council B in Khon Kaen."""

import datetime

import pytest

from chumchon.councils import services


@pytest.fixture
def councils(world):
    admin = world["users"]["admin"]
    a = services.council_create(actor=admin, code="CC-500203", name_th="สภาองค์กรชุมชนตำบล A",
                                subdistrict=world["sub_a"], founded_on=datetime.date(2010, 3, 1))
    b = services.council_create(actor=admin, code="CC-400101", name_th="สภาองค์กรชุมชนตำบล B",
                                subdistrict=world["sub_b"], founded_on=datetime.date(2011, 5, 1))
    return {"a": a, "b": b}
