"""Fund reports: the list of reports, and one report as a page or a download (``?format=xlsx|pdf|csv``).

``?fy=2569`` chooses the fiscal year (the current one by default). The member register and the arrears list
are taken on a day: the year's last day, today while the year runs, or ``?on=25/11/2569``; the arrears list
takes ``?days=`` (the fund's own limit by default).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from chumchon.core.thai.dates import parse_date
from chumchon.core.thai.errors import DateInputError, ThaiInputError
from chumchon.welfare import report_exports, reports, services
from chumchon.welfare.selectors import sees_claims
from chumchon.welfare.views.common import crumbs, fund_or_404

MAX_DAYS = 36500


def _choices(request) -> tuple[dict, str]:
    """The fiscal year, day and arrears limit asked for, and an error message ("" when fine)."""
    choice = {"fy": reports.fiscal_year(), "on": None, "days": None}
    try:
        if request.GET.get("fy", "").strip():
            choice["fy"] = reports.fiscal_year(request.GET["fy"])
        if request.GET.get("on", "").strip():
            choice["on"] = parse_date(request.GET["on"])
        days = request.GET.get("days", "").strip()
        if days:
            if not days.isascii() or not days.isdigit() or int(days) > MAX_DAYS:
                raise DateInputError("days", "จำนวนวันค้างส่งต้องเป็นจำนวนเต็ม 0 ขึ้นไป",
                                     "days in arrears must be a whole number, 0 or more")
            choice["days"] = int(days)
    except ThaiInputError as exc:
        return {"fy": reports.fiscal_year(), "on": None, "days": None}, str(exc)
    return choice, ""


def _links(fund, query: str, user=None) -> list[dict]:
    """Every report of the fund the user may open (keeping the chosen period), and the fund status form, which has
    its own page."""
    suffix = f"?{query}" if query else ""
    claims = user is None or sees_claims(user, fund)
    links = [{"kind": k.slug, "title_th": k.title_th, "title_en": k.title_en,
              "url": reverse("welfare:report", kwargs={"code": fund.code, "kind": k.slug}) + suffix}
             for k in reports.KINDS.values() if claims or k.slug not in reports.NAMING_BENEFICIARIES]
    links.append({"kind": "status", "title_th": "แบบแสดงสถานะกองทุน", "title_en": "Fund status form",
                  "url": reverse("welfare:fund_status", args=[fund.code])})
    return links


def _query(request, **extra) -> str:
    params = {k: request.GET[k] for k in ("fy", "on", "days") if request.GET.get(k, "").strip()}
    return urlencode({**params, **extra})


@login_required
def report_index(request, code: str):
    fund = fund_or_404(request, code)
    choice, error = _choices(request)
    return render(request, "welfare/report.html", {
        "fund": fund, "report": None, "reports": _links(fund, _query(request), request.user), "fy": choice["fy"],
        "error": error, "breadcrumbs": crumbs(fund, _("Reports")),
    }, status=400 if error else 200)


@login_required
def report(request, code: str, kind: str):
    fund = fund_or_404(request, code)
    if kind not in reports.KINDS or (kind in reports.NAMING_BENEFICIARIES and not sees_claims(request.user, fund)):
        raise Http404
    fmt = request.GET.get("format", "")
    if fmt and fmt not in report_exports.FORMATS:
        raise Http404
    choice, error = _choices(request)
    meta = reports.KINDS[kind]
    breadcrumbs = crumbs(fund, _("Reports"))
    breadcrumbs[-1]["url"] = reverse("welfare:report_index", args=[fund.code])
    breadcrumbs.append({"label": meta.title_th, "url": ""})
    context = {"fund": fund, "kind": meta, "reports": _links(fund, _query(request), request.user), "fy": choice["fy"],
               "on": choice["on"], "days": choice["days"], "error": error, "breadcrumbs": breadcrumbs,
               "report": None}
    if error:
        return render(request, "welfare/report.html", context, status=400)
    result = reports.build(kind, fund, choice["fy"], on=choice["on"], days=choice["days"])
    if fmt:
        try:
            data = report_exports.render(result, fmt)
        except report_exports.ReportTooLong as exc:
            context["error"] = str(exc)
            return render(request, "welfare/report.html", context, status=400)
        if kind in reports.NAMING_MEMBERS:
            services.report_download_record(actor=request.user, fund=fund, kind=kind, fmt=fmt, rows=len(result.rows))
        response = HttpResponse(data, content_type=report_exports.FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{report_exports.filename(result, fmt)}"'
        return response
    context.update({
        "report": result, "tables": report_exports.display_tables(result),
        "downloads": [{"format": f, "url": f"?{_query(request, format=f)}"} for f in report_exports.FORMATS],
    })
    return render(request, "welfare/report.html", context)
