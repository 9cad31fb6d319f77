"""The national geography: complete, idempotent, grouped into regions, browsable."""

import json

import pytest
from django.urls import reverse

from chumchon.geo import services
from chumchon.geo.models import District, LocalAdministration, Province, Region, RegionScheme, Subdistrict

pytestmark = pytest.mark.django_db


def test_counts_match_dopa():
    assert (Province.objects.count(), District.objects.count(), Subdistrict.objects.count()) == (77, 928, 7436)


def test_codes_nest():
    s = Subdistrict.objects.select_related("district").get(code="100101")
    assert (s.district_id, s.province_id, s.district.province_id) == ("1001", "10", "10")
    assert s.name_th == "พระบรมมหาราชวัง" and s.postal_codes == "10200"
    assert not Subdistrict.objects.exclude(district_id=models_prefix("code")).exists()


def models_prefix(field):
    from django.db.models import F
    from django.db.models.functions import Substr

    return Substr(F("code"), 1, 4)


def test_loading_again_changes_nothing():
    result = services.geography_load()
    assert all(r.created == 0 and r.updated == 0 for r in result.values())


def test_loading_repairs_a_changed_name():
    Province.objects.filter(code="50").update(name_th="ผิด")
    result = services.geography_load()
    assert result["provinces"].updated == 1
    assert Province.objects.get(code="50").name_th == "เชียงใหม่"


def test_default_region_scheme_covers_every_province_once():
    scheme = RegionScheme.objects.get(is_default=True)
    codes = [p for r in scheme.regions.all() for p in r.provinces.values_list("code", flat=True)]
    assert len(codes) == len(set(codes)) == 77
    assert Region.objects.get(scheme=scheme, code="north").provinces.filter(code="50").exists()


def test_another_region_scheme_can_be_loaded_beside_it(tmp_path):
    spec = {"code": "four", "name_th": "4 ภาค", "name_en": "Four regions", "regions": [
        {"code": "all", "name_th": "ทั้งหมด", "name_en": "All",
         "provinces": list(Province.objects.values_list("code", flat=True))}]}
    path = tmp_path / "four.json"
    path.write_text(json.dumps(spec))
    scheme = services.regions_load(path=path)
    assert not scheme.is_default and RegionScheme.objects.get(is_default=True).code == "nso7"


def test_region_scheme_with_a_gap_is_refused(tmp_path):
    spec = {"code": "gap", "name_th": "x", "name_en": "x",
            "regions": [{"code": "a", "name_th": "a", "name_en": "a", "provinces": ["10"]}]}
    path = tmp_path / "gap.json"
    path.write_text(json.dumps(spec))
    with pytest.raises(ValueError, match="missing"):
        services.regions_load(path=path)
    assert not RegionScheme.objects.filter(code="gap").exists()


def test_breadcrumbs_go_from_the_country_down(client):
    body = client.get(reverse("geo:subdistrict", args=["500203"])).content.decode()
    for label in ("ประเทศไทย", "ภาคเหนือ", "เชียงใหม่", "บ้านหลวง"):
        assert label in body


def test_a_scheme_loaded_beside_the_default_leaves_the_region_figures(world, tmp_path):
    """Funds A (Chiang Mai) and B (Khon Kaen), 3 members each, add into the north and the northeast; a scheme
    loaded beside the default (not made the default) moves no figure, and loading the default again neither."""
    from chumchon.insights import services as insights
    from chumchon.insights.models import AreaSummary, Level

    for fund in (world["fund_a"], world["fund_b"]):
        insights.summaries_refresh_fund(fund=fund)
    before = set(AreaSummary.objects.filter(level=Level.REGION).values_list("code", "fiscal_year", "members_active",
                                                                              "updated"))
    spec = {"code": "four", "name_th": "4 ภาค", "name_en": "Four regions", "regions": [
        {"code": "all", "name_th": "ทั้งหมด", "name_en": "All",
         "provinces": list(Province.objects.values_list("code", flat=True))}]}
    path = tmp_path / "four.json"
    path.write_text(json.dumps(spec))
    services.regions_load(path=path)
    services.regions_load()
    after = set(AreaSummary.objects.filter(level=Level.REGION).values_list("code", "fiscal_year", "members_active",
                                                                             "updated"))
    north = Region.objects.get(scheme__is_default=True, code="north")
    assert after == before and max(m for c, _, m, _ in after if c == str(north.pk)) == 3


def test_local_administration_added_by_province_staff(world, client, login):
    login(world["users"]["province_a"])
    response = client.post(reverse("geo:local_administration_create", args=["500203"]),
                           {"name_th": "องค์การบริหารส่วนตำบลบ้านหลวง", "kind": "sao", "dla_code": ""})
    assert response.status_code == 302
    la = LocalAdministration.objects.get()
    assert la.subdistrict_id == "500203" and list(la.covers.values_list("code", flat=True)) == ["500203"]


def test_unknown_page_code_is_404(client):
    assert client.get(reverse("geo:subdistrict", args=["999999"])).status_code == 404
