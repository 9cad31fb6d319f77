"""Local development plan pages: the list in scope, a plan with its items and agency links, and their forms."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location, get_scoped_or_404
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.councils import selectors, services
from chumchon.councils.forms import PlanForm, PlanItemForm, PlanItemLinkForm
from chumchon.councils.models import DevelopmentPlan, PlanItem
from chumchon.councils.views.common import apply_errors, council_or_404, crumbs
from chumchon.dataio.lists import ListColumn, ListExport, list_export
from chumchon.geo.selectors import area_breadcrumbs


def _plan_or_404(request, pk: int, action: str = Action.VIEW) -> DevelopmentPlan:
    return get_scoped_or_404(DevelopmentPlan.objects.select_related("subdistrict__district__province",
                                                                    "council__organisation__subdistrict__district__province"),
                             request.user, action, pk=pk)


def _plan_crumbs(plan: DevelopmentPlan, current: str = "") -> list[dict]:
    label = _("Plan %(year)s") % {"year": plan.fiscal_year}
    if plan.council_id:  # a council's plan leads back through its council
        items = crumbs(plan.council, label)
    else:
        items = area_breadcrumbs(subdistrict=plan.subdistrict, current=label)
    if current:
        items[-1] = {"label": label, "url": reverse("councils:plan_detail", args=[plan.pk])}
        items.append({"label": current, "url": ""})
    return items


PLANS = ListExport("plans", "แผนพัฒนาท้องถิ่น", (
    ListColumn("ปีงบประมาณ", "fiscal_year", lambda p: p.fiscal_year),
    ListColumn("ตำบล", "subdistrict", lambda p: p.subdistrict.name),
    ListColumn("อำเภอ", "district", lambda p: p.subdistrict.district.name),
    ListColumn("จังหวัด", "province", lambda p: p.subdistrict.district.province.name),
    ListColumn("รหัสตำบล", "subdistrict_code", lambda p: p.subdistrict_id),
    ListColumn("ชื่อแผน", "plan", lambda p: p.title),
    ListColumn("จำนวนรายการ", "plan_items", lambda p: p.item_count),
    ListColumn("งบประมาณที่ต้องการ (บาท)", "budget_needed", lambda p: p.budget_needed, money=True),
    ListColumn("งบประมาณที่หน่วยงานให้ (บาท)", "budget_given", lambda p: p.amount_given, money=True),
))


@login_required
def plan_list(request):
    fiscal_year = request.GET.get("fy", "")
    fiscal_year = int(fiscal_year) if fiscal_year.isdigit() else None
    plans = selectors.plan_list(request.user, fiscal_year)
    if (response := list_export(request, PLANS, plans)) is not None:
        return response
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    return render(request, "councils/plan_list.html", {
        "page_obj": page, "breadcrumbs": [{"label": _("Local development plans"), "url": ""}]})


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request, code: str):
    council = council_or_404(request, code, Action.CHANGE)
    from django.utils import timezone

    form = PlanForm(request.POST or None, initial={"fiscal_year": fiscal_year_of(timezone.localdate()).be_year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, subdistrict=council.organisation.subdistrict,
                                        council=council, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Plan entered."))
            return redirect("councils:plan_detail", pk=plan.pk)
    title = _("Enter the local development plan")
    return render(request, "councils/form.html", {"council": council, "form": form, "title": title,
                                                  "breadcrumbs": crumbs(council, title)})


@login_required
def plan_detail(request, pk: int):
    plan = _plan_or_404(request, pk)
    items = list(selectors.plan_items(plan))
    return render(request, "councils/plan_detail.html", {
        "plan": plan, "items": items,
        "budget_needed": sum((i.budget_needed for i in items), 0),
        "amount_given": sum((link.amount for i in items for link in i.links.all()), 0),
        "can_change": allows_location(request.user, Action.CHANGE, subdistrict=plan.subdistrict,
                                      organisation=plan.council.organisation if plan.council_id else None),
        "breadcrumbs": _plan_crumbs(plan)})


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_add(request, pk: int):
    plan = _plan_or_404(request, pk, Action.CHANGE)
    form = PlanItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Plan item added."))
            return redirect("councils:plan_detail", pk=plan.pk)
    title = _("Add a plan item")
    return render(request, "councils/form.html", {"form": form, "title": title,
                                                  "breadcrumbs": _plan_crumbs(plan, title)})


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_link(request, pk: int, item_pk: int):
    plan = _plan_or_404(request, pk, Action.CHANGE)
    item = get_scoped_or_404(PlanItem.objects.filter(plan=plan), request.user, Action.CHANGE, pk=item_pk)
    from chumchon.geo.models import LocalAdministration

    local = LocalAdministration.objects.filter(subdistrict__district=plan.subdistrict.district)
    form = PlanItemLinkForm(request.POST or None, local_administrations=local,
                            initial={"fiscal_year": plan.fiscal_year, "agency_kind": "local"})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_link(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Link to the agency's budget recorded."))
            given = sum((link.amount for link in item.links.all()), Decimal("0.00"))
            if given > item.budget_needed:  # recorded as the agencies gave it, but worth a second look
                messages.warning(request, _("Item %(number)s: the agencies give %(given)s baht, more than the "
                                            "%(needed)s baht it needs. Check the amounts.") % {
                    "number": item.number, "given": f"{given:,.2f}", "needed": f"{item.budget_needed:,.2f}"})
            return redirect("councils:plan_detail", pk=plan.pk)
    title = _("Link item %(number)s to an agency's plan and budget") % {"number": item.number}
    return render(request, "councils/form.html", {"form": form, "title": title, "intro": str(item),
                                                  "breadcrumbs": _plan_crumbs(plan, title)})
