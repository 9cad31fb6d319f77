"""Members: enrol (person and membership in one step), a member's page, taking a contribution, the receipt."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404
from chumchon.core.thai.dates import format_date
from chumchon.people import services as people_services
from chumchon.welfare import selectors, services
from chumchon.welfare.forms import ContributionForm, LapseRunForm, MemberEnrolForm
from chumchon.welfare.models import Contribution
from chumchon.welfare.services.common import may_handle_claims
from chumchon.welfare.views.common import apply_errors, can_change, crumbs, fund_or_404, member_crumb, member_or_404
from chumchon.welfare.views.lifecycle import refund_context


@login_required
@require_http_methods(["GET", "POST"])
def member_enrol(request, code: str):
    fund = fund_or_404(request, code, Action.CHANGE)
    if not can_change(request.user, fund):
        raise PermissionDenied
    next_number = f"{fund.memberships.count() + 1:05d}"
    form = MemberEnrolForm(request.POST or None, initial={
        "subdistrict": fund.organisation.subdistrict_id, "member_number": next_number,
        "joined_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        number, joined_on = data.pop("member_number"), data.pop("joined_on")
        try:
            with transaction.atomic():
                person = people_services.person_create(actor=request.user, registered_by=fund.organisation, **data)
                services.membership_enrol(actor=request.user, fund=fund, person=person, member_number=number,
                                          joined_on=joined_on)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Member %(n)s registered.") % {"n": number})
            return redirect("welfare:member_detail", code=fund.code, number=number)
    return render(request, "welfare/member_form.html", {"fund": fund, "form": form,
                                                        "breadcrumbs": crumbs(fund, _("Register a member"))})


@login_required
def member_detail(request, code: str, number: str):
    fund = fund_or_404(request, code)
    membership = member_or_404(request, fund, number)
    days, owed = services.arrears(membership, timezone.localdate())
    sees_claims = selectors.sees_claims(request.user, fund)
    return render(request, "welfare/member_detail.html", {
        "owed": owed, "days_in_arrears": days,
        "fund": fund, "membership": membership, "active": membership.status == "active",
        "contributions": membership.contributions.select_related("void").order_by("-date", "-id")[:24],
        # Claims carry health data: listed to those who may see them, submitted by those who may handle them.
        "claims": membership.claims.select_related("kind", "payment_void").order_by("-event_date")[:24]
        if sees_claims else None,
        "can_change": can_change(request.user, fund), "handles_claims": may_handle_claims(request.user, fund),
        "breadcrumbs": crumbs(fund, f"{membership.member_number} {membership.person.full_name}"),
        **refund_context(request.user, fund, membership),
    })


@login_required
@require_http_methods(["GET", "POST"])
def contribution_create(request, code: str, number: str):
    fund = fund_or_404(request, code, Action.CHANGE)
    membership = member_or_404(request, fund, number, Action.CHANGE)
    today = timezone.localdate()
    form = ContributionForm(request.POST or None, initial={"amount": services.owed(membership, today) or
                                                           30 * fund.daily_rate, "date": today})
    if request.method == "POST" and form.is_valid():
        try:
            contribution = services.contribution_receive(
                actor=request.user, membership=membership, amount=form.cleaned_data["amount"],
                date=form.cleaned_data["date"], idempotency_key=form.cleaned_data["idempotency_key"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Receipt %(r)s issued.") % {"r": contribution.receipt_number})
            return redirect("welfare:receipt", code=fund.code, number=contribution.receipt_number)
    return render(request, "welfare/contribution_form.html", {
        "fund": fund, "membership": membership, "form": form,
        "breadcrumbs": crumbs(fund, _("Take a contribution"), via=(member_crumb(fund, membership),))})


RECEIPT_RELATED = ("membership__person", "fund__organisation__subdistrict__district__province", "recorded_by",
                   "void__entry", "void__voided_by")


@login_required
def receipt(request, code: str, number: str):
    """ใบเสร็จรับเงิน: printable (the browser's print, or ?format=pdf). Whoever may record for the fund sees, on
    a receipt that stands, how to cancel it, or why it cannot be cancelled now."""
    fund = fund_or_404(request, code)
    contribution = get_scoped_or_404(Contribution.objects.select_related(*RECEIPT_RELATED), request.user, Action.VIEW,
                                     fund=fund, receipt_number=number)
    extra = {"entry_link": True}  # the fund's staff pages link to its books; a member's own receipt does not
    if can_change(request.user, fund) and contribution.cancellation is None:
        refusal = services.void_refusal(contribution)
        extra |= {"can_void": refusal is None, "void_refusal": refusal, "void_key": new_key()}
    return receipt_response(request, fund, contribution,
                            crumbs(fund, _("Receipt %(r)s") % {"r": number},
                                   via=(member_crumb(fund, contribution.membership),)), extra)


@login_required
@require_http_methods(["POST"])
def receipt_void(request, code: str, number: str):
    """ยกเลิกใบเสร็จ: the receipt page's cancel form (reason and key); the receipt page again, with the outcome."""
    fund = fund_or_404(request, code, Action.CHANGE)
    contribution = get_scoped_or_404(Contribution, request.user, Action.CHANGE, fund=fund, receipt_number=number)
    try:
        services.contribution_void(actor=request.user, contribution=contribution,
                                   reason=request.POST.get("reason", ""),
                                   idempotency_key=request.POST.get("idempotency_key") or new_key())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Receipt %(r)s cancelled. Take the right payment as a new receipt.")
                         % {"r": number})
    return redirect("welfare:receipt", code=fund.code, number=number)


