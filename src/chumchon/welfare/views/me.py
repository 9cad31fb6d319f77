"""A member's own record: memberships, contributions, arrears, claims and benefits received."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.welfare import services
from chumchon.welfare.models import Claim, Contribution, Membership


@login_required
def my_record(request):
    person_id = request.user.person_id
    memberships = list(restrict(Membership.objects.filter(person_id=person_id), request.user, Action.VIEW)
                       .select_related("fund__organisation")) if person_id else []
    today = timezone.localdate()
    for m in memberships:
        m.owed_today = services.owed(m, today) if m.status == Membership.Status.ACTIVE else 0
        m.arrears_days = m.days_in_arrears(today) if m.status == Membership.Status.ACTIVE else 0
    contributions = restrict(Contribution.objects.filter(membership__in=memberships), request.user, Action.VIEW)
    claims = restrict(Claim.objects.filter(membership__in=memberships), request.user, Action.VIEW)
    return render(request, "welfare/my_record.html", {
        "memberships": memberships,
        "contributions": contributions.order_by("-date", "-id")[:36],
        "claims": claims.select_related("kind").order_by("-event_date")[:36],
        "breadcrumbs": [{"label": _("My record"), "url": ""}],
    })
