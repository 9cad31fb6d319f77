"""Assessment pages: instruments (and editing an item), the list of assessments in scope, starting one, the answer
sheet, and an assessment with its level and its dimensions against previous years."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location, get_scoped_or_404, user_can
from chumchon.assessments import selectors, services
from chumchon.assessments.forms import AnswerSheetForm, ItemEditForm, StartForm
from chumchon.assessments.models import Assessment, Instrument, Item
from chumchon.core.forms import apply_errors
from chumchon.core.models import Organisation
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.dataio.lists import ListColumn, ListExport, list_export
from chumchon.geo.models import Subdistrict


def _crumbs(*more) -> list[dict]:
    from django.urls import reverse

    return [{"label": _("Assessments"), "url": reverse("assessments:assessment_list")}, *more]


INSTRUMENTS = ListExport("instruments", "แบบประเมิน", (
    ListColumn("รหัสแบบประเมิน", "instrument_code", lambda i: i.code),
    ListColumn("ชื่อแบบประเมิน", "instrument", lambda i: i.name_th),
    ListColumn("ฉบับ", "version", lambda i: i.version_label),
    ListColumn("ประเมินอะไร", "subject_kind", lambda i: i.get_subject_kind_display()),
    ListColumn("จำนวนตัวชี้วัด", "items", lambda i: i.item_count),
    ListColumn("จำนวนการประเมิน", "assessments", lambda i: i.used),
))
ASSESSMENTS = ListExport("assessments", "ผลการประเมิน", (
    ListColumn("ปีงบประมาณ", "fiscal_year", lambda a: a.fiscal_year),
    ListColumn("แบบประเมิน", "instrument", lambda a: a.instrument.name_th),
    ListColumn("หน่วยที่ประเมิน", "subject", lambda a: a.subject_name),
    ListColumn("จังหวัด", "province", lambda a: a.subdistrict.province.name),
    ListColumn("รหัสตำบล", "subdistrict_code", lambda a: a.subdistrict_id),
    ListColumn("รหัสองค์กร", "organisation_code", lambda a: a.organisation.code if a.organisation_id else ""),
    ListColumn("ผู้ประเมิน", "kind", lambda a: a.get_mode_display()),
    ListColumn("สถานะ", "status", lambda a: a.get_status_display()),
    ListColumn("ร้อยละ", "percent", lambda a: a.percent),
    ListColumn("ระดับ", "level", lambda a: a.level_label_th),
))


@login_required
def instrument_list(request):
    instruments = selectors.instrument_list()
    if (response := list_export(request, INSTRUMENTS, instruments)) is not None:
        return response
    return render(request, "assessments/instrument_list.html", {
        "instruments": instruments,
        "breadcrumbs": _crumbs({"label": _("Instruments"), "url": ""})})


@login_required
def instrument_detail(request, pk: int):
    instrument = get_object_or_404(Instrument, pk=pk)
    latest = Instrument.objects.filter(code=instrument.code, fiscal_year=instrument.fiscal_year).aggregate(
        r=Max("revision"))["r"]
    return render(request, "assessments/instrument_detail.html", {
        "instrument": instrument, **selectors.instrument_detail(instrument),
        "can_edit": allows_location(request.user, Action.CHANGE) and latest == instrument.revision,
        "breadcrumbs": _crumbs({"label": str(instrument), "url": ""})})


@login_required
@require_http_methods(["GET", "POST"])
def instrument_item_edit(request, pk: int, item_pk: int):
    if not allows_location(request.user, Action.CHANGE):
        raise PermissionDenied
    item = get_object_or_404(Item.objects.select_related("instrument"), instrument_id=pk, pk=item_pk)
    form = ItemEditForm(request.POST or None, instance=Item.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            edited = services.instrument_item_update(actor=request.user, item=item, **{
                f: form.cleaned_data[f] for f in form.changed_data})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if edited.instrument_id != item.instrument_id:
                messages.success(request, _("The instrument was in use: the change made revision %(v)s, used by "
                                            "new assessments only.") % {"v": edited.instrument.version_label})
            else:
                messages.success(request, _("Item saved."))
            return redirect("assessments:instrument_detail", pk=edited.instrument_id)
    return render(request, "assessments/item_form.html", {
        "form": form, "item": item, "breadcrumbs": _crumbs({"label": str(item.instrument), "url": ""})})


@login_required
def assessment_list(request):
    fy = request.GET.get("fy", "")
    qs = selectors.assessment_list(request.user, fiscal_year=int(fy) if fy.isdigit() else None,
                                   instrument_code=request.GET.get("instrument", ""),
                                   level=request.GET.get("level", ""))
    if (response := list_export(request, ASSESSMENTS, qs)) is not None:
        return response
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "assessments/assessment_list.html", {
        "page_obj": page, "can_start": user_can(request.user, Action.CHANGE),
        "breadcrumbs": [{"label": _("Assessments"), "url": ""}]})


# One message whether the code is unknown or outside the user's scope, so the form does not tell which.
NO_SUBJECT = ("ไม่พบหน่วยที่จะประเมินตามรหัสนี้ในพื้นที่ที่ท่านดูแล "
              "(subject: no subdistrict or organisation with this code in your scope)")


def _subject(instrument_code: str, code: str):
    """The subdistrict or organisation a typed code names, for this instrument's kind of subject."""
    instrument = Instrument.objects.filter(code=instrument_code).first()
    if instrument is None:
        return None, None
    if instrument.subject_kind == Instrument.SubjectKind.SUBDISTRICT:
        return Subdistrict.objects.filter(code=code).first(), None
    return None, Organisation.objects.select_related("subdistrict").filter(code=code).first()


