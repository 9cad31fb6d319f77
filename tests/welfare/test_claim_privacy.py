"""Claims are personal, often health data (PDPA s.26): only those who may see personal data see them.

Given a paid hospital claim of fund A, when the fund's committee, an auditor, the provincial secretariat and the
tambon's council officer open the claims, then the first two see them and the others get 404 (and no link on the
fund page); and the journal entry of the payment names the member by number, never by name.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from chumchon.welfare import services
from chumchon.welfare.models import BenefitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(funded, members, treasurer_and_chair):
    treasurer, chair = treasurer_and_chair
    claim = services.claim_submit(actor=treasurer, membership=members[1], kind=BenefitKind.objects.get(code="hospital"),
                                  event_date=datetime.date(2022, 8, 2), units=1, consent=True, idempotency_key="p1")
    services.claim_decide(actor=chair, claim=claim, approve=True)
    return services.claim_pay(actor=treasurer, claim=claim, date=datetime.date(2022, 8, 3))


@pytest.mark.parametrize(("who", "status"), [("committee_a", 200), ("auditor", 200), ("province_a", 404),
                                             ("council_a", 404), ("regional_north", 404)])
def test_who_sees_a_claim(world, paid, client, login, who, status):
    login(world["users"][who])
    code = world["fund_a"].code
    assert client.get(reverse("welfare:claim_list", args=[code])).status_code == status
    assert client.get(reverse("welfare:claim_detail", args=[code, paid.pk])).status_code == status
    assert client.get(reverse("welfare:voucher", args=[code, paid.pk])).status_code == status
    fund_page = client.get(reverse("welfare:fund_detail", args=[code])).content.decode()
    assert (f'href="{reverse("welfare:claim_list", args=[code])}"' in fund_page) == (status == 200)


def test_the_books_name_the_member_by_number_only(paid, members):
    memo = paid.entry.memo
    assert members[1].member_number in memo
    assert members[1].person.first_name not in memo and members[1].person.last_name not in memo


@pytest.mark.parametrize("who", ["province_a", "council_a", "regional_north"])
def test_the_api_lists_claims_only_to_those_who_see_them(world, paid, client, login, who):
    login(world["users"][who])
    assert client.get(f"/api/v1/welfare/funds/{world['fund_a'].code}/claims").status_code == 404


def test_the_api_lists_claims_to_the_committee(world, paid, client, login):
    login(world["users"]["committee_a"])
    response = client.get(f"/api/v1/welfare/funds/{world['fund_a'].code}/claims")
    assert response.status_code == 200 and response.json()["count"] == 1


@pytest.mark.parametrize(("who", "sees"), [("committee_a", True), ("auditor", True), ("province_a", False),
                                           ("council_a", False), ("regional_north", False)])
def test_the_member_page_lists_claims_only_to_those_who_see_them(world, paid, members, client, login, who, sees):
    login(world["users"][who])
    page = client.get(reverse("welfare:member_detail", args=[world["fund_a"].code, members[1].member_number]))
    assert page.status_code == 200
    html = page.content.decode()
    assert (reverse("welfare:claim_detail", args=[world["fund_a"].code, paid.pk]) in html) == sees
    assert (reverse("welfare:claim_create", args=[world["fund_a"].code]) in html) == (who == "committee_a")


def test_the_provincial_secretariat_does_not_handle_claims(world, members, client, login):
    """It changes the fund's money in its area, but claims hold health data it may not see: the forms answer 404
    and the services refuse."""
    login(world["users"]["province_a"])
    code = world["fund_a"].code
    assert client.get(reverse("welfare:claim_create", args=[code])).status_code == 404
    assert client.get(reverse("welfare:pension_batch", args=[code])).status_code == 404
    fund_page = client.get(reverse("welfare:fund_detail", args=[code])).content.decode()
    assert reverse("welfare:claim_create", args=[code]) not in fund_page
    assert reverse("welfare:pension_batch", args=[code]) not in fund_page
    assert reverse("welfare:collection_sheet", args=[code]) in fund_page  # it still helps with the money
    response = client.post(f"/api/v1/welfare/funds/{code}/claims", {
        "member_number": members[1].member_number, "kind": "hospital", "event_date": "2022-08-02", "units": "1",
        "consent": True, "idempotency_key": "prov-1"}, content_type="application/json")
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.claim_submit(actor=world["users"]["province_a"], membership=members[1],
                              kind=BenefitKind.objects.get(code="hospital"), event_date=datetime.date(2022, 8, 2),
                              consent=True, idempotency_key="prov-2")
