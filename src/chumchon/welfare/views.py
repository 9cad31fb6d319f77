"""Welfare fund pages: the list of funds in scope and a fund's home page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404
from chumchon.geo.selectors import area_breadcrumbs
from chumchon.welfare import selectors
from chumchon.welfare.models import Fund, Membership


@login_required
def fund_list(request):
    page = Paginator(selectors.fund_list(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "welfare/fund_list.html", {
        "page_obj": page, "breadcrumbs": [{"label": _("Welfare funds"), "url": ""}],
    })


@login_required
def fund_detail(request, code: str):
    fund = get_scoped_or_404(
        Fund.objects.select_related("organisation__subdistrict__district__province"), request.user, Action.VIEW,
        organisation__code=code,
    )
    members = selectors.fund_members(request.user, fund)
    counts = members.aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(status=Membership.Status.ACTIVE)),
    )
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(request, "welfare/fund_detail.html", {
        "fund": fund,
        "committee": fund.committee.select_related("person").order_by("position"),
        "counts": counts,
        "page_obj": page,
        "breadcrumbs": area_breadcrumbs(subdistrict=fund.organisation.subdistrict, current=fund.name),
    })
