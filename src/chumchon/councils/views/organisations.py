"""Community organisation pages: the list in scope, one organisation and correcting it, registering (จดแจ้ง) and
de-registering."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404, user_can
from chumchon.assessments import selectors as assessment_selectors
from chumchon.councils import selectors, services
from chumchon.councils.forms import DeregisterForm, OrganisationEditForm, OrganisationRegisterForm
from chumchon.councils.models import CommunityOrganization, Registration
from chumchon.councils.views.common import apply_errors, council_or_404, crumbs
from chumchon.geo.selectors import area_breadcrumbs


@login_required
def organisation_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in CommunityOrganization.Kind.values else ""
    text = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.organisation_list(request.user, kind, text=text), 50).get_page(request.GET.get("page"))
    return render(request, "councils/organisation_list.html", {
        "page_obj": page, "kind": kind, "kinds": CommunityOrganization.Kind.choices, "q": text,
        "can_import": user_can(request.user, Action.CHANGE),
        "breadcrumbs": [{"label": _("Community organisations"), "url": ""}]})


@login_required
def organisation_detail(request, org_code: str):
    organization = get_scoped_or_404(
        CommunityOrganization.objects.select_related("organisation__subdistrict__district__province"),
        request.user, Action.VIEW, organisation__code=org_code)
    return render(request, "councils/organisation_detail.html", {
        "organization": organization, "shows_contact": selectors.shows_contact(request.user, organization),
        "edit_council": selectors.organisation_edit_council(request.user, organization),
        "registrations": selectors.organisation_registrations(request.user, organization),
        "assessments": assessment_selectors.assessments_of(request.user, organisation=organization.organisation),
        "breadcrumbs": area_breadcrumbs(subdistrict=organization.organisation.subdistrict,
                                        current=organization.name)})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, code: str, org_code: str):
    """Correct what the council's register says about an organisation registered with it
    (``services.organisation_update``). Only those who may change the organisation come here, and they see its
    contact anyway (``selectors.shows_contact``), so the form shows it as recorded."""
    council = council_or_404(request, code, Action.CHANGE)
    registered = Registration.objects.filter(council=council).values("organization")
    organization = get_scoped_or_404(
        CommunityOrganization.objects.filter(pk__in=registered).select_related("organisation__subdistrict"),
        request.user, Action.CHANGE, organisation__code=org_code)
    form = OrganisationEditForm(request.POST or None, initial={name: getattr(organization, name) for name in (
        "kind", "village_number", "founded_on", "members_count", "leaders", "contact")})
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=request.user, council=council, organization=organization,
                                         **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("councils:organisation_detail", org_code=organization.code)
    title = _("Edit %(name)s") % {"name": organization.name}
    breadcrumbs = crumbs(council, organization.name)
    breadcrumbs[-1]["url"] = reverse("councils:organisation_detail", args=[organization.code])
    breadcrumbs.append({"label": title, "url": ""})
    return render(request, "councils/form.html", {"council": council, "form": form, "title": title,
                                                  "breadcrumbs": breadcrumbs})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_register(request, code: str):
    council = council_or_404(request, code, Action.CHANGE)
    form = OrganisationRegisterForm(request.POST or None, request.FILES or None,
                                    initial={"number": selectors.next_registration_number(council)})
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.organisation_register(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Organisation registered as no. %(number)s.") % {
                "number": registration.number})
            return redirect("councils:council_detail", code=council.code)
    title = _("Register a community organisation")
    return render(request, "councils/form.html", {"council": council, "form": form, "title": title,
                                                  "breadcrumbs": crumbs(council, title)})


@login_required
@require_http_methods(["GET", "POST"])
def registration_end(request, code: str, pk: int):
    """De-register an organisation (ยกเลิกการจดแจ้ง): a page of its own naming the organisation, so that a mistake
    comes back by its field with what was typed kept."""
    council = council_or_404(request, code, Action.CHANGE)
    registration = get_scoped_or_404(Registration.objects.filter(council=council, deregistered_on=None)
                                     .select_related("organization__organisation"), request.user, Action.CHANGE,
                                     pk=pk)
    form = DeregisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_end(actor=request.user, registration=registration, on=form.cleaned_data["on"],
                                      reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Registration ended."))
            return redirect("councils:council_detail", code=council.code)
    name = registration.organization.organisation.name_th
    title = _("De-register %(name)s (no. %(number)s)") % {"name": name, "number": registration.number}
    return render(request, "councils/form.html", {"council": council, "form": form, "title": title,
                                                  "breadcrumbs": crumbs(council, title)})