@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request):
    if not user_can(request.user, Action.CHANGE):
        raise PermissionDenied
    initial = {"fiscal_year": fiscal_year_of(timezone.localdate()).be_year, "mode": "self",
               "instrument": request.GET.get("instrument", ""), "subject": request.GET.get("subject", "")}
    form = StartForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subdistrict, organisation = _subject(data["instrument"], data["subject"].strip())
        if subdistrict is None and organisation is None:
            form.add_error("subject", NO_SUBJECT)
        else:
            try:
                assessment = services.assessment_start(
                    actor=request.user, instrument_code=data["instrument"], fiscal_year=data["fiscal_year"],
                    subdistrict=subdistrict, organisation=organisation, mode=data["mode"],
                    assessors=data["assessors"])
            except PermissionDenied:
                form.add_error("subject", NO_SUBJECT)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("assessments:assessment_answer", pk=assessment.pk)
    return render(request, "assessments/start.html", {
        "form": form, "breadcrumbs": _crumbs({"label": _("Start an assessment"), "url": ""})})


def _assessment_or_404(request, pk: int, action: str = Action.VIEW) -> Assessment:
    return get_scoped_or_404(Assessment.objects.select_related("instrument", "subdistrict__province",
                                                               "organisation"), request.user, action, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_answer(request, pk: int):
    assessment = _assessment_or_404(request, pk, Action.CHANGE)
    if assessment.status == Assessment.Status.SUBMITTED:
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    items = assessment.instrument.items.select_related("dimension").order_by("order", "code")
    form = AnswerSheetForm(request.POST or None, request.FILES or None, items=items,
                           answers=selectors.assessment_answers(assessment),
                           initial={"assessors": assessment.assessors, "assessed_on": assessment.assessed_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = {item.code: services.AnswerInput(value=data[f"answer_{item.code}"],
                                                   evidence=data[f"evidence_{item.code}"],
                                                   evidence_file=data[f"evidence_file_{item.code}"])
                   for item in form.items}
        submit = request.POST.get("action") == "submit"
        try:
            services.assessment_answer(actor=request.user, assessment=assessment, answers=answers, submit=submit,
                                       assessors=data["assessors"], assessed_on=data["assessed_on"])
        except ValidationError as exc:
            apply_errors(form, exc)
            messages.error(request, _("Nothing was saved: correct the items marked below."))
        else:
            if submit:
                messages.success(request, _("Assessment submitted."))
                return redirect("assessments:assessment_detail", pk=assessment.pk)
            messages.success(request, _("Answers saved as a draft."))
            return redirect("assessments:assessment_answer", pk=assessment.pk)
    return render(request, "assessments/answer.html", {
        "assessment": assessment, "form": form,
        "breadcrumbs": _crumbs({"label": f"{assessment.subject_name} {assessment.fiscal_year}", "url": ""})})


@login_required
def assessment_detail(request, pk: int):
    assessment = _assessment_or_404(request, pk)
    history = selectors.history(request.user, assessment) if assessment.status == "submitted" else []
    previous = history[-2] if len(history) >= 2 else None
    answers = assessment.answers.select_related("item__dimension").order_by("item__order", "item__code")
    return render(request, "assessments/assessment_detail.html", {
        "assessment": assessment, "answers": answers,
        "chart": selectors.dimensions_over_time(history) if history else None,
        "previous": previous,
        "dropped": selectors.items_dropped(request.user, previous, assessment) if previous else [],
        "can_change": services.may_assess(request.user, subdistrict=assessment.subdistrict,
                                          organisation=assessment.organisation),
        "breadcrumbs": _crumbs({"label": f"{assessment.subject_name} {assessment.fiscal_year}", "url": ""})})
