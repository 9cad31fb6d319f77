"""Council pages: the list, a council's page, entering and correcting a council, seating members and ending their
terms, meetings, proposals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404, user_can
from chumchon.assessments import selectors as assessment_selectors
from chumchon.core import uploads
from chumchon.core.thai.dates import format_date
from chumchon.councils import selectors, services
from chumchon.councils.forms import (
    CouncilEditForm,
    CouncilForm,
    FollowUpForm,
    MeetingForm,
    MemberForm,
    MemberTermEndForm,
    ProposalForm,
)
from chumchon.councils.models import CouncilMember, Meeting, Proposal
from chumchon.councils.views.common import apply_errors, can_change, council_or_404, crumbs
from chumchon.geo.models import Subdistrict


@login_required
def council_list(request):
    text = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.council_list(request.user, text=text), 50).get_page(request.GET.get("page"))
    return render(request, "councils/council_list.html", {
        "page_obj": page, "can_create": user_can(request.user, Action.CHANGE), "q": text,
        "breadcrumbs": [{"label": _("Community councils"), "url": ""}]})


@login_required
@require_http_methods(["GET", "POST"])
def council_create(request):
    if not user_can(request.user, Action.CHANGE):
        raise PermissionDenied
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subdistrict = Subdistrict.objects.filter(code=data.pop("subdistrict").strip()).first()
        if subdistrict is None:
            form.add_error("subdistrict", "ไม่พบรหัสตำบลนี้ (no subdistrict with this code)")
        else:
            try:
                council = services.council_create(actor=request.user, subdistrict=subdistrict, **data)
            except PermissionDenied:
                form.add_error("subdistrict", "ไม่มีสิทธิ์บันทึกสภาในตำบลนี้ (not allowed to enter a council here)")
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Council entered."))
                return redirect("councils:council_detail", code=council.code)
    return render(request, "councils/form.html", {
        "form": form, "title": _("Enter a community council"),
        "breadcrumbs": [{"label": _("Community councils"), "url": "/councils/"}, {"label": _("New"), "url": ""}]})


@login_required
def council_detail(request, code: str):
    council = council_or_404(request, code)
    today = timezone.localdate()
    members = list(selectors.council_members(request.user, council))
    return render(request, "councils/council_detail.html", {
        "council": council,
        "members_serving": [m for m in members if m.serves_on(today)],
        "members_coming": [m for m in members if m.term_start > today],
        "members_past": [m for m in members if m.term_end is not None and m.term_end < today],
        "registrations": selectors.council_registrations(request.user, council)[:200],
        "meetings": selectors.council_meetings(request.user, council)[:50],
        "proposals": selectors.council_proposals(request.user, council)[:50],
        "plans": selectors.council_plans(request.user, council)[:10],
        "assessments": assessment_selectors.assessments_of(request.user, organisation=council.organisation,
                                                            subdistrict=council.organisation.subdistrict)[:20],
        "can_change": can_change(request.user, council),
        "breadcrumbs": crumbs(council),
    })


def _form_page(request, council, form, title: str, template: str = "councils/form.html", **extra):
    return render(request, template, {"council": council, "form": form, "title": title,
                                      "breadcrumbs": crumbs(council, title), **extra})


@login_required
@require_http_methods(["GET", "POST"])
def council_edit(request, code: str):
    """Correct the council's name, kind, founding date and founding registration (``services.council_update``)."""
    council = council_or_404(request, code, Action.CHANGE)
    initial = {"name_th": council.organisation.name_th, "kind": council.kind, "founded_on": council.founded_on,
               "registration_number": council.registration_number, "registered_on": council.registered_on}
    form = CouncilEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_update(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("councils:council_detail", code=council.code)
    return _form_page(request, council, form, _("Edit %(name)s") % {"name": council.name})


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, code: str):
    council = council_or_404(request, code, Action.CHANGE)
    form = MemberForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_seat(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Member seated."))
            return redirect("councils:council_detail", code=council.code)
    return _form_page(request, council, form, _("Seat a council member"))


@login_required
@require_http_methods(["GET", "POST"])
def member_term_end(request, code: str, pk: int):
    """End a member's term early (resignation, death, removal): a page of its own naming the member, like the
    de-registration page, for a member whose term has not ended."""
    council = council_or_404(request, code, Action.CHANGE)
    not_ended = Q(term_end=None) | Q(term_end__gte=timezone.localdate())
    member = get_scoped_or_404(CouncilMember.objects.filter(not_ended, council=council), request.user, Action.CHANGE,
                               pk=pk)
    form = MemberTermEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_term_end(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Term ended."))
            return redirect("councils:council_detail", code=council.code)
    term = f"{format_date(member.term_start)} – {format_date(member.term_end) or '…'}"
    return _form_page(request, council, form, _("End the term of %(name)s") % {"name": member.name},
                      intro=f"{member.get_position_display()} · {_('Term')} {term}")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, code: str):
    council = council_or_404(request, code, Action.CHANGE)
    form = MeetingForm(request.POST or None, request.FILES or None, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("councils:meeting_detail", code=council.code, pk=meeting.pk)
    return _form_page(request, council, form, _("Record a meeting"))


def _meeting_or_404(request, council, pk: int) -> Meeting:
    return get_scoped_or_404(Meeting.objects.filter(council=council), request.user, Action.VIEW, pk=pk)


@login_required
def meeting_detail(request, code: str, pk: int):
    council = council_or_404(request, code)
    meeting = _meeting_or_404(request, council, pk)
    serving, quorate = meeting.quorum()
    return render(request, "councils/meeting_detail.html", {
        "council": council, "meeting": meeting, "present": meeting.present.order_by("name"),
        "serving": serving, "quorate": quorate,
        "proposals": selectors.council_proposals(request.user, council, meeting),
        "breadcrumbs": crumbs(council, _("Meeting of %(date)s") % {
            "date": format_date(meeting.date, "numeric", "th")})})


@login_required
def meeting_minutes(request, code: str, pk: int):
    """The minutes file, to users who may see the meeting: with the content type its bytes were validated as (PDF,
    JPEG or PNG, shown inline), never one guessed from the uploaded name; anything else as a download; ``nosniff``;
    named ``minutes-<council>-<date>.<type's extension>`` (:func:`chumchon.core.uploads.serve_upload`)."""
    council = council_or_404(request, code)
    meeting = _meeting_or_404(request, council, pk)
    if not meeting.minutes:
        raise Http404
    return uploads.serve_upload(meeting.minutes, f"minutes-{council.code}-{meeting.date:%Y%m%d}", uploads.SCANS)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request, code: str):
    council = council_or_404(request, code, Action.CHANGE)
    form = ProposalForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_send(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Proposal recorded."))
            return redirect("councils:council_detail", code=council.code)
    return _form_page(request, council, form, _("Record a proposal"))


@login_required
@require_http_methods(["GET", "POST"])
def proposal_follow_up(request, code: str, pk: int):
    council = council_or_404(request, code, Action.CHANGE)
    proposal = get_scoped_or_404(Proposal.objects.filter(council=council), request.user, Action.CHANGE, pk=pk)
    form = FollowUpForm(request.POST or None, initial={"status": proposal.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_follow_up(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect("councils:council_detail", code=council.code)
    return _form_page(request, council, form, _("Follow up: %(title)s") % {"title": proposal.title},
                      follow_ups=proposal.follow_ups.order_by("date", "id"))
