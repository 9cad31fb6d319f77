"""Dashboards (scoped, drill-down, from summaries only), the annual report page, and public open data with
small-count suppression and no personal data."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from chumchon.insights import opendata
from chumchon.insights.graphics import province_map
from chumchon.welfare import services
from chumchon.welfare.models import Membership

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def paid(two_funds, system_user, django_capture_on_commit_callbacks):
    """Fund A's three members and fund B's three members each pay a year in FY 2565."""
    with django_capture_on_commit_callbacks(execute=True):
        for i, m in enumerate(Membership.objects.all()):
            services.contribution_receive(actor=system_user, membership=m, amount=365, date=D(2022, 1, 3),
                                          idempotency_key=f"v{i}")
    return two_funds


def test_every_province_has_exactly_one_shape():
    from chumchon.geo.models import Province

    shapes = province_map()["provinces"]
    codes = set(Province.objects.values_list("code", flat=True))
    assert len(codes) == 77 and set(shapes) == codes
    assert all(path.count("M") >= 1 and path.endswith("Z") for path in shapes.values())
    hasc = province_map()["hasc"]
    assert len(hasc) == 77 and len(set(hasc.values())) == 77  # one HASC code per DOPA code, no doubles
    names = dict(Province.objects.values_list("code", "name_en"))
    assert set(province_map()["names_en"]) == codes  # the package's own name of every shape matches DOPA's
    for code, name in province_map()["names_en"].items():
        assert name.replace(" ", "").lower()[:5] in names[code].replace(" ", "").lower(), (code, name, names[code])


def test_province_shapes_lie_where_the_provinces_are():
    centres = province_map()["centres"]  # lon, lat of each shape's points
    assert centres["50"][1] > 18 and centres["50"][0] < 99.5  # Chiang Mai: north-west
    assert centres["96"][1] < 7 and centres["96"][0] > 101  # Narathiwat: far south-east
    assert centres["34"][0] > 104.5  # Ubon Ratchathani: east
    assert 13.5 < centres["10"][1] < 14 and 100.3 < centres["10"][0] < 101  # Bangkok
    assert centres["41"][0] > 102 and centres["53"][0] < 101  # Udon Thani (north-east) and Uttaradit (north)


@pytest.mark.parametrize("level,code", [("nation", "TH"), ("province", "50"), ("district", "5002"),
                                        ("subdistrict", "500203"), ("fund", "A-001")])
def test_dashboard_levels_for_national_auditor(paid, world, login, level, code, django_assert_max_num_queries):
    client = login(world["users"]["auditor"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("insights:dashboard", args=[level, code]) + "?fy=2565")
    assert response.status_code == 200
    assert "1,095.00" in response.content.decode() or level in ("nation",)


def test_drill_down_links_and_map(paid, world, login):
    client = login(world["users"]["auditor"])
    body = client.get(reverse("insights:dashboard", args=["nation", "TH"]) + "?fy=2565").content.decode()
    assert body.count('data-code="') == 77  # the map: every province once
    assert reverse("insights:dashboard", args=["province", "50"]) in body  # map links to provinces
    body = client.get(reverse("insights:dashboard", args=["subdistrict", "500203"]) + "?fy=2565").content.decode()
    assert reverse("insights:dashboard", args=["fund", "A-001"]) in body  # league table links to the fund


def test_other_tenant_gets_404(paid, world, login):
    client = login(world["users"]["committee_b"])
    assert client.get(reverse("insights:dashboard", args=["fund", "A-001"])).status_code == 404
    assert client.get(reverse("insights:dashboard", args=["fund", "B-001"])).status_code == 200
    assert client.get(reverse("insights:dashboard", args=["nation", "TH"])).status_code == 404
    client = login(world["users"]["province_other"])  # Khon Kaen's secretariat
    assert client.get(reverse("insights:dashboard", args=["province", "50"])).status_code == 404
    assert client.get(reverse("insights:dashboard", args=["province", "40"])).status_code == 200


def test_the_map_shows_figures_only_of_provinces_the_reader_covers(paid, world, login,
                                                                  django_assert_max_num_queries):
    """Chiang Mai (50) and Khon Kaen (40) have 3 members each at the end of FY 2565. Khon Kaen's secretariat may
    not open Chiang Mai's dashboard, so its own map reads "ขอนแก่น: 3" and "เชียงใหม่" without a number; the
    national auditor reads both; the subdistrict's council officer, whose area lies in Chiang Mai but who does not
    cover the province, reads no number on the map of its subdistrict, nor in its subdistrict's annual report."""
    dashboard = lambda level, code: reverse("insights:dashboard", args=[level, code]) + "?fy=2565"  # noqa: E731
    client = login(world["users"]["province_other"])
    with django_assert_max_num_queries(20):
        body = client.get(dashboard("province", "40")).content.decode()
    assert "<title>ขอนแก่น: 3</title>" in body
    assert "<title>เชียงใหม่</title>" in body and "เชียงใหม่: " not in body
    assert body.count('data-code="') == 77  # every province still drawn
    body = login(world["users"]["auditor"]).get(dashboard("nation", "TH")).content.decode()
    assert "<title>ขอนแก่น: 3</title>" in body and "<title>เชียงใหม่: 3</title>" in body
    assert "<title>กรุงเทพมหานคร: 0</title>" in body  # a province with nothing recorded reads 0 to those who cover it
    client = login(world["users"]["council_a"])
    body = client.get(dashboard("subdistrict", "500203")).content.decode()
    assert "<title>เชียงใหม่</title>" in body and "เชียงใหม่: " not in body
    report = client.get(reverse("insights:annual_report", args=[2565, "subdistrict", "500203"]) + "?format=json")
    assert report.json()["map"]["by_province"] == {}
    report = login(world["users"]["province_a"]).get(
        reverse("insights:annual_report", args=[2565, "subdistrict", "500203"]) + "?format=json")
    assert report.json()["map"]["by_province"] == {"50": 3}


