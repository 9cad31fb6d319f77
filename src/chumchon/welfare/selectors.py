"""Reads of funds and their members, always scoped."""

from django.db.models import Count, Q, QuerySet

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.welfare.models import Fund, Membership


def fund_list(user) -> QuerySet[Fund]:
    return (
        restrict(Fund.objects.all(), user, Action.VIEW)
        .select_related("organisation__subdistrict__district__province", "organisation__subdistrict__province")
        .annotate(active_members=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)))
        .order_by("organisation__code")
    )


def fund_members(user, fund: Fund) -> QuerySet[Membership]:
    return (
        restrict(Membership.objects.filter(fund=fund), user, Action.VIEW)
        .select_related("person__personal_data")
        .order_by("member_number")
    )