def receipt_response(request, fund, contribution: Contribution, breadcrumbs: list[dict], extra: dict | None = None):
    """The receipt as a page, or as a PDF with ``?format=pdf``; a cancelled receipt says so on both."""
    context = {"fund": fund, "c": contribution, "void": contribution.cancellation, "printed_at": timezone.now(),
               "breadcrumbs": breadcrumbs, **(extra or {})}
    if request.GET.get("format") == "pdf":
        from chumchon.core.pdf import pdf_response

        return pdf_response("welfare/pdf/receipt.html", context, filename=f"{contribution.receipt_number}.pdf")
    return render(request, "welfare/receipt.html", context)


def new_key() -> str:
    return str(uuid.uuid4())


@login_required
@require_http_methods(["GET", "POST"])
def lapse_run(request, code: str):
    """ตรวจสมาชิกค้างชำระ: the fund's arrears rule as of a day — who is sent a notice, who lapses — shown first,
    applied on the committee's word (the list as shown: if payments changed it since, it is shown again); the
    notices print as letters (``?format=pdf``)."""
    fund = fund_or_404(request, code, Action.CHANGE)
    if not can_change(request.user, fund):
        raise PermissionDenied
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else (request.GET if "on" in request.GET else None)
    form = LapseRunForm(data, initial={"on": today})
    on = form.cleaned_data["on"] if form.is_valid() else today
    if request.method == "POST" and form.is_valid():
        try:
            done = services.memberships_lapse(actor=request.user, fund=fund, on=on,
                                              expected=form.cleaned_data.get("expected") or "")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Arrears rule applied: %(n)s notices recorded, %(l)s memberships lapsed.")
                             % {"n": done["noticed"], "l": done["lapsed"]})
            return redirect(f"{request.path}?{urlencode({'on': format_date(on, 'numeric', 'th')})}")
    steps = selectors.lapse_preview(fund, on)

    def rows(items):
        return [(s, services.owed(s.membership, on)) for s in items]

    context = {"fund": fund, "form": form, "on": on, "notices": rows(s for s in steps if s.action == "notice"),
               "lapses": rows(s for s in steps if s.action == "lapse"), "expected": selectors.lapse_digest(steps),
               "shown": len(steps), "today": on == today,
               "waiting": rows(selectors.lapse_waiting(fund, on)), "notice_days": selectors.LAPSE_NOTICE_DAYS,
               "breadcrumbs": crumbs(fund, _("Members in arrears"))}
    if request.GET.get("format") == "pdf":
        from chumchon.core.pdf import pdf_response

        return pdf_response("welfare/pdf/lapse_notices.html", context, filename=f"{fund.code}-notices-{on}.pdf")
    return render(request, "welfare/lapse_run.html", context)
