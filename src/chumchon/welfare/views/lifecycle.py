"""A membership's end (resigned, transferred out, deceased), the refund the fund's regulations may give a member who
resigns, and the fund's plan (its settings)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404
from chumchon.core.pdf import pdf_response
from chumchon.welfare import services
from chumchon.welfare.forms import FundSettingsForm, MembershipEndForm, RefundForm
from chumchon.welfare.models import ContributionRefund, Membership
from chumchon.welfare.services.funds import SETTINGS
from chumchon.welfare.views.common import apply_errors, can_change, crumbs, fund_or_404, member_crumb, member_or_404


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request, code: str, number: str):
    fund = fund_or_404(request, code, Action.CHANGE)
    membership = member_or_404(request, fund, number, Action.CHANGE)
    if not can_change(request.user, fund):
        raise PermissionDenied
    form = MembershipEndForm(request.POST or None, initial={"status": "resigned", "on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(actor=request.user, membership=membership, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Membership %(n)s ended.") % {"n": membership.member_number})
            return redirect("welfare:member_detail", code=fund.code, number=membership.member_number)
    total, count, _refusal = services.refund_due(membership) if membership.status == "active" else (0, 0, None)
    return render(request, "welfare/membership_end.html", {
        "fund": fund, "membership": membership, "form": form, "refund_total": total, "refund_receipts": count,
        "breadcrumbs": crumbs(fund, _("End membership"), via=(member_crumb(fund, membership),))})


@login_required
@require_http_methods(["POST"])
def refund_pay(request, code: str, number: str):
    fund = fund_or_404(request, code, Action.CHANGE)
    membership = member_or_404(request, fund, number, Action.CHANGE)
    form = RefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            refund = services.contribution_refund(actor=request.user, membership=membership,
                                                  date=form.cleaned_data["date"],
                                                  idempotency_key=form.cleaned_data["idempotency_key"],
                                                  cash_account=form.cleaned_data["cash_account"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Contributions refunded: %(amount)s baht, voucher %(v)s.")
                             % {"amount": f"{refund.amount:,.2f}", "v": refund.voucher_number})
    return redirect("welfare:member_detail", code=fund.code, number=membership.member_number)


@login_required
def refund_voucher(request, code: str, number: str):
    """ใบสำคัญจ่าย of a refund, as a PDF."""
    fund = fund_or_404(request, code)
    refund = get_scoped_or_404(ContributionRefund.objects.select_related("membership__person", "entry", "paid_by"),
                               request.user, Action.VIEW_PERSONAL, fund=fund, membership__member_number=number)
    return pdf_response("welfare/pdf/refund_voucher.html", {"fund": fund, "refund": refund},
                        filename=f"{refund.voucher_number}.pdf")


def refund_context(user, fund, membership: Membership) -> dict:
    """The member page's refund part: the refund paid, or what is due and the form to pay it, or why none is."""
    refund = ContributionRefund.objects.filter(membership=membership).first()
    if refund is not None:
        return {"refund": refund}
    if membership.status != Membership.Status.RESIGNED or not fund.refund_on_resignation:
        return {}
    total, count, refusal = services.refund_due(membership)
    return {"refund_total": total, "refund_receipts": count, "refund_refusal": refusal,
            "refund_form": RefundForm(initial={"date": timezone.localdate()}) if can_change(user, fund) and not refusal
            else None}


@login_required
@require_http_methods(["GET", "POST"])
def fund_settings(request, code: str):
    """ระเบียบกองทุน: the fund's plan — rate, payments taken, arrears limit, cost cap, refunds."""
    fund = fund_or_404(request, code, Action.CHANGE)
    if not can_change(request.user, fund):
        raise PermissionDenied
    initial = {field: getattr(fund, field) for field in SETTINGS}
    initial["allowed_frequencies"] = [f for f in fund.allowed_frequencies.split(",") if f]
    form = FundSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_settings_update(actor=request.user, fund=fund, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The fund's plan is saved."))
            return redirect("welfare:fund_detail", code=fund.code)
    return render(request, "welfare/fund_settings.html", {
        "fund": fund, "form": form, "breadcrumbs": crumbs(fund, _("The fund's plan"))})
