"""Reads of the books, always scoped."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.core.models import AuditLog
from chumchon.core.thai.fiscal import FiscalYear, fiscal_year_of
from chumchon.ledger.models import Account, AccountType, Book, JournalEntry, Line, Period, parse_entry_label


def book_list(user) -> QuerySet[Book]:
    return (
        restrict(Book.objects.all(), user, Action.VIEW)
        .select_related("organisation__subdistrict__province")
        .annotate(cash=Sum("accounts__debit_total", filter=Q(accounts__is_cash=True))
                  - Sum("accounts__credit_total", filter=Q(accounts__is_cash=True)))
        .order_by("code")
    )


def area_books(user, level: str, code: str) -> QuerySet[Book] | None:
    """The books of an area the user may read as the area's statements add them up: None when no role of the
    user covers the whole area or the area is unknown; else the books of the area the user may see (perhaps
    none: an area without funds yet)."""
    from chumchon.access.scoping import covers_area
    from chumchon.ledger import statements as st

    if level not in st.AREA_LEVELS or (level == "nation" and code != st.NATION_CODE):
        return None
    try:
        books = st.books_in_area(level, code)
    except (st.StatementError, ValueError):
        return None
    if not covers_area(user, level, code):
        return None
    return restrict(books, user, Action.VIEW)


def chart(book: Book) -> list[tuple[str, str, list[Account]]]:
    """The book's accounts grouped by type, in chart order, each with its running balance."""
    accounts = list(book.accounts.order_by("code"))
    return [(t.value, t.label, [a for a in accounts if a.type == t.value]) for t in AccountType]


def journal(book: Book, *, start: datetime.date | None = None, end: datetime.date | None = None,
            account_code: str = "", text: str = "") -> QuerySet[JournalEntry]:
    qs = JournalEntry.objects.filter(book=book, status=JournalEntry.Status.POSTED)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if account_code:
        qs = qs.filter(pk__in=Line.objects.filter(book=book, account__code=account_code).values("entry_id"))
    if text:
        numbered = parse_entry_label(text)  # an entry number finds that entry
        found = Q(fiscal_year=numbered[0], number=numbered[1]) if numbered else Q(pk__in=[])
        qs = qs.filter(found | Q(memo__icontains=text) | Q(reference__icontains=text))
    lines = Line.objects.select_related("account").order_by("id")
    return qs.select_related("reverses").prefetch_related(Prefetch("lines", queryset=lines)).order_by("-date", "-id")


def journal_lines(entries: QuerySet[JournalEntry]) -> QuerySet[Line]:
    """The lines of the journal's entries (its filters kept), in the journal's order, for its file."""
    return (Line.objects.filter(entry__in=entries.order_by().values("pk"))
            .select_related("entry__created_by", "account").order_by("-date", "-entry_id", "id"))


def entry_audit_trail(entry: JournalEntry) -> QuerySet[AuditLog]:
    return AuditLog.objects.filter(object_type="ledger.journalentry", object_id=str(entry.pk)).select_related("actor")


def closed_years(book, before: int | None = None) -> set[int]:
    """The book's fiscal years whose twelve periods are all closed (those before ``before`` only, if given): the one
    rule for "a closed year", used by the fiscal-years page, closing and the closing order."""
    periods = Period.objects.filter(book=book, status=Period.Status.CLOSED)
    if before is not None:
        periods = periods.filter(fiscal_year__lt=before)
    return set(periods.values("fiscal_year").annotate(n=Count("id")).filter(n=12).values_list("fiscal_year", flat=True))


def fiscal_years(book: Book) -> list[dict]:
    """Every fiscal year the book has postings or periods in, newest first, with its closing status."""
    years = set(Period.objects.filter(book=book).values_list("fiscal_year", flat=True))
    first = JournalEntry.objects.filter(book=book).order_by("date").values_list("date", flat=True).first()
    last = JournalEntry.objects.filter(book=book).order_by("-date").values_list("date", flat=True).first()
    if first and last:
        years |= set(range(fiscal_year_of(first).be_year, fiscal_year_of(last).be_year + 1))
    years.add(fiscal_year_of(timezone.localdate()).be_year)
    closed = closed_years(book)
    today = timezone.localdate()
    # for a closed year: its closing entry (the one standing, not reversed by a reopening) and who closed it, when
    closings = {e.fiscal_year: e for e in JournalEntry.objects.filter(
        book=book, is_closing=True, status=JournalEntry.Status.POSTED, reversed_by__isnull=True,
        fiscal_year__in=closed)}
    closed_by = {}
    for row in (AuditLog.objects.filter(object_type="ledger.book", object_id=str(book.pk), action="ledger.period_close")
                .select_related("actor").order_by("at")):
        year = row.summary.rsplit("FY ", 1)[-1]
        if year.isdigit():
            closed_by[int(year)] = row  # the last closing of the year
    return [{"fiscal_year": fy, "closed": fy in closed, "ended": FiscalYear(fy).end < today,
             "closing": closings.get(fy) if fy in closed else None,
             "closed_by": closed_by.get(fy) if fy in closed else None}
            for fy in sorted(years, reverse=True)]
