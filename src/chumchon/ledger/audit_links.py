"""Where the audit log links ledger records: a book, a journal entry (see core.audit_links)."""

from django.urls import reverse

from chumchon.core.audit_links import numeric


def _books(ids: list[str]) -> dict[str, str]:
    from chumchon.ledger.models import Book

    return {str(pk): reverse("ledger:book_detail", args=[code])
            for pk, code in Book.objects.filter(pk__in=numeric(ids)).values_list("pk", "code")}


def _entries(ids: list[str]) -> dict[str, str]:
    from chumchon.ledger.models import JournalEntry

    return {str(pk): reverse("ledger:entry_detail", args=[code, pk])
            for pk, code in JournalEntry.objects.filter(pk__in=numeric(ids)).values_list("pk", "book__code")}


LINKS = {"ledger.book": _books, "ledger.journalentry": _entries}
