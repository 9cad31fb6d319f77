"""What every welfare page needs: the fund (scoped), its member by number, breadcrumbs, error mapping."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location, get_scoped_or_404
from chumchon.core.forms import apply_errors  # noqa: F401 (the views import it from here)
from chumchon.geo.selectors import area_breadcrumbs
from chumchon.welfare.models import Fund, Membership
from chumchon.welfare.services.common import may_handle_claims


def fund_or_404(request, code: str, action: str = Action.VIEW) -> Fund:
    return get_scoped_or_404(Fund.objects.select_related("organisation__subdistrict__district__province",
                                                         "organisation__book"),
                             request.user, action, organisation__code=code)


def member_or_404(request, fund: Fund, number: str, action: str = Action.VIEW) -> Membership:
    return get_scoped_or_404(Membership.objects.select_related("person__personal_data", "fund__organisation"),
                             request.user, action, fund=fund, member_number=number)


def can_change(user, fund: Fund) -> bool:
    return allows_location(user, Action.CHANGE, organisation=fund.organisation,
                           subdistrict=fund.organisation.subdistrict)


def claims_fund_or_404(request, code: str) -> Fund:
    """The fund whose claims the user handles (submit, decide, pay, cancel, pension batch): its change right and
    the personal-data right, as the services ask (:func:`services.may_handle_claims`); anyone else gets 404, as
    on the claim pages they may not see."""
    fund = fund_or_404(request, code, Action.CHANGE)
    if not may_handle_claims(request.user, fund):
        raise Http404
    return fund


def crumbs(fund: Fund, current: str = "", via: tuple[tuple[str, str], ...] = ()) -> list[dict]:
    """The fund's place (its areas, the fund), then ``via`` — the pages between, ``(label, url)`` — then the page."""
    items = area_breadcrumbs(subdistrict=fund.organisation.subdistrict, current=fund.name)
    if current:
        items[-1] = {"label": fund.name, "url": reverse("welfare:fund_detail", args=[fund.code])}
        items += [{"label": label, "url": url} for label, url in via]
        items.append({"label": current, "url": ""})
    return items


def claims_crumb(fund: Fund) -> tuple[str, str]:
    return _("Claims"), reverse("welfare:claim_list", args=[fund.code])


def member_crumb(fund: Fund, membership: Membership) -> tuple[str, str]:
    return (f"{membership.member_number} {membership.person.full_name}",
            reverse("welfare:member_detail", args=[fund.code, membership.member_number]))
