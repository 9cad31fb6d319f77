"""People pages: list and detail (masked), register and edit, reveal personal data, export (PDPA)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.roles import Action
from chumchon.access.scoping import assignments_of, get_scoped_or_404, user_can
from chumchon.core.forms import apply_errors
from chumchon.dataio.lists import ListColumn, ListExport, list_export
from chumchon.geo.selectors import area_breadcrumbs
from chumchon.people import selectors, services
from chumchon.people.forms import PersonForm, RevealForm
from chumchon.people.models import Household, Person, PersonalData


def _registering_organisation(user):
    """The organisation a committee user registers people for (their fund), if they act for exactly one."""
    orgs = {a.organisation for a in assignments_of(user) if a.organisation_id}
    return orgs.pop() if len(orgs) == 1 else None


@login_required
def person_list(request):
    query = request.GET.get("q", "").strip()
    people = selectors.person_list(request.user, query=query)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "people/person_list.html", {
        "page_obj": page, "query": query, "can_add": user_can(request.user, Action.CHANGE),
        "breadcrumbs": [{"label": _("People"), "url": ""}],
    })


@login_required
def person_detail(request, pk: int):
    person = get_scoped_or_404(
        Person.objects.select_related("subdistrict__district__province", "household", "personal_data"),
        request.user, Action.VIEW, pk=pk,
    )
    personal = PersonalData.objects.filter(person=person).first()
    return render(request, "people/person_detail.html", {
        "person": person,
        "masked_id": selectors.masked_national_id(person),
        "masked_phone": selectors.masked_phone(personal.phone if personal else ""),
        "memberships": selectors.person_memberships(request.user, person),
        "can_reveal": user_can(request.user, Action.VIEW_PERSONAL),
        "can_edit": user_can(request.user, Action.CHANGE),
        "reveal_form": RevealForm(),
        "breadcrumbs": area_breadcrumbs(subdistrict=person.subdistrict, current=person.full_name),
    })


@login_required
@require_POST
def person_reveal(request, pk: int):
    person = get_scoped_or_404(Person, request.user, Action.VIEW, pk=pk)
    form = RevealForm(request.POST)
    personal = None
    if form.is_valid():
        try:
            personal = services.personal_data_reveal(actor=request.user, person=person,
                                                     purpose=form.cleaned_data["purpose"])
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(request, "people/person_revealed.html", {
        "person": person, "personal": personal, "form": form,
        "breadcrumbs": area_breadcrumbs(subdistrict=person.subdistrict, current=person.full_name),
    }, status=200 if personal else 400)


@login_required
@require_POST
def person_export(request, pk: int):
    """Everything held about a person, as JSON, with the reason asked as for showing their data (a GET exported
    without one, and logged a data subject's request that nobody had made)."""
    person = get_scoped_or_404(Person, request.user, Action.VIEW_PERSONAL, pk=pk)
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            return _json_download(services.person_export(actor=request.user, person=person,
                                                         purpose=form.cleaned_data["purpose"]), person)
        except ValidationError as exc:
            apply_errors(form, exc)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("people:person_detail", pk=person.pk)


@login_required
@require_POST
def my_data_export(request):
    """A person's own copy of everything held about them (PDPA s.30), from their "My record" page."""
    try:
        data = services.own_data_export(actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("home")
    return _json_download(data, request.user.person)


def _json_download(data: dict, person: Person) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    if not user_can(request.user, Action.CHANGE):
        raise PermissionDenied
    organisation = _registering_organisation(request.user)
    initial = {"subdistrict": organisation.subdistrict_id} if organisation and organisation.subdistrict_id else {}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, registered_by=organisation, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("subdistrict", _("You may not register people in this subdistrict."))
        else:
            messages.success(request, _("Person registered."))
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {
        "form": form, "breadcrumbs": [{"label": _("People"), "url": "/people/"}, {"label": _("Register"), "url": ""}],
    })


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = get_scoped_or_404(Person.objects.select_related("subdistrict"), request.user, Action.CHANGE, pk=pk)
    initial = {
        "title": person.title, "first_name": person.first_name, "last_name": person.last_name,
        "birth_date": person.birth_date, "sex": person.sex, "house_number": person.house_number,
        "village_number": person.village_number, "subdistrict": person.subdistrict_id,
    }
    form = PersonForm(request.POST or None, initial=initial)
    # The national ID and phone are not pre-filled: editing must not reveal them. Empty means "keep".
    form.fields["national_id"].help_text = _("Leave empty to keep the current value.")
    form.fields["phone"].help_text = _("Leave empty to keep the current value.")
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k not in {"national_id", "phone", "email"}}
        for key in ("national_id", "phone", "email"):
            if form.cleaned_data.get(key):
                changes[key] = form.cleaned_data[key]
        try:
            services.person_update(actor=request.user, person=person, **changes)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {
        "form": form, "person": person,
        "breadcrumbs": area_breadcrumbs(subdistrict=person.subdistrict, current=person.full_name),
    })


HOUSEHOLDS = ListExport("households", "ครัวเรือน", (
    ListColumn("รหัสครัวเรือน", "household_code", lambda h: h.code),
    ListColumn("บ้านเลขที่", "house_number", lambda h: h.house_number),
    ListColumn("หมู่ที่", "village_number", lambda h: h.village_number),
    ListColumn("ตำบล", "subdistrict", lambda h: h.subdistrict.name),
    ListColumn("อำเภอ", "district", lambda h: h.subdistrict.district.name),
    ListColumn("จังหวัด", "province", lambda h: h.subdistrict.province.name),
    ListColumn("รหัสตำบล", "subdistrict_code", lambda h: h.subdistrict_id),
))


@login_required
def household_list(request):
    households = selectors.household_list(request.user)
    if (response := list_export(request, HOUSEHOLDS, households)) is not None:
        return response
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    return render(request, "people/household_list.html", {
        "page_obj": page, "breadcrumbs": [{"label": _("Households"), "url": ""}],
    })


@login_required
def household_detail(request, pk: int):
    household = get_scoped_or_404(Household.objects.select_related("subdistrict"), request.user, Action.VIEW, pk=pk)
    members = selectors.person_list(request.user).filter(household=household)
    return render(request, "people/household_detail.html", {
        "household": household, "members": members,
        "breadcrumbs": area_breadcrumbs(subdistrict=household.subdistrict, current=household.code),
    })
