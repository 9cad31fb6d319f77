"""Collection day (วันเก็บเงินสมทบ): a whole village's members on one screen, amounts pre-filled from what
each owes, posted in one go."""

import uuid
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
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
            rows.append({"m": m, "owed": owed, "field": f"pay-{m.pk}",
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
                    errors.append(f"{row['m'].member_number} {row['m'].person.full_name}: {exc}")
            if not errors:
                try:
                    sheet = services.collection_sheet_post(
                        actor=request.user, fund=fund, date=date, village_number=village, payments=payments,
                        idempotency_key=request.POST.get("idempotency_key") or str(uuid.uuid4()))
                except ValidationError as exc:
                    errors.extend(exc.messages)
                else:
                    total = sum((c.amount for c in sheet.contributions.all()), Decimal("0.00"))
                    messages.success(request, _("Collection sheet posted: %(n)s payments, %(total)s baht.") % {
                        "n": sheet.contributions.count(), "total": f"{total:,.2f}"})
                    return redirect("welfare:fund_detail", code=fund.code)
    return render(request, "welfare/collection_sheet.html", {
        "fund": fund, "header": header, "rows": rows, "errors": errors, "villages": villages,
        "idempotency_key": request.POST.get("idempotency_key") or str(uuid.uuid4()),
        "total_owed": sum((r["owed"] for r in rows), Decimal("0.00")),
        "breadcrumbs": crumbs(fund, _("Collection sheet")),
    })
