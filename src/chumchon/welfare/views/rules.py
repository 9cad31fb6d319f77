"""A fund's benefit rules: every version by the date it took effect, and adding a new version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.roles import Action
from chumchon.welfare import services
from chumchon.welfare.forms import RuleForm
from chumchon.welfare.models import BenefitRule
from chumchon.welfare.views.common import apply_errors, can_change, crumbs, fund_or_404


@login_required
@require_http_methods(["GET", "POST"])
def rules(request, code: str):
    fund = fund_or_404(request, code)
    editable = can_change(request.user, fund)
    form = RuleForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        fund = fund_or_404(request, code, Action.CHANGE)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "") or k in ("is_offered",)}
            kind, effective_from = data.pop("kind"), data.pop("effective_from")
            try:
                services.benefit_rule_set(actor=request.user, fund=fund, kind=kind, effective_from=effective_from,
                                          **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("welfare:rules", code=fund.code)
    versions = BenefitRule.objects.filter(fund=fund).select_related("kind").order_by("kind__order", "-effective_from")
    return render(request, "welfare/rules.html", {
        "fund": fund, "versions": versions, "form": form if editable else None,
        "breadcrumbs": crumbs(fund, _("Benefit rules"))})
