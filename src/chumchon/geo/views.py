"""Area pages: the country, a region, a province, a district, a subdistrict (public reference data)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location, covers_area, restrict
from chumchon.core.forms import apply_errors
from chumchon.councils.models import Council
from chumchon.geo import services
from chumchon.geo.forms import LocalAdministrationForm
from chumchon.geo.models import District, Province, Region, Subdistrict
from chumchon.geo.selectors import area_breadcrumbs, default_scheme
from chumchon.insights.models import NATION_CODE, Level
from chumchon.ledger.selectors import area_books
from chumchon.welfare.models import Fund


def _area_links(request, level: str, code: str) -> dict:
    """The area's dashboard (``insights``) when one of the user's roles covers the whole area, and its funds'
    statements (``ledger``) when it also has books the user may see (an area without funds has none to add
    up); else no links."""
    if request.user.is_authenticated and covers_area(request.user, level, code):
        books = area_books(request.user, level, code)
        return {"figures_url": reverse("insights:dashboard", args=[level, code]),
                "statements_url": reverse("ledger_statements:area_index", args=[level, code])
                if books is not None and books.exists() else ""}
    return {"figures_url": "", "statements_url": ""}


def nation(request):
    scheme = default_scheme()
    regions = scheme.regions.prefetch_related("provinces") if scheme else []
    return render(request, "geo/nation.html", {
        "scheme": scheme, "regions": regions, "breadcrumbs": area_breadcrumbs(),
        "province_count": Province.objects.count(), "district_count": District.objects.count(),
        "subdistrict_count": Subdistrict.objects.count(),
        **_area_links(request, Level.NATION, NATION_CODE),
    })


def region(request, pk: int):
    obj = get_object_or_404(Region.objects.select_related("scheme"), pk=pk)
    return render(request, "geo/region.html", {
        "region": obj, "provinces": obj.provinces.all(),
        "breadcrumbs": area_breadcrumbs(region=obj), **_area_links(request, Level.REGION, str(obj.pk)),
    })


def province(request, code: str):
    obj = get_object_or_404(Province, code=code)
    return render(request, "geo/province.html", {
        "province": obj, "districts": obj.districts.all(), "breadcrumbs": area_breadcrumbs(province=obj),
        **_area_links(request, Level.PROVINCE, obj.code),
    })


def district(request, code: str):
    obj = get_object_or_404(District.objects.select_related("province"), code=code)
    return render(request, "geo/district.html", {
        "district": obj, "subdistricts": obj.subdistricts.all(), "breadcrumbs": area_breadcrumbs(district=obj),
        **_area_links(request, Level.DISTRICT, obj.code),
    })


def subdistrict(request, code: str):
    obj = get_object_or_404(Subdistrict.objects.select_related("district__province"), code=code)
    funds, councils = [], []
    if request.user.is_authenticated:
        funds = restrict(Fund.objects.filter(organisation__subdistrict=obj), request.user, Action.VIEW)
        funds = funds.select_related("organisation")
        councils = restrict(Council.objects.filter(organisation__subdistrict=obj), request.user, Action.VIEW)
        councils = councils.select_related("organisation")
    return render(request, "geo/subdistrict.html", {
        "subdistrict": obj, "councils": councils,
        "local_administrations": obj.local_administrations.all(),
        "villages": obj.villages.all(),
        "funds": funds,
        "can_add_local_administration": request.user.is_authenticated
        and allows_location(request.user, Action.CHANGE, subdistrict=obj),
        "breadcrumbs": area_breadcrumbs(subdistrict=obj),
        **_area_links(request, Level.SUBDISTRICT, obj.code),
    })


@login_required
@require_http_methods(["GET", "POST"])
def local_administration_create(request, code: str):
    obj = get_object_or_404(Subdistrict.objects.select_related("district__province"), code=code)
    if not allows_location(request.user, Action.CHANGE, subdistrict=obj):
        return render(request, "403.html", status=403)
    form = LocalAdministrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.local_administration_create(actor=request.user, subdistrict=obj, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Local administration added."))
            return redirect("geo:subdistrict", code=obj.code)
    return render(request, "geo/local_administration_form.html", {
        "form": form, "subdistrict": obj,
        "breadcrumbs": area_breadcrumbs(subdistrict=obj, current=_("Add local administration")),
    })
