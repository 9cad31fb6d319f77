"""The public area pages link to the area's dashboard for those whose role covers the whole area, and only them."""

import pytest
from django.urls import reverse

from chumchon.geo.models import Region

pytestmark = pytest.mark.django_db


def _figures_link(client, name, code) -> str | None:
    body = client.get(reverse(name, args=[code])).content.decode()
    if 'id="area-figures"' not in body:
        return None
    return body.split('id="area-figures" href="', 1)[1].split('"', 1)[0]


def test_the_public_gets_no_dashboard_link(world, client):
    assert _figures_link(client, "geo:province", "50") is None


def test_provincial_staff_get_their_province_and_what_lies_in_it(world, client):
    client.force_login(world["users"]["province_a"])
    for name, level, code in [("geo:province", "province", "50"), ("geo:district", "district", "5002"),
                              ("geo:subdistrict", "subdistrict", "500203")]:
        url = _figures_link(client, name, code)
        assert url == reverse("insights:dashboard", args=[level, code])
        assert client.get(url).status_code == 200


def test_no_link_outside_the_role_or_above_it(world, client):
    client.force_login(world["users"]["province_a"])
    assert _figures_link(client, "geo:province", "40") is None  # another province
    north = Region.objects.get(scheme__is_default=True, code="north")
    assert _figures_link(client, "geo:region", north.pk) is None  # the region is wider than the province
    assert 'id="area-figures"' not in client.get(reverse("geo:nation")).content.decode()


def test_national_staff_get_the_country(world, client):
    client.force_login(world["users"]["auditor"])
    body = client.get(reverse("geo:nation")).content.decode()
    assert f'href="{reverse("insights:dashboard", args=["nation", "TH"])}"' in body


def test_a_fund_committee_gets_no_area_link(world, client):
    client.force_login(world["users"]["committee_a"])
    assert _figures_link(client, "geo:subdistrict", "500203") is None


def test_staff_who_cover_the_area_get_its_statements_too(world, client):
    """The area statements (the funds' books added up) had no link anywhere; now beside the dashboard's."""
    client.force_login(world["users"]["province_a"])
    body = client.get(reverse("geo:province", args=["50"])).content.decode()
    url = reverse("ledger_statements:area_index", args=["province", "50"])
    assert f'id="area-statements" href="{url}"' in body
    assert client.get(url).status_code == 200
    assert 'id="area-statements"' not in client.get(reverse("geo:province", args=["40"])).content.decode()


def test_an_area_without_books_has_the_dashboard_but_no_statements_link(world, client):
    """The auditor covers the country: province 50 has fund A's book, so both links; province 10 (Bangkok) has no
    fund yet, so its statements (nothing to add up) are not offered — the link led to a 404."""
    client.force_login(world["users"]["auditor"])
    with_books = client.get(reverse("geo:province", args=["50"])).content.decode()
    assert 'id="area-statements"' in with_books and 'id="area-figures"' in with_books
    without = client.get(reverse("geo:province", args=["10"])).content.decode()
    assert 'id="area-figures"' in without and 'id="area-statements"' not in without
    assert client.get(reverse("ledger_statements:area_index", args=["province", "10"])).status_code == 404
