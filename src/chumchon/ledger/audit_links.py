"""Where the audit log links ledger records: a book, a journal entry (see core.audit_links)."""

from django.urls import reverse

from chumchon.core.audit_links import visible


def _books(ids: list[str], user) -> dict[str, str]:
    from chumchon.ledger.models import Book

    return {str(pk): reverse("ledger:book_detail", args=[code]) for pk, code in visible(Book, ids, user, "code")}


def _entries(ids: list[str], user) -> dict[str, str]:
    from chumchon.ledger.models import JournalEntry

    return {str(pk): reverse("ledger:entry_detail", args=[code, pk])
            for pk, code in visible(JournalEntry, ids, user, "book__code")}


LINKS = {"ledger.book": _books, "ledger.journalentry": _entries}
