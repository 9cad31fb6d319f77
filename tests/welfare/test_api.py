"""The welfare API: scoped like the pages, idempotent writes, Thai (English) errors, listed in the OpenAPI schema."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from chumchon.ledger import services as ledger
from chumchon.ledger.models import Account
from chumchon.welfare import services
from chumchon.welfare.api import _service_errors
from chumchon.welfare.models import BenefitKind, Claim, Contribution

pytestmark = pytest.mark.django_db
D = datetime.date
BASE = "/api/v1/welfare/funds"


def _post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def _payment(member_number="00001", **overrides):
    return {"member_number": member_number, "amount": "30.00", "date": "2022-01-03", "idempotency_key": "k-1",
            **overrides}


def _balance_4101(fund):
    return Account.objects.get(book=fund.organisation.book, code="4101").balance


@pytest.fixture
def treasurer(world, login, fund):
    return login(world["users"]["committee_a"])


# --- reads ---------------------------------------------------------------------------------------------------------

def test_members_are_paginated_and_masked(treasurer, world, members):
    body = treasurer.get(f"{BASE}/A-001/members?limit=2&offset=0").json()
    assert body["count"] == 3
    assert [m["member_number"] for m in body["items"]] == ["00001", "00002"]
    assert all(re.fullmatch(r"x-xxxx-xxxxx-\d\d-\d", m["national_id_masked"]) for m in body["items"])
    assert treasurer.get(f"{BASE}/A-001/members?offset=2").json()["items"][0]["member_number"] == "00003"


def test_members_never_show_a_full_national_id(treasurer, world, members):
    content = treasurer.get(f"{BASE}/A-001/members").content.decode()
    for person in world["a_people"]:
        assert person.personal_data.national_id not in content


def test_member_shows_paid_through_and_owed_today(treasurer, world, members, system_user, fund):
    services.contribution_receive(actor=system_user, membership=members[0], amount=366, date=D(2021, 1, 2),
                                  idempotency_key="paid-2020")
    body = treasurer.get(f"{BASE}/A-001/members/00001").json()
    today = datetime.date.fromisoformat(body["as_of"])
    assert body["paid_through"] == "2020-12-31"
    assert body["days_in_arrears"] == (today - D(2020, 12, 31)).days
    assert Decimal(body["owed"]) == body["days_in_arrears"] * fund.daily_rate
    assert body["name"] == world["a_people"][0].full_name


def test_contributions_filter_by_member_and_dates(treasurer, members, system_user):
    for i, (m, day) in enumerate([(members[0], D(2022, 1, 3)), (members[1], D(2022, 2, 3)),
                                  (members[0], D(2022, 3, 3))]):
        services.contribution_receive(actor=system_user, membership=m, amount=30, date=day, idempotency_key=f"f{i}")
    everything = treasurer.get(f"{BASE}/A-001/contributions").json()
    assert everything["count"] == 3 and everything["items"][0]["date"] == "2022-03-03"
    one_member = treasurer.get(f"{BASE}/A-001/contributions?member=00001").json()
    assert [c["date"] for c in one_member["items"]] == ["2022-03-03", "2022-01-03"]
    window = treasurer.get(f"{BASE}/A-001/contributions?from=2022-02-01&to=2022-03-01").json()
    assert [(c["member_number"], c["amount"]) for c in window["items"]] == [("00002", "30.00")]


def test_an_imported_receipt_is_listed_with_no_key(treasurer, members, system_user, fund):
    """Imported history has no idempotency key (its receipt number is its key): listed as null, not an error."""
    services.contribution_receive(actor=system_user, membership=members[0], amount=30, date=D(2022, 1, 3),
                                  idempotency_key="counter")
    entry = ledger.receipt_post(actor=system_user, book=fund.organisation.book, date=D(2022, 1, 2), amount=30,
                                income_account="4101", memo="นำเข้าเงินสมทบ", idempotency_key="import-day")
    Contribution.objects.bulk_create([Contribution(
        fund=fund, membership=members[1], receipt_number="H65/001", fiscal_year=2565, date=D(2022, 1, 2),
        amount=Decimal(30), days=30, covers_from=D(2020, 1, 1), covers_to=D(2020, 1, 30), entry=entry)])
    response = treasurer.get(f"{BASE}/A-001/contributions")
    assert response.status_code == 200
    assert [(c["date"], c["idempotency_key"]) for c in response.json()["items"]] == [
        ("2022-01-03", "counter"), ("2022-01-02", None)]


@pytest.mark.parametrize("path", ["members", "contributions", "claims"])
def test_list_queries_do_not_grow_with_rows(treasurer, world, fund, members, system_user, make_person, path):
    def add_rows(first):
        for i in range(first, first + 4):
            person = make_person("500203", fund=fund, first_name=f"ใหม่{i}")
            m = person.memberships.get()
            services.contribution_receive(actor=system_user, membership=m, amount=30, date=D(2022, 1, 3),
                                          idempotency_key=f"q{i}")
            services.claim_submit(actor=system_user, membership=m, kind=BenefitKind.objects.get(code="funeral"),
                                  event_date=D(2022, 1, 4), idempotency_key=f"q{i}")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert treasurer.get(f"{BASE}/A-001/{path}").status_code == 200
        return len(captured)

    add_rows(0)
    few = queries()
    add_rows(10)
    assert queries() == few


# --- scoping -------------------------------------------------------------------------------------------------------

READS = ["members", "members/00001", "contributions", "claims"]


@pytest.mark.parametrize("path", READS)
def test_other_funds_committee_gets_404(world, login, fund, members, path):
    client = login(world["users"]["committee_b"])
    assert client.get(f"{BASE}/A-001/{path}").status_code == 404
    assert client.get(f"{BASE}/B-001/{path}").status_code == 200


@pytest.mark.parametrize("path", READS)
def test_anonymous_gets_401(client, world, path):
    assert client.get(f"{BASE}/A-001/{path}").status_code == 401


def test_other_funds_committee_cannot_post(world, login, fund, members):
    client = login(world["users"]["committee_b"])
    assert _post(client, f"{BASE}/A-001/contributions", _payment()).status_code == 404
    claim = {"member_number": "00001", "kind": "funeral", "event_date": "2022-01-03", "idempotency_key": "c"}
    assert _post(client, f"{BASE}/A-001/claims", claim).status_code == 404
    assert not Contribution.objects.exists() and not Claim.objects.exists()


def test_auditor_reads_but_cannot_write(world, login, fund, members):
    client = login(world["users"]["auditor"])
    assert client.get(f"{BASE}/A-001/members").json()["count"] == 3
    assert client.get(f"{BASE}/A-001/contributions").status_code == 200
    assert _post(client, f"{BASE}/A-001/contributions", _payment()).status_code in (403, 404)
    assert not Contribution.objects.exists()
    assert _balance_4101(fund) == 0


def test_a_member_sees_no_fund_lists(world, login, fund, members):
    client = login(world["users"]["member"])
    assert client.get(f"{BASE}/A-001/members").status_code == 404


def test_permission_denied_from_a_service_is_a_json_403():
    def refuses(request):
        raise PermissionDenied("ไม่มีสิทธิ์ (not allowed)")

    response = _service_errors(refuses)(RequestFactory().post("/"))
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": "ไม่มีสิทธิ์ (not allowed)"}


def test_a_session_post_needs_the_csrf_token(world, fund, members):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["committee_a"])
    response = _post(client, f"{BASE}/A-001/contributions", _payment())
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not Contribution.objects.exists()


# --- idempotent contributions --------------------------------------------------------------------------------------

def test_contribution_post_then_replay_then_conflict(treasurer, fund, members):
    url = f"{BASE}/A-001/contributions"
    first = _post(treasurer, url, _payment())
    assert first.status_code == 201
    receipt = first.json()
    assert receipt["receipt_number"] == "RC2565-00001" and receipt["amount"] == "30.00" and receipt["days"] == 30
    assert (receipt["covers_from"], receipt["covers_to"]) == ("2020-01-01", "2020-01-30")

    replay = _post(treasurer, url, _payment())
    assert replay.status_code == 200 and replay.json() == receipt

    conflict = _post(treasurer, url, _payment(amount="60.00"))
    assert conflict.status_code == 409
    assert conflict.json() == {"errors": {"idempotency_key": [
        "คีย์นี้ใช้กับการรับเงินอื่นไปแล้ว (key already used for another payment)"]}}

    assert Contribution.objects.count() == 1
    assert _balance_4101(fund) == Decimal("30.00")


def test_contribution_key_from_the_header(treasurer, fund, members):
    url = f"{BASE}/A-001/contributions"
    body = _payment(idempotency_key=None)
    assert _post(treasurer, url, body, HTTP_IDEMPOTENCY_KEY="hdr-1").status_code == 201
    assert _post(treasurer, url, {**body, "idempotency_key": "hdr-1"}).status_code == 200
    assert Contribution.objects.get().idempotency_key == "hdr-1"
    assert _balance_4101(fund) == Decimal("30.00")


def test_contribution_without_a_key_is_refused(treasurer, members):
    response = _post(treasurer, f"{BASE}/A-001/contributions", _payment(idempotency_key=None))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["idempotency_key"]


# --- validation errors ---------------------------------------------------------------------------------------------

def test_input_errors_name_each_field_in_thai_and_english(treasurer, members):
    response = _post(treasurer, f"{BASE}/A-001/contributions", _payment(member_number="99999", amount="3O"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"member_number", "amount"}
    assert errors["member_number"] == ["ไม่พบเลขสมาชิก 99999 ในกองทุนนี้ (no member number 99999 in this fund)"]
    assert re.fullmatch(r".*ไม่ใช่จำนวนเงิน.*\(.*is not an amount.*\)", errors["amount"][0])


def test_unparsable_request_has_the_same_shape(treasurer, members):
    body = {"member_number": "00001", "amount": 30, "date": "3/1/2565", "idempotency_key": "p"}
    response = _post(treasurer, f"{BASE}/A-001/contributions", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"amount", "date"}
    assert "YYYY-MM-DD" in errors["date"][0] and "วันที่" in errors["date"][0]
    assert "string decimal" in errors["amount"][0]
    missing = _post(treasurer, f"{BASE}/A-001/contributions", {"amount": "30"}).json()["errors"]
    assert missing["member_number"] == ["ต้องระบุ (required)"] and "date" in missing


def test_service_rule_errors_come_back_as_422(treasurer, fund, members):
    response = _post(treasurer, f"{BASE}/A-001/contributions", _payment(amount="30.50"))
    assert response.status_code == 422
    assert "whole number of days" in response.json()["errors"]["amount"][0]
    assert not Contribution.objects.exists()


# --- claims --------------------------------------------------------------------------------------------------------

@pytest.fixture
def paid_up(fund, members, system_user):
    """Member 00001 paid through the end of 2022, and the fund has money."""
    services.contribution_receive(actor=system_user, membership=members[0], amount=1096, date=D(2022, 1, 3),
                                  idempotency_key="paid-up")
    return members[0]


def _claim(**overrides):
    return {"member_number": "00001", "kind": "hospital", "event_date": "2022-08-02", "units": "2", "consent": True,
            "idempotency_key": "claim-1", **overrides}


def test_claim_post_returns_its_explanation(treasurer, paid_up):
    response = _post(treasurer, f"{BASE}/A-001/claims", _claim())
    assert response.status_code == 201
    claim = response.json()
    assert claim["eligible"] is True and claim["amount"] == "400.00" and claim["status"] == "submitted"
    assert claim["kind"] == "hospital" and claim["units"] == "2.00"
    assert len(claim["explanation"]) >= 2
    assert all(line["th"] and line["en"] and line["ok"] for line in claim["explanation"])
    listed = treasurer.get(f"{BASE}/A-001/claims").json()
    assert listed["count"] == 1 and listed["items"][0] == claim


def test_claim_replay_and_conflict(treasurer, paid_up):
    url = f"{BASE}/A-001/claims"
    first = _post(treasurer, url, _claim()).json()
    replay = _post(treasurer, url, _claim())
    assert replay.status_code == 200 and replay.json() == first
    conflict = _post(treasurer, url, _claim(units="3"))
    assert conflict.status_code == 409 and "idempotency_key" in conflict.json()["errors"]
    assert Claim.objects.count() == 1


def test_ineligible_claim_explains_why(treasurer, fund, members):
    response = _post(treasurer, f"{BASE}/A-001/claims", _claim(kind="funeral", consent=False))
    assert response.status_code == 201
    claim = response.json()
    assert claim["eligible"] is False and claim["amount"] == "0.00"
    assert any(not line["ok"] for line in claim["explanation"])


def test_claim_errors(treasurer, paid_up):
    url = f"{BASE}/A-001/claims"
    no_consent = _post(treasurer, url, _claim(consent=False))
    assert no_consent.status_code == 422 and "PDPA s.26" in no_consent.json()["errors"]["consent"][0]
    bad = _post(treasurer, url, _claim(kind="yacht", units="-1")).json()["errors"]
    assert set(bad) == {"kind", "units"}
    assert bad["kind"] == ["ไม่รู้จักประเภทสวัสดิการ yacht (unknown benefit kind yacht)"]
    assert not Claim.objects.exists()


# --- schema --------------------------------------------------------------------------------------------------------

def test_openapi_lists_the_welfare_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths[f"{BASE}/{{code}}/contributions"]) == {"get", "post"}
    assert set(paths[f"{BASE}/{{code}}/claims"]) == {"get", "post"}
    assert "get" in paths[f"{BASE}/{{code}}/members"]
    assert "get" in paths[f"{BASE}/{{code}}/members/{{member_number}}"]
    post = paths[f"{BASE}/{{code}}/contributions"]["post"]
    assert {"201", "200", "409", "422"} <= set(post["responses"])
    assert post["tags"] == ["welfare"]
