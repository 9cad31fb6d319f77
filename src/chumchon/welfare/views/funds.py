"""Welfare fund pages: the list of funds in scope and a fund's home page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404
from chumchon.dataio.archive import may_export
from chumchon.dataio.lists import ListColumn, ListExport, list_export
from chumchon.geo.selectors import area_breadcrumbs
from chumchon.welfare import selectors
from chumchon.welfare.models import Fund, Membership
from chumchon.welfare.services.common import may_handle_claims
from chumchon.welfare.views.common import can_change

FUNDS = ListExport("funds", "กองทุนสวัสดิการชุมชน", (
    ListColumn("รหัสกองทุน", "fund_code", lambda f: f.organisation.code),
    ListColumn("ชื่อกองทุน", "fund_name", lambda f: f.organisation.name_th),
    ListColumn("ตำบล", "subdistrict", lambda f: f.organisation.subdistrict.name),
    ListColumn("อำเภอ", "district", lambda f: f.organisation.subdistrict.district.name),
    ListColumn("จังหวัด", "province", lambda f: f.organisation.subdistrict.province.name),
    ListColumn("รหัสตำบล", "subdistrict_code", lambda f: f.organisation.subdistrict_id),
    ListColumn("สมาชิกที่ยังเป็นสมาชิก", "active_members", lambda f: f.active_members),
    ListColumn("สถานะ", "status", lambda f: f.get_status_display()),
))


@login_required
def fund_list(request):
    funds = selectors.fund_list(request.user)
    if (response := list_export(request, FUNDS, funds)) is not None:
        return response
    page = Paginator(funds, 50).get_page(request.GET.get("page"))
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
        "can_change": can_change(request.user, fund),
        "sees_claims": selectors.sees_claims(request.user, fund),
        "handles_claims": may_handle_claims(request.user, fund),
        "can_archive": may_export(request.user, fund),
        "has_book": hasattr(fund.organisation, "book"),
    })


@login_required
def fund_status(request, code: str):
    """แบบแสดงสถานะกองทุน: the fund status form (HTML, or ?format=pdf)."""
    from django.utils import timezone

    from chumchon.welfare.views.common import crumbs, fund_or_404

    fund = fund_or_404(request, code)
    context = {"fund": fund, "s": selectors.fund_status(fund, timezone.localdate()),
               "committee": fund.committee.select_related("person").order_by("position"),
               "breadcrumbs": crumbs(fund, _("Fund status form"))}
    if request.GET.get("format") == "pdf":
        from chumchon.core.pdf import pdf_response

        return pdf_response("welfare/pdf/fund_status.html", context, filename=f"status-{fund.code}.pdf")
    return render(request, "welfare/fund_status.html", context)