def test_breadcrumbs_link_only_the_areas_the_user_may_open(paid, world, login):
    """A fund's treasurer sees where the fund is (subdistrict … nation) as names, not links that would answer 404;
    Chiang Mai's secretariat gets links from its province down, the names above it."""
    dashboard = lambda level, code: reverse("insights:dashboard", args=[level, code])  # noqa: E731
    body = login(world["users"]["committee_a"]).get(dashboard("fund", "A-001") + "?fy=2565").content.decode()
    crumbs = body.split('class="breadcrumbs"')[1].split("</ol>")[0]
    assert "href=" not in crumbs and crumbs.count("<li>") == 6  # nation, region, province, district, subdistrict
    assert crumbs.count('aria-current="page"') == 1
    body = login(world["users"]["province_a"]).get(dashboard("fund", "A-001") + "?fy=2565").content.decode()
    crumbs = body.split('class="breadcrumbs"')[1].split("</ol>")[0]
    assert f'href="{dashboard("province", "50")}"' in crumbs
    assert f'href="{dashboard("subdistrict", "500203")}"' in crumbs
    assert f'href="{dashboard("nation", "TH")}"' not in crumbs
    for link in crumbs.split('href="')[1:]:
        assert login(world["users"]["province_a"]).get(link.split('"')[0]).status_code == 200
    # The subdistrict's council officer: its subdistrict's page shows the province on the map, not as a link.
    body = login(world["users"]["council_a"]).get(dashboard("subdistrict", "500203") + "?fy=2565").content.decode()
    assert 'data-code="50"' in body and f'href="{dashboard("province", "50")}"' not in body


