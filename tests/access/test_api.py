"""The JSON API is scoped exactly like the pages."""

import pytest

pytestmark = pytest.mark.django_db


def test_funds_endpoint_is_scoped(world, client, login):
    login(world["users"]["committee_b"])
    assert [f["code"] for f in client.get("/api/v1/funds").json()] == ["B-001"]
    client.logout()
    login(world["users"]["auditor"])
    assert [f["code"] for f in client.get("/api/v1/funds").json()] == ["A-001", "B-001"]


def test_me_lists_roles(world, client, login):
    login(world["users"]["committee_a"])
    assert client.get("/api/v1/me").json()["roles"] == [
        {"role": "fund_treasurer", "scope_kind": "organisation", "scope": "กองทุนสวัสดิการชุมชน A"}]


def test_geography_is_public(client):
    assert len(client.get("/api/v1/geo/provinces").json()) == 77
    body = client.get("/api/v1/geo/subdistricts/100101").json()
    assert body["province_code"] == "10" and body["postal_codes"] == ["10200"]


def test_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1") and "/api/v1/funds" in schema["paths"]
