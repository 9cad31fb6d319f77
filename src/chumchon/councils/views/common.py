"""What every council page needs: the council (scoped), breadcrumbs, error mapping, the fiscal year asked for."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location, get_scoped_or_404
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.fiscal import FiscalYear, fiscal_year_of
from chumchon.councils.models import Council
from chumchon.geo.selectors import area_breadcrumbs


def council_or_404(request, code: str, action: str = Action.VIEW) -> Council:
    return get_scoped_or_404(Council.objects.select_related("organisation__subdistrict__district__province",
                                                            "organisation__local_administration"),
                             request.user, action, organisation__code=code)


def can_change(user, council: Council) -> bool:
    return allows_location(user, Action.CHANGE, organisation=council.organisation,
                           subdistrict=council.organisation.subdistrict)


def crumbs(council: Council, current: str = "") -> list[dict]:
    items = area_breadcrumbs(subdistrict=council.organisation.subdistrict, current=council.name)
    if current:
        items[-1] = {"label": council.name, "url": reverse("councils:council_detail", args=[council.code])}
        items.append({"label": current, "url": ""})
    return items


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def fiscal_year_asked(request) -> FiscalYear:
    try:
        return FiscalYear.parse(request.GET.get("fy") or fiscal_year_of(timezone.localdate()).be_year)
    except (ThaiInputError, ValueError, TypeError):
        return fiscal_year_of(timezone.localdate())
