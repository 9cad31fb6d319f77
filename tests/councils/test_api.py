"""The councils API: scoped like the pages (another area's rows never listed, its council 404), paginated in the
database (queries do not grow with rows), and the area figures with a Thai (English) error for a bad year."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chumchon.councils import services

pytestmark = pytest.mark.django_db
D = datetime.date
BASE = "/api/v1/councils"
LISTS = [f"{BASE}/", f"{BASE}/organisations", f"{BASE}/plans"]


def _fill(world, councils, n: int, prefix: str) -> None:
    admin = world["users"]["admin"]
    for key in ("a", "b"):
        council = councils[key]
        for i in range(n):
            reg = services.organisation_register(actor=admin, council=council, name_th=f"{prefix}กลุ่ม{key}{i}",
                                                 kind="savings", number=f"{prefix}{i}", registered_on=D(2020, 1, 1))
            services.member_seat(actor=admin, council=council, name=f"{prefix}สมาชิก{key}{i}",
                                 term_start=D(2024, 1, 1), represents=reg.organization)
        plan = services.plan_create(actor=admin, subdistrict=council.organisation.subdistrict,
                                    fiscal_year=2563 + n, title=f"แผน {key} {prefix}", council=council)
        item = services.plan_item_add(actor=admin, plan=plan, issue="x", activity="y", budget_needed=Decimal(100))
        services.plan_item_link(actor=admin, item=item, agency_kind="agency", agency_name="พช.", amount=Decimal(40),
                                fiscal_year=2563 + n)


def test_lists_show_only_the_callers_area(world, councils, client, login):
    _fill(world, councils, 2, "x")
    login(world["users"]["council_a"])
    found = client.get(f"{BASE}/").json()
    assert [c["code"] for c in found["items"]] == ["CC-500203"]
    assert found["items"][0]["members_serving"] == 2 and found["items"][0]["organisations_registered"] == 2
    organisations = client.get(f"{BASE}/organisations").json()["items"]
    assert {o["name_th"] for o in organisations} == {"xกลุ่มa0", "xกลุ่มa1"}
    assert all(o["registered_with"][0].startswith("CC-500203/") for o in organisations)
    plans = client.get(f"{BASE}/plans").json()["items"]
    assert [(p["subdistrict_code"], p["budget_needed"], p["amount_given"]) for p in plans] == [
        ("500203", "100.00", "40.00")]
    assert client.get(f"{BASE}/CC-400101").status_code == 404
    detail = client.get(f"{BASE}/CC-500203").json()
    assert (len(detail["members"]), detail["meetings"], detail["proposals"]) == (2, 0, 0)


@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow_with_rows(url, world, councils, client, login, django_assert_max_num_queries):
    _fill(world, councils, 1, "a")
    login(world["users"]["admin"])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    _fill(world, councils, 6, "b")
    with django_assert_max_num_queries(len(first)):
        body = client.get(url + "?limit=3").json()
    assert len(body["items"]) == min(3, body["count"])


def test_area_figures(world, councils, client, login):
    _fill(world, councils, 2, "x")  # plans of FY 2565
    login(world["users"]["province_other"])
    figures = client.get(f"{BASE}/figures?fiscal_year=2565").json()
    assert (figures["councils"], figures["organisations"], figures["plans"], figures["plans_linked"]) == (1, 2, 1, 1)
    assert figures["organisations_by_kind"] == {"savings": 2}
    assert (figures["linked_amount"], figures["supported_amount"]) == ("40.00", "0.00")
    bad = client.get(f"{BASE}/figures?fiscal_year=abc")
    assert bad.status_code == 422 and "fiscal_year" in bad.json()["errors"]
