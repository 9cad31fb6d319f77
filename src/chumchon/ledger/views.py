"""Book pages: the chart with balances, the journal, one entry with its audit trail, a manual entry with live
totals, and fiscal-year closing."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location, get_scoped_or_404
from chumchon.core.forms import apply_errors
from chumchon.core.thai.dates import parse_date
from chumchon.core.thai.errors import ThaiInputError
from chumchon.dataio.lists import ListColumn, ListExport, list_export
from chumchon.ledger import selectors, services
from chumchon.ledger.forms import EntryForm, LineFormSet, ReopenForm
from chumchon.ledger.models import Book, JournalEntry

ZERO = Decimal("0.00")


def _book(request, code: str, action: str = Action.VIEW) -> Book:
    return get_scoped_or_404(Book.objects.select_related("organisation__subdistrict__district__province"),
                             request.user, action, code=code)


def _can_change(user, book: Book) -> bool:
    return allows_location(user, Action.CHANGE, organisation=book.organisation,
                           subdistrict=book.organisation.subdistrict if book.organisation else None)


def _crumbs(book: Book, current: str = "") -> list[dict]:
    from django.urls import reverse

    crumbs = [{"label": _("Books"), "url": reverse("ledger:book_list")},
              {"label": book.code, "url": reverse("ledger:book_detail", args=[book.code])}]
    if current:
        crumbs.append({"label": current, "url": ""})
    else:
        crumbs[-1]["url"] = ""
    return crumbs


BOOKS = ListExport("books", "สมุดบัญชี", (
    ListColumn("รหัสสมุดบัญชี", "book_code", lambda b: b.code),
    ListColumn("ชื่อ", "name", lambda b: b.name_th),
    ListColumn("จังหวัด", "province", lambda b: b.organisation.subdistrict.province.name if b.organisation else ""),
    ListColumn("เงินสดและเงินฝากธนาคาร (บาท)", "cash_and_bank", lambda b: b.cash or Decimal("0.00"), money=True),
))


@login_required
def book_list(request):
    books = selectors.book_list(request.user)
    if (response := list_export(request, BOOKS, books)) is not None:
        return response
    page = Paginator(books, 50).get_page(request.GET.get("page"))
    return render(request, "ledger/book_list.html", {"page_obj": page,
                                                     "breadcrumbs": [{"label": _("Books"), "url": ""}]})


@login_required
def book_detail(request, code: str):
    book = _book(request, code)
    return render(request, "ledger/book_detail.html", {
        "book": book, "chart": selectors.chart(book), "can_change": _can_change(request.user, book),
        "breadcrumbs": _crumbs(book),
    })


def _date_param(request, name):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None, ""
    try:
        return parse_date(raw), ""
    except ThaiInputError as exc:
        return None, str(exc)


@login_required
def journal(request, code: str):
    book = _book(request, code)
    start, start_error = _date_param(request, "from")
    end, end_error = _date_param(request, "to")
    errors = [e for e in (start_error, end_error) if e]
    if start and end and start > end:  # said, not answered with an empty list that looks like no entries
        errors.append("ตั้งแต่: วันเริ่มต้นต้องไม่อยู่หลังวันสิ้นสุด (From: the start date is after the end date)")
        start, end = end, start
    entries = selectors.journal(book, start=start, end=end, account_code=request.GET.get("account", "").strip(),
                                text=request.GET.get("q", "").strip())
    if not errors and (response := list_export(request, JOURNAL, selectors.journal_lines(entries))) is not None:
        return response
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "ledger/journal.html", {
        "book": book, "page_obj": page, "filters": request.GET, "errors": errors,
        "accounts": book.accounts.order_by("code"), "breadcrumbs": _crumbs(book, _("Journal")),
    })


# The journal as a file: a line a row, as an auditor reads it (entry number, date, memo, reference, account,
# debit, credit, who posted it), with the page's filters.
JOURNAL = ListExport("journal", "สมุดรายวันทั่วไป", (
    ListColumn("เลขที่รายการ", "entry", lambda li: li.entry.label),
    ListColumn("วันที่", "date", lambda li: li.date),
    ListColumn("คำอธิบาย", "memo", lambda li: li.memo or li.entry.memo),
    ListColumn("เอกสารอ้างอิง", "reference", lambda li: li.entry.reference),
    ListColumn("รหัสบัญชี", "account_code", lambda li: li.account.code),
    ListColumn("ชื่อบัญชี", "account_name", lambda li: li.account.name_th),
    ListColumn("เดบิต", "debit", lambda li: li.debit or None, money=True),
    ListColumn("เครดิต", "credit", lambda li: li.credit or None, money=True),
    ListColumn("บันทึกโดย", "posted_by", lambda li: li.entry.created_by.username if li.entry.created_by else "-"),
))


@login_required
def entry_detail(request, code: str, pk: int):
    book = _book(request, code)
    entry = get_scoped_or_404(JournalEntry.objects.select_related("reverses", "created_by"), request.user,
                              Action.VIEW, pk=pk, book=book)
    lines = list(entry.lines.select_related("account").order_by("id"))
    return render(request, "ledger/entry_detail.html", {
        "book": book, "entry": entry, "lines": lines,
        "total_debit": sum((li.debit for li in lines), ZERO), "total_credit": sum((li.credit for li in lines), ZERO),
        "reversed_by": JournalEntry.objects.filter(reverses=entry).first(),
        "audit_trail": selectors.entry_audit_trail(entry), "documents": services.entry_documents(entry),
        "closed": services.entry_in_closed_period(entry),
        "can_change": _can_change(request.user, book), "breadcrumbs": _crumbs(book, entry.label),
    })


@login_required
@require_POST
def entry_reverse(request, code: str, pk: int):
    book = _book(request, code, Action.CHANGE)
    entry = get_scoped_or_404(JournalEntry, request.user, Action.CHANGE, pk=pk, book=book)
    reason = request.POST.get("reason", "").strip()
    if len(reason) < 5:
        messages.error(request, "เหตุผลที่กลับรายการ: กรุณาระบุอย่างน้อย 5 ตัวอักษร (why reverse: give the reason, "
                                "at least 5 characters)")
        return redirect("ledger:entry_detail", code=book.code, pk=entry.pk)
    try:
        reversal = services.entry_reverse(actor=request.user, entry=entry, reason=reason,
                                          idempotency_key=services.derived_key("reverse", entry.idempotency_key))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("ledger:entry_detail", code=book.code, pk=entry.pk)
    messages.success(request, _("Entry reversed."))
    return redirect("ledger:entry_detail", code=book.code, pk=reversal.pk)


def _line_totals(formset) -> tuple[Decimal, Decimal]:
    debit = credit = ZERO
    for form in formset.forms:
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        debit += data.get("debit") or ZERO
        credit += data.get("credit") or ZERO
    return debit, credit


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request, code: str):
    book = _book(request, code, Action.CHANGE)
    if not _can_change(request.user, book):
        raise PermissionDenied
    form = EntryForm(request.POST or None)
    formset = LineFormSet(request.POST or None, form_kwargs={"book": book}, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [
            services.LineSpec(f.cleaned_data["account"], debit=f.cleaned_data.get("debit") or ZERO,
                              credit=f.cleaned_data.get("credit") or ZERO)
            for f in formset.forms if f.cleaned_data.get("account")
        ]
        try:
            entry = services.manual_entry_post(actor=request.user, book=book, **form.cleaned_data, lines=lines)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Entry posted."))
            return redirect("ledger:entry_detail", code=book.code, pk=entry.pk)
    lines_valid = not formset.is_bound or formset.is_valid()
    if not lines_valid:
        # The lines' problems also head the page (the summary reads the entry's form), each by its line number.
        form.is_valid()
        for number, line in enumerate(formset.forms, start=1):
            for name, errors in line.errors.items():
                label = line.fields[name].label if name in line.fields else ""
                form.add_error(None, _("Line %(n)s, %(field)s: %(error)s") % {
                    "n": number, "field": label, "error": errors[0]})
    # What the valid lines add up to, even when another line has a mistake (the totals never read 0.00 then).
    debit, credit = _line_totals(formset) if formset.is_bound else (ZERO, ZERO)
    return render(request, "ledger/entry_form.html", {
        "book": book, "form": form, "formset": formset, "total_debit": debit, "total_credit": credit,
        "lines_valid": lines_valid,
        "breadcrumbs": _crumbs(book, _("New journal entry")),
    })


@login_required
@require_POST
def entry_totals(request, code: str):
    """The live totals under the manual entry form (htmx): debits, credits and whether they balance."""
    book = _book(request, code, Action.CHANGE)
    formset = LineFormSet(request.POST, form_kwargs={"book": book}, prefix="lines")
    valid = formset.is_valid()
    debit, credit = _line_totals(formset) if valid else (ZERO, ZERO)
    return render(request, "ledger/_entry_totals.html", {"total_debit": debit, "total_credit": credit,
                                                          "valid": valid})


@login_required
@require_http_methods(["GET", "POST"])
def periods(request, code: str):
    book = _book(request, code)
    can_change = _can_change(request.user, book)
    reopen_form = ReopenForm(request.POST or None) if request.POST.get("action") == "reopen" else ReopenForm()
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        try:
            fiscal_year = int(request.POST.get("fiscal_year", ""))
        except ValueError:
            fiscal_year = request.POST.get("fiscal_year", "")[:20]  # refused by the service, named as typed
        try:
            if request.POST.get("action") == "close":
                if request.POST.get("confirm") != "1":
                    raise ValidationError(
                        "ปิดบัญชีแล้วแก้รายการในปีนั้นไม่ได้: ทำเครื่องหมายว่าตรวจบัญชีของปีนี้แล้วก่อนปิด (closing locks the "
                        "year's entries: tick that its books have been checked first)", code="confirm")
                services.period_close(actor=request.user, book=book, fiscal_year=fiscal_year)
                messages.success(request, _("Fiscal year %(fy)s closed.") % {"fy": fiscal_year})
                return redirect("ledger:periods", code=book.code)
            if request.POST.get("action") == "reopen" and reopen_form.is_valid():
                services.period_reopen(actor=request.user, book=book, fiscal_year=fiscal_year,
                                       reason=reopen_form.cleaned_data["reason"])
                messages.success(request, _("Fiscal year %(fy)s reopened.") % {"fy": fiscal_year})
                return redirect("ledger:periods", code=book.code)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    return render(request, "ledger/periods.html", {
        "book": book, "years": selectors.fiscal_years(book), "can_change": can_change, "reopen_form": reopen_form,
        "can_reopen": can_change and services.may_reopen(request.user),
        "breadcrumbs": _crumbs(book, _("Fiscal years")),
    })
