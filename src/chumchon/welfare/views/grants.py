"""Matching money: recording a grant, and the national view of who received how much for how many members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.roles import Action
from chumchon.core.thai.fiscal import FiscalYear, fiscal_year_of
from chumchon.welfare import selectors, services
from chumchon.welfare.forms import GrantForm
from chumchon.welfare.views.common import apply_errors, can_change, crumbs, fund_or_404


@login_required
@require_http_methods(["GET", "POST"])
def grant_create(request, code: str):
    fund = fund_or_404(request, code, Action.CHANGE)
    if not can_change(request.user, fund):
        raise PermissionDenied
    active = fund.memberships.filter(status="active").count()
    form = GrantForm(request.POST or None, initial={"members_covered": active})
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_receive(actor=request.user, fund=fund, **{
                k: v for k, v in form.cleaned_data.items() if k != "members_covered"},
                members_covered=form.cleaned_data.get("members_covered") or 0)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Grant recorded."))
            return redirect("welfare:fund_detail", code=fund.code)
    return render(request, "welfare/grant_form.html", {
        "fund": fund, "form": form, "grants": fund.grants.order_by("-date")[:20],
        "breadcrumbs": crumbs(fund, _("Record a grant"))})


@login_required
def matching_overview(request):
    """Which funds received matching money in a fiscal year, how much, and for how many members (in scope)."""
    from django.utils import timezone

    try:
        fy = FiscalYear.parse(request.GET.get("fy") or fiscal_year_of(timezone.localdate()).be_year)
    except ValueError:
        fy = fiscal_year_of(timezone.localdate())
    by_source, by_fund = selectors.matching_money(request.user, fy.be_year)
    return render(request, "welfare/matching_overview.html", {
        "fy": fy, "by_source": by_source, "by_fund": by_fund,
        "breadcrumbs": [{"label": _("Matching money"), "url": ""}]})
