"""Reads of the geography (public reference data) and the area breadcrumbs every page shows."""

from django.urls import reverse
from django.utils.translation import gettext as _

from chumchon.geo.models import Region, RegionScheme


def default_scheme() -> RegionScheme | None:
    return RegionScheme.objects.filter(is_default=True).first()


def region_of(province) -> Region | None:
    """The province's region in the default scheme."""
    return Region.objects.filter(scheme__is_default=True, provinces=province).first()


def area_breadcrumbs(*, province=None, district=None, subdistrict=None, region=None, current: str = "") -> list[dict]:
    """ประเทศ › ภาค › จังหวัด › อำเภอ › ตำบล, each linking to its area page; ``current`` (if given) is the
    page itself, shown last without a link."""
    if subdistrict is not None:
        district = subdistrict.district
    if district is not None:
        province = district.province
    if province is not None and region is None:
        region = region_of(province)
    crumbs = [{"label": _("Thailand"), "url": reverse("geo:nation")}]
    if region is not None:
        crumbs.append({"label": region.name, "url": reverse("geo:region", args=[region.pk])})
    if province is not None:
        crumbs.append({"label": province.name, "url": reverse("geo:province", args=[province.code])})
    if district is not None:
        crumbs.append({"label": district.name, "url": reverse("geo:district", args=[district.code])})
    if subdistrict is not None:
        crumbs.append({"label": subdistrict.name, "url": reverse("geo:subdistrict", args=[subdistrict.code])})
    if current:
        crumbs.append({"label": current, "url": ""})
    else:
        crumbs[-1] = {"label": crumbs[-1]["label"], "url": ""}
    return crumbs
