"""Every list page: the other tenant's rows never show, and the query count does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST_PAGES = ["people:person_list", "people:household_list", "welfare:fund_list", "core:audit_list"]


@pytest.mark.parametrize("name", ["people:person_list", "welfare:fund_detail"])
def test_other_funds_people_never_listed(name, world, client, login):
    login(world["users"]["committee_b"])
    url = reverse(name, kwargs={"code": "B-001"} if name == "welfare:fund_detail" else {})
    body = client.get(url).content.decode()
    assert "บี0" in body
    assert "เอ0" not in body and "เอ1" not in body


def test_other_funds_not_listed(world, client, login):
    login(world["users"]["committee_b"])
    body = client.get(reverse("welfare:fund_list")).content.decode()
    assert "B-001" in body and "A-001" not in body


def test_other_households_not_listed(world, client, login):
    login(world["users"]["committee_b"])
    assert "HH-A-1" not in client.get(reverse("people:household_list")).content.decode()
    client.logout()
    login(world["users"]["committee_a"])
    assert "HH-A-1" in client.get(reverse("people:household_list")).content.decode()


def test_other_province_audit_rows_not_listed(world, client, login):
    login(world["users"]["province_other"])
    body = client.get(reverse("core:audit_list")).content.decode()
    assert "กองทุนสวัสดิการชุมชน B" in body and "กองทุนสวัสดิการชุมชน A" not in body


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", LIST_PAGES + ["welfare:fund_detail"])
def test_query_count_does_not_grow_with_rows(name, world, client, login, make_person, system_user):
    from chumchon.people import services as people_services
    from chumchon.welfare import services as welfare_services

    login(world["users"]["admin"])
    url = reverse(name, kwargs={"code": "A-001"} if name == "welfare:fund_detail" else {})
    before = _queries(client, url)
    for i in range(8):
        make_person("500203", fund=world["fund_a"], first_name=f"เพิ่ม{i}")
        people_services.household_create(actor=system_user, code=f"HH-X-{i}", subdistrict=world["sub_a"])
        welfare_services.fund_create(actor=system_user, code=f"X-{i:03d}", name_th=f"กองทุน {i}",
                                     subdistrict=world["sub_a"])
    assert _queries(client, url) == before
