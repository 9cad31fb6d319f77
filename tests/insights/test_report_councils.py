"""The annual report's councils section: a worked example on the two-province world, from the CLI (the server
operator reads everything) and from the page (the reader's scope), for the nation, a region and a province."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from chumchon.assessments import services as assessment_services
from chumchon.councils import services
from chumchon.geo import services as geo_services
from chumchon.geo.models import Region, Subdistrict

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def councils(world):
    """Council A (Chiang Mai) with one member serving and one whose term ended, one live registration, graded A
    on the quality scorecard of FY 2569; council B (Khon Kaen) with nothing; one local administration in each
    subdistrict."""
    admin = world["users"]["admin"]
    a = services.council_create(actor=admin, code="CC-500203", name_th="สภาองค์กรชุมชนตำบล A",
                                subdistrict=world["sub_a"], founded_on=D(2010, 3, 1))
    services.council_create(actor=admin, code="CC-400101", name_th="สภาองค์กรชุมชนตำบล B",
                            subdistrict=world["sub_b"], founded_on=D(2011, 5, 1))
    for sub, name in ((world["sub_a"], "อบต. A"), (world["sub_b"], "อบต. B")):
        geo_services.local_administration_create(actor=admin, subdistrict=sub, name_th=name, kind="sao")
    services.organisation_register(actor=admin, council=a, name_th="ออมทรัพย์", kind="savings", number="1",
                                   registered_on=D(2020, 1, 1))
    services.member_seat(actor=admin, council=a, name="ก", term_start=D(2022, 4, 1), term_end=D(2027, 3, 31))
    services.member_seat(actor=admin, council=a, name="ข", term_start=D(2018, 4, 1), term_end=D(2022, 3, 31))
    quality = assessment_services.assessment_start(actor=admin, instrument_code="council-quality", fiscal_year=2569,
                                                   organisation=a.organisation)
    answers = {i.code: assessment_services.AnswerInput(
        value={"yes_no": 1, "scale": i.scale_max, "number": i.number_target}[i.answer_type], evidence="ภาพ")
        for i in quality.instrument.items.all()}
    assessment_services.assessment_answer(actor=admin, assessment=quality, answers=answers, submit=True)
    return a


def _figures(*args) -> dict:
    out = io.StringIO()
    call_command("annual-report", "--fiscal-year", "2569", "--format", "json", *args, stdout=out)
    return {k: v["value"] for k, v in json.loads(out.getvalue())["figures"].items() if k.startswith("councils.")}


def test_councils_section_for_the_nation_a_region_and_a_province(world, councils):
    nation = _figures()
    assert (nation["councils.councils"], nation["councils.local_administrations"]) == (2, 2)
    assert nation["councils.councils_share"] == "100.00"
    assert (nation["councils.members"], nation["councils.members_per_council"]) == (1, "0.50")
    assert nation["councils.organisations"] == 1
    assert (nation["councils.assessed"], nation["councils.assessed_share"], nation["councils.grade_A"]) == (
        1, "50.00", 1)
    north = Region.objects.get(scheme__is_default=True, code="north")
    region = _figures("--area", f"region:{north.pk}")
    assert (region["councils.councils"], region["councils.members"], region["councils.grade_A"]) == (1, 1, 1)
    khon_kaen = _figures("--area", "40")
    assert (khon_kaen["councils.councils"], khon_kaen["councils.assessed"]) == (1, 0)
    assert _figures("--area", "A-001") == {}  # a fund has no councils section


def test_an_organisation_registered_in_two_provinces_of_a_region_counts_once(world, councils):
    """The savings group registered with council A (Chiang Mai) on 1 Jan 2020 registers with a council in Lamphun
    too on 1 Feb 2020 (FY 2563), across the provincial border. Chiang Mai and Lamphun count it once each, but the
    north holds both: it has one organisation, and one new in FY 2563 — as the country has."""
    admin = world["users"]["admin"]
    lamphun = services.council_create(actor=admin, code="CC-510101", name_th="สภาองค์กรชุมชนตำบลลำพูน",
                                      subdistrict=Subdistrict.objects.get(code="510101"), founded_on=D(2010, 3, 1))
    group = councils.registrations.get().organization
    services.registration_create(actor=admin, council=lamphun, organization=group, number="1",
                                 registered_on=D(2020, 2, 1))
    north = Region.objects.get(scheme__is_default=True, code="north")
    assert set(north.provinces.values_list("code", flat=True)) >= {"50", "51"}

    def organisations(*args, year="2569"):
        out = io.StringIO()
        call_command("annual-report", "--fiscal-year", year, "--format", "json", *args, stdout=out)
        figures = json.loads(out.getvalue())["figures"]
        return figures["councils.organisations"]["value"], figures["councils.organisations_new"]["value"]

    assert organisations("--area", "50") == organisations("--area", "51") == (1, 0)
    assert organisations("--area", "50", year="2563") == organisations("--area", "51", year="2563") == (1, 1)
    for area in ("TH", f"region:{north.pk}"):
        assert organisations("--area", area) == (1, 0)
        assert organisations("--area", area, year="2563") == (1, 1)


def test_the_page_shows_the_section_within_the_readers_scope(world, councils, login):
    client = login(world["users"]["province_a"])  # Chiang Mai's secretariat
    data = client.get(reverse("insights:annual_report", args=[2569, "province", "50"]) + "?format=json").json()
    assert data["figures"]["councils.councils"]["value"] == 1
    assert data["figures"]["councils.councils_share"]["denominator"] == "councils.local_administrations"
    assert [s["key"] for s in data["sections"]] == ["welfare", "councils"]
    page = client.get(reverse("insights:annual_report", args=[2569, "province", "50"])).content.decode()
    assert 'id="councils.assessed_share"' in page


def test_the_dashboard_shows_the_councils_of_its_area(councils, world, login, django_assert_max_num_queries):
    """The province's dashboard fetches its councils block after the page (the dashboard itself reads summaries
    only): it counts the province's councils (A, founded 2010), the member serving on the year's last day, the live
    registration, and links to the councils' own area page. A fund's dashboard has no councils block."""
    def block(level, code):
        return reverse("insights:dashboard_councils", args=[level, code]) + "?fy=2569"

    client = login(world["users"]["auditor"])
    page = client.get(reverse("insights:dashboard", args=["province", "50"]) + "?fy=2569").content.decode()
    assert f'hx-get="{block("province", "50").replace("&", "&amp;")}"' in page
    with django_assert_max_num_queries(30):
        part = client.get(block("province", "50"))
    figures = part.context["councils"]
    assert (figures["councils"], figures["members"], figures["organisations"]) == (1, 1, 1)
    assert figures["link"] == reverse("councils:area_summary") + "?province=50&fy=2569"
    assert figures["link"].replace("&", "&amp;") in part.content.decode()
    assert client.get(block("nation", "TH")).context["councils"]["councils"] == 2
    north = Region.objects.get(scheme__is_default=True, code="north")
    region = client.get(block("region", north.pk))
    assert region.context["councils"]["councils"] == 1 and region.context["councils"]["link"] is None
    assert "area/" not in region.content.decode()  # the councils' area page has no region: no link to another area
    fund_page = client.get(reverse("insights:dashboard", args=["fund", "A-001"]) + "?fy=2569").content.decode()
    assert "dashboard_councils" not in fund_page and "/councils/?fy" not in fund_page
    assert client.get(block("fund", "A-001")).context["councils"] is None
    # Khon Kaen's secretariat sees its own council only, and not Chiang Mai's block
    client = login(world["users"]["province_other"])
    assert client.get(block("province", "40")).context["councils"]["councils"] == 1
    assert client.get(block("province", "50")).status_code == 404
