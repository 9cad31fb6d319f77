from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from chumchon.access.roles import Action
from chumchon.access.scoping import user_can
from chumchon.core import audit_links, selectors
from chumchon.core.audit_labels import action_label
from chumchon.core.forms import AuditFilterForm
from chumchon.dataio.lists import ListColumn, ListExport, list_export


def healthz(request):
    """For load balancers and monitoring: the app answers and the database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def csrf_failure(request, reason: str = ""):
    """A form sent without its security token (``CSRF_FAILURE_VIEW``): most often a page left open until the token
    expired, or a browser that refuses the site's cookies. Told in the site's own page, Thai first, with the way
    back to the form (nothing was saved), instead of Django's bare English page."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = ""
    return render(request, "403_csrf.html", {"back": back}, status=403)


AUDIT = ListExport("audit-log", "บันทึกการตรวจสอบ", (
    ListColumn("เวลา", "time", lambda r: r.at),
    ListColumn("ผู้ดำเนินการ", "who", lambda r: r.actor.username if r.actor_id else "ระบบ"),
    ListColumn("การดำเนินการ", "action", lambda r: r.action),
    ListColumn("คำอธิบาย", "action_label", lambda r: action_label(r.action)),
    ListColumn("ชนิดรายการ", "object_type", lambda r: r.object_type),
    ListColumn("รหัสรายการ", "object_id", lambda r: r.object_id),
    ListColumn("สรุป", "summary", lambda r: r.summary),
))


@login_required
def audit_list(request):
    if not user_can(request.user, Action.VIEW_AUDIT):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.audit_list(request.user, **{k: v for k, v in filters.items() if v})
    if form.is_bound and not form.is_valid():
        rows = rows.none()  # a filter that cannot be read shows nothing rather than everything
    if (response := list_export(request, AUDIT, rows)) is not None:
        return response
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    urls = audit_links.urls_for(page.object_list, request.user)  # one query a kind of record on the page, at most
    for row in page.object_list:
        row.link = urls.get((row.object_type, row.object_id))
    return render(request, "core/audit_list.html", {
        "page_obj": page, "form": form, "breadcrumbs": [{"label": _("Audit log"), "url": ""}],
    }, status=200 if not form.is_bound or form.is_valid() else 400)
