"""The JSON API's errors: JSON in Thai (English) whatever went wrong — an address or record not found, not logged
in, a CSRF failure, a method not taken, input that cannot be read (``limit`` / ``offset`` included), a bug."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from chumchon.config import api_errors

pytestmark = pytest.mark.django_db
THAI = re.compile(r"[\u0E00-\u0E7F]")
MEMBERS = "/api/v1/welfare/funds/A-001/members"


def _bilingual(text: str) -> bool:
    """Thai first, then the English in parentheses."""
    return bool(re.fullmatch(r"[^()]*[\u0E00-\u0E7F][^()]*\(.*[a-z].*\)", text))


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


@pytest.fixture
def treasurer(world, login):
    return login(world["users"]["committee_a"])


# --- limit and offset -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["offset=99999999999999999999", "offset=1000000001", "offset=-1", "offset=abc",
                                   "offset=1.5"])
def test_an_offset_that_cannot_be_used_is_a_422_naming_it(treasurer, query):
    response = treasurer.get(f"{MEMBERS}?{query}")
    assert response.status_code == 422
    assert _json(response) == {"errors": {"offset": [
        "offset (จำนวนรายการที่ข้าม) ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 1,000,000,000 "
        "(offset (items to skip) must be a whole number from 0 to 1,000,000,000)"]}}


@pytest.mark.parametrize("query", ["limit=0", "limit=-5", "limit=ten", "limit=99999999999999999999999999999x"])
def test_a_limit_that_cannot_be_used_is_a_422_naming_it(treasurer, query):
    response = treasurer.get(f"{MEMBERS}?{query}")
    assert response.status_code == 422
    [message] = _json(response)["errors"]["limit"]
    assert message.startswith("limit (จำนวนรายการต่อหน้า)") and "(limit (items per page) must be" in message


def test_both_bad_are_both_named(treasurer):
    response = treasurer.get(f"{MEMBERS}?limit=0&offset=-1")
    assert response.status_code == 422 and set(_json(response)["errors"]) == {"limit", "offset"}


def test_good_paging_still_pages_and_a_big_limit_gives_a_page(treasurer):
    assert [m["member_number"] for m in treasurer.get(f"{MEMBERS}?limit=1&offset=2").json()["items"]] == ["00003"]
    assert treasurer.get(f"{MEMBERS}?offset=1000000000").json()["items"] == []
    body = treasurer.get(f"{MEMBERS}?limit=99999999999999999999").json()
    assert body["count"] == 3 and len(body["items"]) == 3


@pytest.mark.parametrize("url", ["/api/v1/welfare/funds/A-001/contributions", "/api/v1/welfare/funds/A-001/claims",
                                 "/api/v1/councils/", "/api/v1/councils/organisations", "/api/v1/councils/plans",
                                 "/api/v1/assessments/"])
def test_every_list_checks_its_offset(treasurer, url):
    response = treasurer.get(f"{url}?offset=99999999999999999999")
    assert response.status_code == 422 and list(_json(response)["errors"]) == ["offset"]


def test_the_schema_states_the_bounds(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/welfare/funds/{code}/members"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["offset"]["schema"]["maximum"] == api_errors.MAX_OFFSET
    assert params["offset"]["schema"]["minimum"] == 0 and params["limit"]["schema"]["minimum"] == 1


# --- other input that cannot be read: the same shape on every router -------------------------------------------

def test_a_query_parameter_of_the_wrong_type_on_another_router(treasurer):
    response = treasurer.get("/api/v1/councils/plans?fiscal_year=next")
    assert response.status_code == 422
    assert _json(response) == {"errors": {"fiscal_year": ["ต้องเป็นจำนวนเต็ม (must be a whole number)"]}}


def test_a_body_that_is_not_json(treasurer):
    response = treasurer.post("/api/v1/welfare/funds/A-001/contributions", data="{not json",
                              content_type="application/json")
    assert response.status_code == 400
    assert _json(response) == {"detail": "อ่านเนื้อหาคำขอไม่ได้ ต้องเป็น JSON (cannot parse the request body: JSON expected)"}


# --- refused as a whole: {"detail": "Thai (English)"} -----------------------------------------------------------

def test_not_logged_in_is_a_bilingual_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert _json(response) == {"detail": "ต้องเข้าสู่ระบบก่อน (authentication required: log in first)"}


def test_a_record_outside_the_scope_is_a_bilingual_404(world, login):
    client = login(world["users"]["committee_b"])
    response = client.get(MEMBERS)
    assert response.status_code == 404
    assert _json(response) == {"detail": "ไม่พบข้อมูลที่ขอ (not found)"}
    assert _json(client.get("/api/v1/geo/subdistricts/999999")) == {"detail": "ไม่พบข้อมูลที่ขอ (not found)"}


@pytest.mark.parametrize("url", ["/api/v1/nothing-here", "/api/v1/welfare/funds/A-001/nothing", "/api/v1/"])
def test_an_address_the_api_does_not_have_is_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert _json(response) == {"detail": "ไม่พบข้อมูลที่ขอ (not found)"}


def test_a_method_the_operation_does_not_take_is_a_json_405(treasurer):
    response = treasurer.delete("/api/v1/me")
    assert response.status_code == 405 and response["Allow"] == "GET"
    detail = _json(response)["detail"]
    assert _bilingual(detail) and "DELETE" in detail and "allowed: GET" in detail


def test_a_failed_csrf_check_is_bilingual(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["committee_a"])
    response = client.post("/api/v1/welfare/funds/A-001/contributions", data=json.dumps({}),
                           content_type="application/json")
    assert response.status_code == 403
    detail = _json(response)["detail"]
    assert _bilingual(detail) and "CSRF" in detail and "X-CSRFToken" in detail


def test_permission_denied_in_any_router_is_a_json_403(treasurer, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionDenied

    monkeypatch.setattr("chumchon.councils.selectors.council_list", refuse)
    response = treasurer.get("/api/v1/councils/")
    assert response.status_code == 403
    assert _json(response) == {"detail": "ไม่มีสิทธิ์ทำรายการนี้ (permission denied)"}


def test_a_bug_is_a_json_500_and_is_still_reported(world, login, monkeypatch):
    from django.core.signals import got_request_exception

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("chumchon.welfare.selectors.fund_members", broken)
    reported = []

    def receiver(**kwargs):
        reported.append(kwargs["request"].path)

    got_request_exception.connect(receiver)
    try:
        client = Client(raise_request_exception=False)
        client.force_login(world["users"]["committee_a"])
        response = client.get(MEMBERS)
    finally:
        got_request_exception.disconnect(receiver)
    assert response.status_code == 500
    assert _json(response) == {"detail": "ระบบขัดข้อง ทำรายการไม่สำเร็จ โปรดลองใหม่ภายหลัง "
                                         "(server error: the request could not be completed)"}
    assert reported == [MEMBERS]


# --- the words ---------------------------------------------------------------------------------------------------

def test_detail_keeps_thai_and_says_english_in_thai_first():
    assert api_errors.detail_of(403, "ไม่มีสิทธิ์ (not allowed)") == "ไม่มีสิทธิ์ (not allowed)"
    assert api_errors.detail_of(401, "Unauthorized") == "ต้องเข้าสู่ระบบก่อน (authentication required: log in first)"
    assert api_errors.detail_of(400, "no such thing") == "คำขอไม่ถูกต้อง (no such thing)"
    assert api_errors.detail_of(418) == "คำขอไม่ถูกต้อง (bad request)"
    assert all(_bilingual(api_errors.bilingual(*pair)) for pair in api_errors.DETAILS.values())


def test_every_message_is_thai_then_english():
    errors = [{"loc": ["query", "fiscal_year"], "type": kind, "msg": "x"} for kind in api_errors._PYDANTIC_MESSAGES]
    errors += [{"loc": ["body", "payload", "n"], "type": kind, "ctx": {key: 3}}
               for kind, (key, _th, _en) in api_errors._BOUNDS.items()]
    errors += [{"loc": ["body", "payload", "amount"], "type": "string_type"}, {"loc": ["body"], "type": "missing"}]
    found = api_errors.errors_of(errors)
    assert set(found) == {"fiscal_year", "n", "amount", "__all__"}
    assert all(_bilingual(m) and THAI.search(m) for messages in found.values() for m in messages)
    assert found["n"] == ["ต้องไม่น้อยกว่า 3 (must be at least 3)", "ต้องมากกว่า 3 (must be more than 3)",
                          "ต้องไม่เกิน 3 (must be at most 3)", "ต้องน้อยกว่า 3 (must be less than 3)"]
