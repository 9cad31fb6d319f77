"""Import pages: upload, the check's report, confirm, progress (htmx polling), and the templates."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404, restrict, user_can
from chumchon.core.forms import apply_errors
from chumchon.dataio import archive, exports, files, selectors, services, tasks
from chumchon.dataio.forms import ExportForm, ImportForm
from chumchon.dataio.kinds import KINDS
from chumchon.dataio.lists import XLSX, file_stamp
from chumchon.dataio.models import ImportJob
from chumchon.welfare.models import Fund

CHANGES_SHOWN = 200  # on the page; the report (xlsx) has all that the check kept


def _job_or_404(request, pk: int, action: str = Action.VIEW) -> ImportJob:
    return selectors.import_or_404(request.user, pk, action)


def _crumbs(current: str = "") -> list[dict]:
    items = [{"label": _("Imports"), "url": "" if not current else "/data/imports/"}]
    if current:
        items.append({"label": current, "url": ""})
    return items


@login_required
def import_list(request):
    if not user_can(request.user, Action.CHANGE):
        raise PermissionDenied
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    jobs = selectors.import_list(request.user, status=status, kind=kind)
    return render(request, "dataio/import_list.html", {
        "page_obj": Paginator(jobs, 50).get_page(request.GET.get("page")), "kinds": KINDS.values(),
        "statuses": ImportJob.Status.choices, "kind_choices": ImportJob.Kind.choices, "status": status,
        "kind": kind, "breadcrumbs": _crumbs()})


@login_required
def import_new(request):
    if not user_can(request.user, Action.CHANGE):
        raise PermissionDenied
    kind = request.GET.get("kind")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user,
                      initial={"kind": kind} if kind in KINDS else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            job = services.job_create(actor=request.user, kind=data["kind"], file=upload, filename=upload.name,
                                      fund=data["fund"], mode=data["mode"])
        except services.ImportRefused as exc:
            form.add_error(None, str(exc))
        else:
            tasks.enqueue_check(job)
            return redirect("dataio:import_detail", pk=job.pk)
    return render(request, "dataio/import_new.html", {
        "form": form, "kinds": KINDS.values(), "breadcrumbs": _crumbs(_("New import"))})


def _next_steps(job: ImportJob) -> list[tuple[str, str]]:
    """Where to look at what a finished import wrote, and what to bring in next: ``(label, url)``."""
    Kind = ImportJob.Kind
    fund = job.fund
    steps = {
        Kind.PEOPLE: [(_("See the people"), reverse("people:person_list"))],
        Kind.COUNCILS: [(_("See the councils"), reverse("councils:council_list"))],
        Kind.ORGANISATIONS: [(_("See the organisations"), reverse("councils:organisation_list"))],
    }.get(job.kind, [])
    if fund is not None:
        book = getattr(fund.organisation, "book", None)
        steps += {
            Kind.MEMBERSHIPS: [(_("See the fund's members"), reverse("welfare:fund_detail", args=[fund.code])),
                               (_("Next: import the contribution history"),
                                reverse("dataio:import_new") + "?kind=contributions")],
            Kind.CONTRIBUTIONS: [(_("See the fund"), reverse("welfare:fund_detail", args=[fund.code]))],
            Kind.PAYOUTS: [(_("See the fund's claims"), reverse("welfare:claim_list", args=[fund.code]))],
        }.get(job.kind, [])
        if book is not None and job.kind in (Kind.CONTRIBUTIONS, Kind.PAYOUTS, Kind.OPENING_BALANCES):
            steps.append((_("See the entries in the fund's books"), reverse("ledger:journal", args=[book.code])))
    return [*steps, (_("Import another file"), reverse("dataio:import_new"))]


def _detail_context(request, job: ImportJob) -> dict:
    return {"job": job, "stalled": job.is_stalled(),
            "can_confirm": job.status == ImportJob.Status.CHECKED and job.rows_valid,
            "needs_valid_mode": job.rows_invalid > 0,
            "next_steps": _next_steps(job) if job.status == ImportJob.Status.DONE else []}


@login_required
def import_detail(request, pk: int):
    job = _job_or_404(request, pk)
    hidden = selectors.hidden_labels(job, selectors.import_hidden_columns(request.user, job))
    page = Paginator(job.problems.all(), 100).get_page(request.GET.get("page"))
    page.object_list = selectors.import_shown(page.object_list, hidden, "value")
    changes = job.changes.all()
    return render(request, "dataio/import_detail.html", {
        **_detail_context(request, job), "problems": page,
        "changes": selectors.import_shown(changes[:CHANGES_SHOWN], hidden, "old", "new"),
        "personal_hidden": bool(hidden),
        "changes_count": changes.count(), "breadcrumbs": _crumbs(f"#{job.pk} {job.filename}")})


@login_required
def import_progress(request, pk: int):
    job = _job_or_404(request, pk)
    response = render(request, "dataio/_progress.html", _detail_context(request, job))
    if not job.is_running:
        response["HX-Refresh"] = "true"  # the check or the import ended: show the full page (report, buttons)
    return response


@login_required
@require_POST
def import_confirm(request, pk: int):
    job = _job_or_404(request, pk, Action.CHANGE)
    try:
        job = services.job_confirm(actor=request.user, job=job, mode=request.POST.get("mode") or None)
    except services.ImportRefused as exc:
        messages.error(request, str(exc))
    else:
        tasks.enqueue_write(job)
    return redirect("dataio:import_detail", pk=job.pk)


@login_required
@require_POST
def import_resume(request, pk: int):
    """Start a stalled import again (its worker died): it goes on after the last batch that committed."""
    job = _job_or_404(request, pk, Action.CHANGE)
    try:
        phase = services.job_resume(actor=request.user, job=job)
    except services.ImportRefused as exc:
        messages.error(request, str(exc))
    else:
        (tasks.enqueue_check if phase == "check" else tasks.enqueue_write)(job)
    return redirect("dataio:import_detail", pk=job.pk)


@login_required
@require_POST
def import_cancel(request, pk: int):
    job = _job_or_404(request, pk, Action.CHANGE)
    try:
        services.job_cancel(actor=request.user, job=job)
    except services.ImportRefused as exc:
        messages.error(request, str(exc))
    return redirect("dataio:import_detail", pk=job.pk)


@login_required
def import_report(request, pk: int):
    job = _job_or_404(request, pk)
    response = HttpResponse(files.report_xlsx(job, hidden=selectors.import_hidden_columns(request.user, job)),
                            content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.xlsx"'
    return response


def template_download(request, kind: str, fmt: str):
    """The template of a kind (public: it holds no data)."""
    if kind not in KINDS or fmt not in ("xlsx", "csv"):
        raise Http404
    if fmt == "csv":
        response = HttpResponse(files.template_csv(kind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(files.template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="chumchon-{kind}-template.{fmt}"'
    return response


@login_required
def export(request):
    """Export a list in the import templates' columns. GET shows the form (pre-filled from ``?kind=&fund=``, as
    the lists link to it); POST sends the file, or the form again with what was wrong."""
    asked = request.GET.get("kind") or "memberships"
    initial = {"kind": asked}
    code = request.GET.get("fund")
    if code:
        initial["fund"] = restrict(Fund.objects.filter(organisation__code=code), request.user).first()
    form = ExportForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        handle = tempfile.TemporaryFile()  # written as the rows are read; FileResponse closes it once sent
        try:
            name = exports.export_to(
                handle, actor=request.user, kind=data["kind"], fund=data["fund"], fmt=data["format"],
                purpose=data["purpose"], since=data["since"], as_of=data["as_of"])
        except ValidationError as exc:
            handle.close()
            apply_errors(form, exc)
        except PermissionDenied as exc:  # the fund or its people out of the user's reach: said on the form
            handle.close()
            form.add_error(None, str(exc))
        except BaseException:
            handle.close()
            raise
        else:
            handle.seek(0)
            return FileResponse(handle, as_attachment=True, filename=name,
                                content_type=XLSX if data["format"] == "xlsx" else "text/csv; charset=utf-8")
    refused = asked in KINDS and not exports.may_export(request.user, asked)
    return render(request, "dataio/export.html", {
        "form": form, "personal": sorted(exports.PERSONAL),
        "refused_kind": ImportJob.Kind(asked).label if refused and request.method == "GET" else "",
        "breadcrumbs": [{"label": _("Export"), "url": ""}]}, status=400 if form.errors else 200)


@login_required
@require_POST
def fund_archive(request, code: str):
    """Export the whole fund as one archive (zip), to move it to another instance: its committee or a national
    administrator, with a purpose (the archive holds personal data)."""
    fund = get_scoped_or_404(Fund.objects.select_related("organisation"), request.user, Action.CHANGE,
                             organisation__code=code)
    handle = tempfile.TemporaryFile()  # FileResponse closes it once sent
    try:
        archive.fund_export(actor=request.user, fund=fund, path_or_file=handle,
                            purpose=request.POST.get("purpose", ""))
    except (ValidationError, archive.ArchiveRefused) as exc:
        handle.close()
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect("welfare:fund_detail", code=fund.code)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, content_type="application/zip",
                        filename=f"fund-{fund.code}-{file_stamp()}.zip")
