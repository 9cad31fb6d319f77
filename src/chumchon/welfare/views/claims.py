"""Claims: submit with evidence, see the rule engine's explanation, decide (not the submitter), pay, voucher;
the pension batch."""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.scoping import get_scoped_or_404, restrict
from chumchon.welfare import selectors, services
from chumchon.welfare.forms import ClaimForm, DecisionForm, PayForm, PensionForm
from chumchon.welfare.models import Claim
from chumchon.welfare.views.common import (
    apply_errors,
    can_change,
    claims_crumb,
    claims_fund_or_404,
    crumbs,
    fund_or_404,
)


@login_required
def claim_list(request, code: str):
    fund = fund_or_404(request, code, selectors.CLAIMS_ACTION)
    claims = restrict(Claim.objects.filter(fund=fund), request.user, selectors.CLAIMS_ACTION).select_related(
        "kind", "membership", "beneficiary", "payment_void").order_by("-created", "-id")
    status = request.GET.get("status", "")
    if status in Claim.Status.values:
        claims = claims.filter(status=status)
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    return render(request, "welfare/claim_list.html", {
        "fund": fund, "page_obj": page, "status": status, "statuses": Claim.Status.choices,
        "can_change": can_change(request.user, fund), "breadcrumbs": crumbs(fund, _("Claims"))})


