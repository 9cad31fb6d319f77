"""Statement pages and downloads for one book or an area: thin views over ``ledger.statements``.

The period comes from ``?fy=2565`` or ``?from=…&to=…`` (Thai dates accepted), the current fiscal year by default;
``?format=xlsx|pdf|csv|json`` downloads the statement instead of showing it. A book is found through
``get_scoped_or_404``; an area needs a VIEW role whose scope covers the whole area, and adds up only the books
the user may see (answered 404 when there are none).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404
from chumchon.core.i18n import in_reader_language
from chumchon.core.thai.dates import parse_date
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.geo.selectors import area_breadcrumbs
from chumchon.ledger import exports
from chumchon.ledger import statements as st
from chumchon.ledger.models import Book
from chumchon.ledger.selectors import area_books

PAGE_SIZE = 100
TITLES = {
    "trial-balance": gettext_lazy("Trial balance"),
    "general-ledger": gettext_lazy("General ledger"),
    "cash-book": gettext_lazy("Cash book"),
    "income-expenditure": gettext_lazy("Income and expenditure by fund source"),
    "financial-position": gettext_lazy("Statement of financial position"),
    "changes-in-fund-balance": gettext_lazy("Changes in fund balance"),
}


def _lang() -> str:
    return "en" if (get_language() or "th").startswith("en") else "th"


# --- an area's books ------------------------------------------------------------------------------


def _area_scope_or_404(user, level: str, code: str) -> st.Scope:
    visible = area_books(user, level, code)
    if visible is None or not visible.exists():
        raise Http404
    return st.area_scope(level, code, books=visible)


def _book_or_404(user, book_code: str) -> Book:
    return get_scoped_or_404(Book.objects.select_related("organisation__subdistrict__district__province"), user,
                             Action.VIEW, code=book_code)


# --- period and page ------------------------------------------------------------------------------


def _period(request) -> tuple[tuple, str]:
    """(start, end) from the query string, and an error message ("" when fine). A fiscal year still running
    ends today: its position is taken as at today, not at a 30 September still to come."""
    today = timezone.localdate()
    default = fiscal_year_of(today)
    so_far = (default.start, min(default.end, today))
    try:
        if request.GET.get("from") or request.GET.get("to"):
            return st.period_of(start=parse_date(request.GET.get("from", "")),
                                end=parse_date(request.GET.get("to", ""))), ""
        if request.GET.get("fy"):
            start, end = st.period_of(fiscal_year=request.GET["fy"])
            return (start, min(end, today) if start <= today else end), ""
    except ThaiInputError as exc:
        return so_far, str(exc)
    return so_far, ""


def _index_urls(scope: st.Scope) -> tuple[str, dict]:
    if scope.is_book:
        return reverse("ledger_statements:book_index", args=[scope.code]), {"book_code": scope.code}
    return (reverse("ledger_statements:area_index", args=[scope.level, scope.code]),
            {"level": scope.level, "code": scope.code})


def _breadcrumbs(scope: st.Scope, current: str = "") -> list[dict]:
    index_url, _kwargs = _index_urls(scope)
    if scope.is_book:
        organisation = scope.book.organisation
        if organisation is not None and organisation.subdistrict is not None:
            crumbs = area_breadcrumbs(subdistrict=organisation.subdistrict, current=scope.book.name_th)
        else:
            crumbs = [{"label": scope.book.name_th, "url": ""}]
    else:
        crumbs = [{"label": scope.name, "url": ""}]
    label = crumbs[-1]["label"]
    crumbs[-1] = {"label": f"{label} · {_('Statements')}", "url": index_url if current else ""}
    if current:
        crumbs.append({"label": current, "url": ""})
    return crumbs


def _statement_links(scope: st.Scope, query: str) -> list[dict]:
    _url, kwargs = _index_urls(scope)
    name = "ledger_statements:book_statement" if scope.is_book else "ledger_statements:area_statement"
    return [{"kind": kind, "title": TITLES[kind],
             "url": reverse(name, kwargs={**kwargs, "kind": kind}) + (f"?{query}" if query else "")}
            for kind in st.KINDS]


def _period_query(request) -> str:
    return urlencode({k: request.GET[k] for k in ("fy", "from", "to") if request.GET.get(k)})


def _index(request, scope: st.Scope):
    (start, end), error = _period(request)
    return render(request, "ledger/statements/index.html", {
        "scope": scope, "statements": _statement_links(scope, _period_query(request)),
        "period_text": st.period_label(start, end, _lang()), "fy": fiscal_year_of(end).be_year,
        "start": start, "end": end, "error": error,
        "breadcrumbs": _breadcrumbs(scope),
    }, status=400 if error else 200)


def _statement(request, scope: st.Scope, kind: str):
    if kind not in st.KINDS:
        raise Http404
    (start, end), error = _period(request)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in exports.FORMATS:
        raise Http404
    account_code = request.GET.get("account", "").strip()
    context = {
        "scope": scope, "kind": kind, "title": TITLES[kind], "error": error, "start": start, "end": end,
        "fy": fiscal_year_of(end).be_year, "period_text": st.period_label(start, end, _lang()),
        "statements": _statement_links(scope, _period_query(request)),
        "breadcrumbs": _breadcrumbs(scope, str(TITLES[kind])),
        "before_closing": request.GET.get("before_closing") == "1",
        "cash": kind == "cash-book", "area": not scope.is_book,
    }
    if kind == "financial-position":
        context["period_text"] = st.period_label(None, end, _lang())
    if error:
        return render(request, "ledger/statements/statement.html", context, status=400)
    if kind == "general-ledger" and not account_code:
        context["accounts"] = st.accounts_of(scope)
        return render(request, "ledger/statements/statement.html", context)
    page_number = 1
    if not fmt and kind in ("general-ledger", "cash-book"):
        page_number = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    offset, limit = ((page_number - 1) * PAGE_SIZE, PAGE_SIZE) if not fmt else (0, None)
    try:
        statement = st.statement(kind, scope, start, end, account_code=account_code,
                                 exclude_closing=context["before_closing"], offset=offset, limit=limit)
    except st.StatementError:
        raise Http404 from None
    if fmt:
        try:
            data = exports.render(statement, fmt)
        except st.StatementError as exc:  # e.g. a listing too long for a PDF
            context["error"] = str(exc)
            return render(request, "ledger/statements/statement.html", context, status=400)
        response = HttpResponse(data, content_type=exports.FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{exports.filename(statement, fmt)}"'
        return response
    context["statement"] = statement
    if kind == "trial-balance":  # each account's line leads to its general ledger for the same period
        ledger_url = next(link["url"] for link in context["statements"] if link["kind"] == "general-ledger")
        context["account_url"] = ledger_url + ("&" if "?" in ledger_url else "?") + "account="
    if kind in ("general-ledger", "cash-book"):
        context["page_obj"] = Paginator(range(statement.line_count), PAGE_SIZE).get_page(page_number)
    if kind in ("income-expenditure", "changes-in-fund-balance"):
        items = statement.sections if kind == "income-expenditure" else statement.rows
        context["labelled"] = [(item, _source_label(item.source)) for item in items]
    context["downloads"] = [{"format": f, "url": f"?{_with_format(request, f)}"} for f in ("pdf", "xlsx", "csv",
                                                                                           "json")]
    return render(request, "ledger/statements/statement.html", context)


def _with_format(request, fmt: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = fmt
    return query.urlencode()


def _source_label(source: str) -> str:
    """A fund source as the statement's files name it (``st.source_labels``: เงินสมทบสมาชิก), in the reader's
    language: the page and its xlsx/PDF say the same."""
    return in_reader_language(*st.source_labels(source))


# --- views ----------------------------------------------------------------------------------------


@login_required
def book_index(request, book_code: str):
    return _index(request, st.book_scope(_book_or_404(request.user, book_code)))


@login_required
def book_statement(request, book_code: str, kind: str):
    return _statement(request, st.book_scope(_book_or_404(request.user, book_code)), kind)


@login_required
def area_index(request, level: str, code: str):
    return _index(request, _area_scope_or_404(request.user, level, code))


@login_required
def area_statement(request, level: str, code: str, kind: str):
    return _statement(request, _area_scope_or_404(request.user, level, code), kind)
