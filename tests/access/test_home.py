"""Each user's home page: where it takes them, and what it shows those it does not send on."""

import pytest
from django.urls import reverse

from chumchon.access.roles import Role, ScopeKind

pytestmark = pytest.mark.django_db


def test_the_public_sees_the_public_home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "access/home_public.html"


def test_a_treasurer_of_one_fund_goes_to_the_fund(world, client):
    client.force_login(world["users"]["committee_a"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("welfare:fund_detail", args=["A-001"])


def test_a_member_goes_to_their_own_record(world, client):
    client.force_login(world["users"]["member"])
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("welfare:my_record")
    record = client.get(response["Location"])
    assert record.status_code == 200 and world["fund_a"].organisation.name_th in record.content.decode()


def test_a_member_who_also_sits_on_a_committee_gets_both_sections(world, client, make_user):
    person = world["a_people"][1]
    user = make_user("both", Role.MEMBER, ScopeKind.ORGANISATION, world["fund_a"].organisation, person)
    from chumchon.access import services as access_services

    access_services.role_assign(actor=world["users"]["admin"], user=user, role=Role.FUND_SECRETARY,
                                scope_kind=ScopeKind.ORGANISATION, scope=world["fund_a"].organisation)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    roles = [s["role"] for s in response.context["sections"]]
    assert sorted(roles) == sorted([Role.MEMBER, Role.FUND_SECRETARY])
    assert reverse("welfare:my_record") in response.content.decode()


def test_provincial_staff_see_the_figures_of_their_province(world, client):
    client.force_login(world["users"]["province_a"])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["funds"] == 1  # fund A in Chiang Mai; fund B (Khon Kaen) is another province's
    assert figures["active_members"] == len(world["a_people"])


def test_an_area_role_leads_to_its_dashboard_and_it_opens(world, client):
    client.force_login(world["users"]["province_a"])
    response = client.get(reverse("home"))
    link = reverse("insights:dashboard", args=["province", "50"])
    assert [s["area"] for s in response.context["sections"]] == [("province", "50")]
    assert f'href="{link}"' in response.content.decode()
    assert client.get(link).status_code == 200


def test_fund_roles_lead_to_no_area_dashboard(world, client, make_user):
    user = make_user("both2", Role.MEMBER, ScopeKind.ORGANISATION, world["fund_a"].organisation,
                     world["a_people"][2])
    from chumchon.access import services as access_services

    access_services.role_assign(actor=world["users"]["admin"], user=user, role=Role.FUND_CHAIR,
                                scope_kind=ScopeKind.ORGANISATION, scope=world["fund_a"].organisation)
    client.force_login(user)
    sections = client.get(reverse("home")).context["sections"]
    assert len(sections) == 2 and all(s["area"] is None for s in sections)


def test_a_council_officer_is_led_to_their_council(world, councils, client):
    client.force_login(world["users"]["council_a"])
    response = client.get(reverse("home"))
    (section,) = response.context["sections"]
    assert [c.organisation.code for c in section["councils"]] == ["CC-500203"]  # not CC-400101 in Khon Kaen
    link = reverse("councils:council_detail", args=["CC-500203"])
    assert f'href="{link}"' in response.content.decode()
    assert client.get(link).status_code == 200


def test_the_public_home_shows_the_countrys_latest_year(client):
    from decimal import Decimal

    from django.utils import timezone

    from chumchon.core.thai.fiscal import fiscal_year_of
    from chumchon.insights.models import AreaSummary

    assert 'id="national-figures"' not in client.get(reverse("home")).content.decode()  # nothing built yet
    year = fiscal_year_of(timezone.localdate()).be_year
    AreaSummary.objects.create(level="nation", code="TH", fiscal_year=year - 1, month=0, funds=5,
                               members_active=1234, money_members=Decimal("1000.50"), money_government=500,
                               contributions=Decimal("7300.00"), recipients=17, benefits_paid=Decimal("2500.00"))
    AreaSummary.objects.create(level="nation", code="TH", fiscal_year=year - 1, month=3, funds=99)  # a month
    AreaSummary.objects.create(level="nation", code="TH", fiscal_year=year + 1, month=0, funds=77)  # not yet
    body = client.get(reverse("home")).content.decode()
    figures = body.split('id="national-figures"', 1)[1].split("</section>", 1)[0]
    assert str(year - 1) in figures
    for shown in ("1,234", "1,500.50", "7,300.00", "17", "2,500.00"):
        assert f"<strong>{shown}</strong>" in figures, shown
    assert "<strong>5</strong>" in figures
    assert "<strong>77</strong>" not in figures and "<strong>99</strong>" not in figures  # next year's, a month's
    assert "(so far)" not in body and "ถึงปัจจุบัน" not in body  # a year that has ended
    AreaSummary.objects.create(level="nation", code="TH", fiscal_year=year, month=0, funds=6)
    body = client.get(reverse("home")).content.decode()
    assert "ถึงปัจจุบัน" in body.split('id="national-figures"', 1)[1] and "<strong>6</strong>" in body


def test_the_public_home_hides_what_open_data_hides(client):
    """Early in a year the whole country may be two payments: their count and money are not shown, as the open
    data leaves them out (fewer than five people) — nor the smallest other money that came in (the local
    administration's 500), or the fund money less the rest would give the 1,250 back; what counts five or more
    still is."""
    from decimal import Decimal

    from django.utils import timezone

    from chumchon.core.thai.fiscal import fiscal_year_of
    from chumchon.insights.models import AreaSummary

    year = fiscal_year_of(timezone.localdate()).be_year
    AreaSummary.objects.create(level="nation", code="TH", fiscal_year=year, month=0, funds=3, members_active=496,
                               members_new=496, contribution_payments=2, contributions=Decimal("1250.00"),
                               grant_government=Decimal("20000.00"), grant_local=Decimal("500.00"), recipients=7,
                               benefits_paid=Decimal("3500.00"), money_members=Decimal("18250.00"))
    body = client.get(reverse("home")).content.decode()
    figures = body.split('id="national-figures"', 1)[1].split("</section>", 1)[0]
    assert "1,250.00" not in figures and "<strong>—</strong>" in figures
    assert "<strong>496</strong>" in figures and "<strong>3,500.00</strong>" in figures
    assert "<strong>18,250.00</strong>" in figures  # two cells of its year's sum are hidden: it tells neither
    assert 'id="suppressed"' in figures