@login_required
@require_http_methods(["GET", "POST"])
def claim_create(request, code: str):
    fund = claims_fund_or_404(request, code)
    form = ClaimForm(request.POST or None, request.FILES or None, fund=fund, user=request.user,
                     initial={"event_date": timezone.localdate(), "member_number": request.GET.get("member", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_submit(
                actor=request.user, membership=data["member_number"], kind=data["kind"],
                event_date=data["event_date"], units=data.get("units") or 1,
                beneficiary=data["beneficiary_national_id"], consent=data.get("consent", False),
                evidence=[data["evidence"]] if data.get("evidence") else [], idempotency_key=data["idempotency_key"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Claim submitted."))
            return redirect("welfare:claim_detail", code=fund.code, pk=claim.pk)
    return render(request, "welfare/claim_form.html", {"fund": fund, "form": form,
                                                       "breadcrumbs": crumbs(fund, _("Submit a claim"),
                                                                             via=(claims_crumb(fund),))})


def _claim(request, fund, pk, action=selectors.CLAIMS_ACTION) -> Claim:
    return get_scoped_or_404(
        Claim.objects.select_related("kind", "rule", "membership__person", "beneficiary", "submitted_by",
                                     "decided_by", "entry", "payment_void__entry", "payment_void__voided_by"),
        request.user, action, fund=fund, pk=pk)


@login_required
def claim_detail(request, code: str, pk: int):
    fund = fund_or_404(request, code)
    claim = _claim(request, fund, pk)
    void = claim.cancellation
    changer = can_change(request.user, fund)
    refusal = services.claim_void_refusal(claim) if changer and claim.status == Claim.Status.PAID and not void else None
    return render(request, "welfare/claim_detail.html", {
        "fund": fund, "claim": claim, "decision_form": DecisionForm(),
        "pay_form": PayForm(initial={"date": timezone.localdate()}), "evidence": claim.evidence.all(),
        "can_change": changer, "void": void, "void_refusal": refusal, "void_key": str(uuid.uuid4()),
        "can_void": changer and claim.status == Claim.Status.PAID and not void and refusal is None,
        "is_submitter": claim.submitted_by_id == request.user.pk,
        "breadcrumbs": crumbs(fund, _("Claim #%(n)s") % {"n": claim.pk}, via=(claims_crumb(fund),))})


@login_required
@require_POST
def claim_decide(request, code: str, pk: int):
    fund = claims_fund_or_404(request, code)
    claim = _claim(request, fund, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.claim_decide(actor=request.user, claim=claim, approve=request.POST.get("decision") == "approve",
                              reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("welfare:claim_detail", code=fund.code, pk=claim.pk)


@login_required
@require_POST
def claim_pay(request, code: str, pk: int):
    fund = claims_fund_or_404(request, code)
    claim = _claim(request, fund, pk)
    form = PayForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("welfare:claim_detail", code=fund.code, pk=claim.pk)
    try:
        services.claim_pay(actor=request.user, claim=claim, date=form.cleaned_data["date"],
                           cash_account=form.cleaned_data["cash_account"], source=form.cleaned_data["source"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Paid."))
    return redirect("welfare:claim_detail", code=fund.code, pk=claim.pk)


@login_required
@require_POST
def claim_void(request, code: str, pk: int):
    """ยกเลิกใบสำคัญจ่าย: the claim page's cancel form (reason and key); the claim page again, with the outcome."""
    fund = claims_fund_or_404(request, code)
    claim = _claim(request, fund, pk)
    try:
        services.claim_payment_void(actor=request.user, claim=claim, reason=request.POST.get("reason", ""),
                                    idempotency_key=request.POST.get("idempotency_key") or str(uuid.uuid4()))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Payment %(v)s cancelled. Claim the right benefit anew.")
                         % {"v": claim.voucher_number})
    return redirect("welfare:claim_detail", code=fund.code, pk=claim.pk)


@login_required
def voucher(request, code: str, pk: int):
    """ใบสำคัญจ่าย: the payment voucher of a paid claim, as PDF."""
    from django.http import Http404

    from chumchon.core.pdf import pdf_response

    fund = fund_or_404(request, code)
    claim = _claim(request, fund, pk)
    if claim.status != Claim.Status.PAID:
        raise Http404
    return pdf_response("welfare/pdf/voucher.html", {"fund": fund, "claim": claim, "void": claim.cancellation},
                        filename=f"{claim.voucher_number}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def pension_batch(request, code: str):
    fund = claims_fund_or_404(request, code)
    form = PensionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.pension_batch_prepare(actor=request.user, fund=fund, date=form.cleaned_data["date"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            n = len(made)
            messages.success(request, ngettext("%(n)s pension claim prepared for review.",
                                               "%(n)s pension claims prepared for review.", n) % {"n": n})
            return redirect(f"{request.path}?batch=pension-{form.cleaned_data['date'].isoformat()}")
    batch = request.GET.get("batch", "")
    claims = list(Claim.objects.filter(fund=fund, batch=batch).select_related("membership", "beneficiary")
                  ) if batch else []
    try:
        batch_date = datetime.date.fromisoformat(batch.removeprefix("pension-")) if batch else None
    except ValueError:
        batch_date = None
    prepared_by_me = any(c.submitted_by_id == request.user.pk for c in claims)
    return render(request, "welfare/pension_batch.html", {
        "fund": fund, "form": form, "batch": batch, "claims": claims, "batch_date": batch_date,
        "prepared_by_me": prepared_by_me, "pay_form": PayForm(),
        "breadcrumbs": crumbs(fund, _("Elderly pension batch"))})


@login_required
@require_POST
def pension_batch_approve(request, code: str):
    """The reviewing committee member approves and pays every submitted claim of a batch."""
    fund = claims_fund_or_404(request, code)
    batch = request.POST.get("batch", "")
    try:
        paid, left = services.pension_batch_approve(actor=request.user, fund=fund, batch=batch,
                                                    cash_account=request.POST.get("cash_account", "1102"),
                                                    source=request.POST.get("source", "members"))
    except ValidationError as exc:
        for problem in exc.messages[:10]:
            messages.error(request, problem)
    else:
        if paid:
            messages.success(request, ngettext("%(n)s pension approved and paid.",
                                               "%(n)s pensions approved and paid.", len(paid)) % {"n": len(paid)})
        if left:
            messages.warning(request, ngettext(
                "%(n)s claim is left for review: it no longer meets the rules, or it is your own, for another "
                "committee member to decide.",
                "%(n)s claims are left for review: they no longer meet the rules, or they are your own, for another "
                "committee member to decide.", left) % {"n": left})
    return redirect(f"{request.path.replace('/approve/', '/')}?batch={batch}")
