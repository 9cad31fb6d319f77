"""A member's own record: memberships, contributions, arrears, claims and benefits received."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404, restrict
from chumchon.welfare import services
from chumchon.welfare.models import Claim, Contribution, Membership
from chumchon.welfare.views.members import RECEIPT_RELATED, receipt_response


@login_required
def my_record(request):
    person_id = request.user.person_id
    memberships = list(restrict(Membership.objects.filter(person_id=person_id), request.user, Action.VIEW)
                       .select_related("fund__organisation", "refund")) if person_id else []
    today = timezone.localdate()
    for m in memberships:
        m.arrears_days, m.owed_today = services.arrears(m, today)
    contributions = restrict(Contribution.objects.filter(membership__in=memberships), request.user, Action.VIEW)
    claims = restrict(Claim.objects.filter(membership__in=memberships), request.user, Action.VIEW)
    return render(request, "welfare/my_record.html", {
        "memberships": memberships,
        "contributions": contributions.select_related("void").order_by("-date", "-id")[:36],
        "claims": claims.select_related("kind", "payment_void").order_by("-event_date")[:36],
        "breadcrumbs": [{"label": _("My record"), "url": ""}],
    })


@login_required
def my_receipt(request, code: str, number: str):
    """A receipt of the member's own, to see again or print: found through their own memberships only."""
    contribution = get_scoped_or_404(
        Contribution.objects.select_related(*RECEIPT_RELATED), request.user, Action.VIEW,
        membership__person_id=request.user.person_id or 0, fund__organisation__code=code, receipt_number=number)
    return receipt_response(request, contribution.fund, contribution, [
        {"label": _("My record"), "url": reverse("welfare:my_record")},
        {"label": _("Receipt %(r)s") % {"r": number}, "url": ""}])
