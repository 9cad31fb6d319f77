"""The collection sheet page: the live total, a refused amount marked on its row, and on to the next village."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from chumchon.welfare.models import Contribution

pytestmark = pytest.mark.django_db
DAY = "15/01/2565"  # 15 Jan 2022: the members joined on 1 Jan 2020 and owe since


@pytest.fixture
def villages(fund, make_person):
    """Two members in Moo 1, one in Moo 2."""
    return {v: [make_person(fund=fund, village_number=v, first_name=f"หมู่{v}-{i}").memberships.get()
                for i in range(n)] for v, n in ((1, 2), (2, 1))}


def test_the_total_to_post_is_added_up_as_the_post_reads_amounts(world, fund, client, login):
    login(world["users"]["committee_a"])
    url = reverse("welfare:collection_sheet_total", args=[fund.code])
    response = client.post(url, {"pay-1": "365", "pay-2": "๗๓๐ บาท", "pay-3": "", "pay-4": "1,095.50",
                                 "pay-5": "abc", "village": "1"})
    assert (response.context["total"], response.context["paying"], response.context["unreadable"]) == (
        Decimal("2190.50"), 3, 1)
    assert "2,190.50" in response.content.decode()


def _post_sheet(client, fund, village: int, key: str, amounts: dict):
    """The collection sheet of ``village`` on :data:`DAY` posted with ``amounts`` (membership → text typed)."""
    return client.post(reverse("welfare:collection_sheet", args=[fund.code]), {
        "village": str(village), "date": DAY, "idempotency_key": key,
        **{f"pay-{m.pk}": typed for m, typed in amounts.items()}})


def test_a_refused_amount_is_marked_on_its_row_and_nothing_is_posted(world, fund, villages, client, login):
    login(world["users"]["committee_a"])
    first, second = villages[1]
    response = _post_sheet(client, fund, 1, "k1", {first: "abc", second: "365"})
    rows = {r["m"].pk: r for r in response.context["rows"]}
    assert rows[first.pk]["error"] and not rows[second.pk]["error"]
    body = response.content.decode()
    assert f'id="pay-{first.pk}" name="pay-{first.pk}" value="abc"' in body
    assert f'aria-invalid="true" aria-describedby="pay-{first.pk}-error"' in body
    assert not Contribution.objects.filter(membership__in=[first, second]).exists()
    # The service's refusal (not whole days at one baht a day) marks its member's row the same way.
    response = _post_sheet(client, fund, 1, "k1b", {first: "30.50"})
    rows = {r["m"].pk: r for r in response.context["rows"]}
    assert "30.50" in rows[first.pk]["error"] and not rows[second.pk]["error"]


def test_a_posted_sheet_names_its_receipts_and_goes_on_to_the_next_village(world, fund, villages, client, login):
    login(world["users"]["committee_a"])
    first, second = villages[1]
    url = reverse("welfare:collection_sheet", args=[fund.code])
    response = _post_sheet(client, fund, 1, "k2", {first: "365", second: "30"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?village=2&date={DAY}"
    receipts = sorted(Contribution.objects.filter(membership__in=[first, second]).values_list("receipt_number",
                                                                                              flat=True))
    message = str(list(get_messages(response.wsgi_request))[0])
    assert "395.00" in message and receipts[0] in message and receipts[-1] in message
    (last,) = villages[2]
    response = _post_sheet(client, fund, 2, "k3", {last: "30"})
    assert response["Location"] == reverse("welfare:fund_detail", args=[fund.code])  # the day's last village


def test_the_total_points_out_by_member_what_the_post_would_refuse_and_who_pays_over_a_year_ahead(
        world, fund, villages, client, login):
    login(world["users"]["committee_a"])
    first, second = villages[1]
    response = client.post(reverse("welfare:collection_sheet_total", args=[fund.code]), {
        "village": "1", "date": DAY, f"pay-{first.pk}": "1,500", f"pay-{second.pk}": "30.50"})
    notes = response.context["notes"]
    assert len(notes) == 2, notes
    ahead, refused = sorted(notes, key=lambda n: n.startswith(second.member_number))
    # Paid through the day before joining (1 Jan 2020), 1,500 days on: to 8 Feb 2024, two years past the sheet.
    assert ahead.startswith(first.member_number) and "8 ก.พ. 2567" in ahead
    assert refused.startswith(second.member_number) and "30.50" in refused
    response = client.post(reverse("welfare:collection_sheet_total", args=[fund.code]), {
        "village": "1", "date": DAY, f"pay-{first.pk}": "365"})
    assert response.context["notes"] == []  # a year's contributions owed: nothing to point out