def test_dashboard_reads_summaries_not_members(paid, world, login, django_assert_max_num_queries, make_person,
                                               system_user):
    """Query count does not grow with members."""
    client = login(world["users"]["auditor"])
    url = reverse("insights:dashboard", args=["nation", "TH"]) + "?fy=2565"
    client.get(url)
    for i in range(30):
        make_person("500203", fund=world["fund_a"], first_name=f"เพิ่ม{i}")
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_annual_report_page_json_and_pdf(paid, world, login):
    client = login(world["users"]["auditor"])
    url = reverse("insights:annual_report", args=[2565, "nation", "TH"])
    assert client.get(url).status_code == 200
    data = client.get(url + "?format=json").json()
    assert data["figures"]["welfare.contributions"]["value"] == "2190.00"
    assert data["figures"]["welfare.members_per_fund"]["denominator"] == "welfare.funds"
    pdf = client.get(url + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_open_data_is_public_suppressed_and_has_no_personal_data(paid, world, client):
    catalogue = client.get(reverse("open_data:catalogue_json")).json()
    assert {d["identifier"] for d in catalogue["dataset"]} == {
        "chumchon-welfare-funds", "chumchon-welfare-subdistricts", "chumchon-welfare-provinces"}
    for d in catalogue["dataset"]:
        assert d["title"] and d["description"] and d["license"] and d["modified"] and len(d["distribution"]) == 2
    assert client.get(reverse("open_data:catalogue")).status_code == 200
    people = [p for p in world["a_people"] + world["b_people"]]
    ids = [p.personal_data.national_id for p in people]
    for dataset in ("funds", "subdistricts", "provinces"):
        text = client.get(reverse("open_data:dataset", args=[dataset, "csv"])).content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and set(rows[0]) == set(opendata.COLUMNS)
        data = client.get(reverse("open_data:dataset", args=[dataset, "json"])).json()
        blob = text + json.dumps(data, ensure_ascii=False)
        for p, national_id in zip(people, ids, strict=True):
            assert national_id not in blob and p.first_name not in blob
        fund_rows = [r for r in rows if r["fiscal_year"] == "2565"]
        # 3 members each: members, payments and their money are suppressed — and the fund money with them, as
        # the year's money less the last year's would give the 3 members' contributions back
        assert all(r["members_active"] == "" and r["contribution_payments"] == "" and r["contributions"] == ""
                   for r in fund_rows)
        assert all(r["fund_money"] == "" for r in fund_rows if r["funds"] != "0")
    national = client.get(reverse("open_data:dataset", args=["provinces", "json"]) + "?fiscal_year=2565").json()
    assert {r["code"] for r in national["rows"]} == {"50", "40"}


def test_suppression_rule():
    assert opendata.suppress({"members_active": 4, "recipients": 3, "benefits_paid": Decimal(100),
                              "contribution_payments": 5, "contributions": Decimal(10)}) == {
        "members_active": None, "recipients": None, "benefits_paid": None, "contribution_payments": 5,
        "contributions": Decimal(10)}
    assert opendata.suppress({"members_active": 0})["members_active"] == 0


def test_bad_fiscal_year_is_named(client):
    response = client.get(reverse("open_data:dataset", args=["funds", "json"]) + "?fiscal_year=2022")
    assert response.status_code == 400 and "fiscal_year" in response.json()["error"]


def test_region_dashboard_for_its_staff_only(paid, world, login):
    from chumchon.geo.models import Region

    north = Region.objects.get(scheme__is_default=True, code="north")
    url = reverse("insights:dashboard", args=["region", north.pk]) + "?fy=2565"
    body = login(world["users"]["regional_north"]).get(url).content.decode()
    assert reverse("insights:dashboard", args=["province", "50"]) in body  # league table of its provinces
    assert login(world["users"]["province_other"]).get(url).status_code == 404


def test_open_data_and_report_queries_do_not_grow_with_funds(paid, world, client, login, system_user,
                                                             django_assert_max_num_queries,
                                                             django_capture_on_commit_callbacks):
    from chumchon.geo.models import Subdistrict

    with django_capture_on_commit_callbacks(execute=True):
        for i, code in enumerate(["500101", "500102", "400102"]):
            services.fund_create(actor=system_user, code=f"X-{i}", name_th=f"กองทุน X{i}",
                                 subdistrict=Subdistrict.objects.get(code=code))
    for dataset in ("funds", "subdistricts", "provinces"):
        with django_assert_max_num_queries(4):
            assert client.get(reverse("open_data:dataset", args=[dataset, "json"])).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("open_data:catalogue_json")).status_code == 200
    auditor = login(world["users"]["auditor"])
    with django_assert_max_num_queries(40):  # about 10 for the welfare section, 20 for the councils' counts
        assert auditor.get(reverse("insights:annual_report", args=[2565, "nation", "TH"])).status_code == 200


def test_the_dashboard_speaks_the_readers_language_and_names_a_past_years_members(paid, world, login):
    """In English the area, its breadcrumbs and its league table are named in English; a year that has ended
    counts its members at the year's end, not as "current"; a year not begun is not offered."""
    from django.conf import settings
    from django.utils import timezone

    from chumchon.core.thai.fiscal import fiscal_year_of
    from chumchon.insights.models import AreaSummary

    running = fiscal_year_of(timezone.localdate()).be_year
    AreaSummary.objects.create(level="province", code="50", fiscal_year=running + 2, month=0, funds=1)
    client = login(world["users"]["province_a"])
    url = reverse("insights:dashboard", args=["province", "50"]) + "?fy=2565"
    body = client.get(url).content.decode()
    assert "<h1>จังหวัดเชียงใหม่</h1>" in body and "สมาชิก ณ สิ้นปี" in body
    assert f'<option value="{running + 2}"' not in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(url).content.decode()
    heading = body.split("<h1>")[1].split("</h1>")[0]
    crumbs = body.split('class="breadcrumbs"')[1].split("</ol>")[0]
    assert heading == "Chiang Mai province" and "Whole country" in crumbs and "ทั่วประเทศ" not in crumbs
    assert "members at the year" in body and "Chom Thong" in body  # the districts below, in English


def test_the_share_of_members_matched_counts_the_years_members(paid, world, system_user, login,
                                                                django_capture_on_commit_callbacks):
    """Worked example, fund A in FY 2565: a government grant matches its 3 members in January, one of them
    resigns in March. 3 matched of 2 at the year's end would read 150 %; of the year's 3 members, 100 %."""
    fund = world["fund_a"]
    with django_capture_on_commit_callbacks(execute=True):
        services.grant_receive(actor=system_user, fund=fund, source="government", amount=3000, date=D(2022, 1, 10),
                               idempotency_key="g1", members_covered=3)
        member = Membership.objects.filter(fund=fund).order_by("member_number").first()
        services.membership_end(actor=system_user, membership=member, status="resigned", on=D(2022, 3, 1))
    url = reverse("insights:annual_report", args=[2565, "fund", "A-001"])
    figures = login(world["users"]["auditor"]).get(url + "?format=json").json()["figures"]
    assert figures["welfare.matched_members"]["value"] == 3
    assert figures["welfare.matched_members_share"]["value"] == "100.00"
