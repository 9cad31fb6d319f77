"""Collection day (วันเก็บเงินสมทบ): a whole village's members on one screen, amounts pre-filled from what
each owes, posted in one go."""

import uuid
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.core.i18n import reader_lang
from chumchon.core.thai.dates import format_date, parse_date
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.money import parse_money
from chumchon.welfare import services
from chumchon.welfare.forms import SheetHeaderForm
from chumchon.welfare.models import Membership
from chumchon.welfare.views.common import can_change, crumbs, fund_or_404


def _sheet_members(request, fund, village: int):
    return list(restrict(Membership.objects.filter(fund=fund, status=Membership.Status.ACTIVE,
                                                   village_number=village), request.user, Action.CHANGE)
                .select_related("person", "fund").order_by("member_number"))


def sheet_total(values) -> tuple[Decimal, int, int]:
    """What a sheet would post: the total of the amounts typed, how many, and how many cannot be read."""
    total, count, unreadable = Decimal("0.00"), 0, 0
    for raw in values:
        if not raw.strip():
            continue
        try:
            total += parse_money(raw)
            count += 1
        except ThaiInputError:
            unreadable += 1
    return total, count, unreadable


def _row_errors(rows: list[dict], messages_: list[str]) -> None:
    """Each of the service's messages that names a member ("00051 name: …") set on that member's row too, so the
    box is marked where the treasurer looks (all of them stay at the top of the sheet)."""
    for message in messages_:
        row = next((r for r in rows if message.startswith(f"{r['m'].member_number} ")
                    or message.startswith(f"{r['m'].member_number}:")), None)
        if row is not None:
            row["error"] = message.split(": ", 1)[-1]


@login_required
@require_http_methods(["GET", "POST"])
def collection_sheet(request, code: str):
    fund = fund_or_404(request, code, Action.CHANGE)
    if not can_change(request.user, fund):
        raise PermissionDenied
    villages = sorted({v for v in fund.memberships.filter(status=Membership.Status.ACTIVE).order_by()
                       .values_list("village_number", flat=True).distinct() if v})
    header = SheetHeaderForm(request.POST or request.GET or None,
                             initial={"date": timezone.localdate(), "village": villages[0] if villages else 1})
    rows, errors = [], []
    if header.is_bound and header.is_valid():
        village, date = header.cleaned_data["village"], header.cleaned_data["date"]
        for m in _sheet_members(request, fund, village):
            owed = services.owed(m, date)
            rows.append({"m": m, "owed": owed, "field": f"pay-{m.pk}", "error": "",
                         "value": request.POST.get(f"pay-{m.pk}", "") if request.method == "POST"
                         else (f"{owed:.2f}" if owed else "")})
        if request.method == "POST":
            payments = []
            for row in rows:
                raw = row["value"].strip()
                if not raw:
                    continue
                try:
                    payments.append(services.SheetPayment(row["m"], parse_money(raw)))
                except ThaiInputError as exc:
                    row["error"] = str(exc)
                    errors.append(f"{row['m'].member_number} {row['m'].person.full_name}: {exc}")
            if not errors:
                try:
                    sheet = services.collection_sheet_post(
                        actor=request.user, fund=fund, date=date, village_number=village, payments=payments,
                        idempotency_key=request.POST.get("idempotency_key") or str(uuid.uuid4()))
                except ValidationError as exc:
                    errors.extend(exc.messages)
                    _row_errors(rows, exc.messages)
                else:
                    return _posted(request, fund, sheet, villages, village, date)
    total, paying, unreadable = sheet_total(r["value"] for r in rows)
    return render(request, "welfare/collection_sheet.html", {
        "fund": fund, "header": header, "rows": rows, "errors": errors, "villages": villages,
        "idempotency_key": request.POST.get("idempotency_key") or str(uuid.uuid4()),
        "total_owed": sum((r["owed"] for r in rows), Decimal("0.00")),
        "total": total, "paying": paying, "unreadable": unreadable,
        "breadcrumbs": crumbs(fund, _("Collection sheet")),
    })


def _posted(request, fund, sheet, villages: list[int], village: int, date):
    """Say what was posted (payments, total, the receipts' numbers) and go on to the next village of the day, or
    back to the fund after the last."""
    receipts = list(sheet.contributions.order_by("receipt_number").values_list("receipt_number", "amount"))
    total = sum((amount for _, amount in receipts), Decimal("0.00"))
    messages.success(request, _("Collection sheet posted: %(n)s payments, %(total)s baht (receipts %(first)s – "
                                "%(last)s).") % {"n": len(receipts), "total": f"{total:,.2f}",
                                                 "first": receipts[0][0], "last": receipts[-1][0]})
    following = [v for v in villages if v > village]
    if following:
        day = format_date(date, "numeric", "th")
        return redirect(f"{reverse('welfare:collection_sheet', args=[fund.code])}?village={following[0]}&date={day}")
    return redirect("welfare:fund_detail", code=fund.code)


@login_required
@require_POST
def collection_sheet_total(request, code: str):
    """The sheet's live total as the treasurer types (htmx): amounts read by the same parser as the post, and
    before it is posted, each amount the post would refuse (not whole days, a step the fund does not take) and
    each that pays more than a year ahead (1,000 typed for 67 owed), by member."""
    fund = fund_or_404(request, code, Action.CHANGE)
    if not can_change(request.user, fund):
        raise PermissionDenied
    typed = {int(k[4:]): v for k, v in request.POST.items() if k.startswith("pay-") and k[4:].isdigit()}
    total, paying, unreadable = sheet_total(typed.values())
    return render(request, "welfare/_sheet_total.html", {
        "total": total, "paying": paying, "unreadable": unreadable,
        "notes": _sheet_notes(request, fund, typed)})


def _sheet_notes(request, fund, typed: dict[int, str]) -> list[str]:
    try:
        day = parse_date(request.POST.get("date", "")) or timezone.localdate()
    except ThaiInputError:
        day = timezone.localdate()
    members = {m.pk: m for m in restrict(Membership.objects.filter(fund=fund, pk__in=list(typed)), request.user,
                                         Action.CHANGE).select_related("person", "fund")}
    notes = []
    for pk, raw in typed.items():
        member = members.get(pk)
        if member is None or not raw.strip():
            continue
        try:
            ahead = services.paid_far_ahead(member, parse_money(raw), day)
        except ThaiInputError:
            continue  # counted as unreadable
        except ValidationError as exc:
            notes.append(f"{member.member_number} {member.person.full_name}: {' '.join(exc.messages)}")
            continue
        if ahead is not None:
            notes.append(_("%(member)s: pays ahead to %(date)s") % {
                "member": f"{member.member_number} {member.person.full_name}",
                "date": format_date(ahead, "short", reader_lang())})
    return notes
