"""Bypassing the services: the database itself refuses every write that would break the books.

Given a book with posted entries, a closed fiscal year and a balanced draft, when code goes around
``ledger.services`` (raw SQL, ``bulk_create``, ``QuerySet.update``/``delete``), then the database raises an error
naming the broken rule and no running total moves. Runs on whichever backend the suite is on.

PostgreSQL checks the balance of a posted entry in a DEFERRED constraint trigger (at COMMIT); the test transaction
never commits, so each case first runs ``SET CONSTRAINTS ALL IMMEDIATE`` to make it fire at the statement.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from chumchon.ledger import services
from chumchon.ledger.models import Account, JournalEntry, Line

pytestmark = pytest.mark.django_db

D = datetime.date


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def immediate() -> None:
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")


def snapshot():
    return (
        list(Account.objects.order_by("pk").values_list("pk", "debit_total", "credit_total")),
        list(JournalEntry.objects.order_by("pk").values_list("pk", "status", "date", "book_id")),
        list(Line.objects.order_by("pk").values_list("pk", "entry_id", "account_id", "debit", "credit", "date")),
    )


def draft(book, date, lines, key):
    """A draft built without the services: an entry row, then its lines with bulk_create."""
    entry = JournalEntry.objects.create(book=book, date=date, memo="ร่าง", idempotency_key=key, payload_hash="")
    accounts = {a.code: a for a in Account.objects.filter(book=book)}
    Line.objects.bulk_create([Line(entry=entry, book=book, account=accounts[code], date=date, debit=Decimal(d),
                                   credit=Decimal(c)) for code, d, c in lines])
    return entry


@pytest.fixture
def ledger(book, other_book, post, system_user):
    """Posted entries in FY 2565 (then closed) and FY 2566, a balanced draft in FY 2566, a second book."""
    in_closed = post("2022-03-01", "สมทบสมาชิก", [("1101", "500.00", 0), ("4101", 0, "500.00")])
    services.period_close(actor=system_user, book=book, fiscal_year=2565)
    posted = post("2022-11-15", "ค่านอนโรงพยาบาล", [("5103", "120.50", 0), ("1101", 0, "120.50")])
    post("2022-11-16", "สมทบ", [("1101", "1000.00", 0), ("4101", 0, "1000.00")])
    services.entry_post(actor=system_user, book=other_book, date=D(2022, 11, 1), memo="สมทบ", idempotency_key="b-1",
                        lines=[services.LineSpec("1101", debit=70), services.LineSpec("4101", credit=70)])
    return SimpleNamespace(
        book=book, other=other_book, posted=posted, in_closed=in_closed,
        line=posted.lines.order_by("pk").first(),
        draft=draft(book, D(2022, 12, 1), [("1102", "10.00", 0), ("1101", 0, "10.00")], "draft-1"),
        cash=Account.objects.get(book=book, code="1101"),
        other_cash=Account.objects.get(book=other_book, code="1101"),
        other_income=Account.objects.get(book=other_book, code="4101"),
    )


def _insert_entry_raw(c, status, key, date=None) -> int:
    date = date or D(2022, 12, 2)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_journalentry (book_id, date, memo, reference, idempotency_key, payload_hash, status,"
            " is_closing, created) VALUES (%s, %s, 'raw', '', %s, '', %s, %s, %s) RETURNING id",
            [c.book.pk, date, key, status, False, timezone.now()],
        )
        return cursor.fetchone()[0]


def _insert_line_raw(c, entry_id, account_id, debit, credit, date=None, book_id=None) -> None:
    date = date or D(2022, 12, 2)
    sql("INSERT INTO ledger_line (entry_id, book_id, account_id, date, debit, credit, memo)"
        " VALUES (%s, %s, %s, %s, %s, %s, '')", [entry_id, book_id or c.book.pk, account_id, date, debit, credit])


# -- the bypass attempts: each a function of the fixture namespace, with a fragment of the expected message ---------

def raw_insert_posted_entry(c):
    _insert_entry_raw(c, "posted", "raw-posted")


def raw_unbalanced_entry_posted(c):
    entry_id = _insert_entry_raw(c, "draft", "raw-unbalanced")
    _insert_line_raw(c, entry_id, c.cash.pk, "100.00", "0")
    _insert_line_raw(c, entry_id, Account.objects.get(book=c.book, code="4101").pk, "0", "90.00")
    sql("UPDATE ledger_journalentry SET status = 'posted' WHERE id = %s", [entry_id])


def bulk_create_posted_entry(c):
    JournalEntry.objects.bulk_create([JournalEntry(book=c.book, date=D(2022, 12, 3), memo="x", idempotency_key="bc",
                                                   status=JournalEntry.Status.POSTED)])


def bulk_created_unbalanced_draft_posted(c):
    entry = draft(c.book, D(2022, 12, 4), [("1101", "100.00", 0), ("4101", 0, "99.99")], "bc-unbalanced")
    JournalEntry.objects.filter(pk=entry.pk).update(status=JournalEntry.Status.POSTED)


def empty_draft_posted(c):
    entry = JournalEntry.objects.create(book=c.book, date=D(2022, 12, 5), memo="ว่าง", idempotency_key="empty")
    JournalEntry.objects.filter(pk=entry.pk).update(status=JournalEntry.Status.POSTED)


def raw_update_posted_line(c):
    sql("UPDATE ledger_line SET debit = debit + 1 WHERE id = %s", [c.line.pk])


def queryset_update_posted_lines(c):
    Line.objects.filter(entry=c.posted, debit__gt=0).update(debit=F("debit") * 2)


def queryset_update_posted_line_account(c):
    Line.objects.filter(pk=c.line.pk).update(account=Account.objects.get(book=c.book, code="5301"))


def raw_delete_posted_line(c):
    sql("DELETE FROM ledger_line WHERE id = %s", [c.line.pk])


def queryset_delete_posted_lines(c):
    Line.objects.filter(entry=c.posted).delete()


def raw_insert_line_into_posted_entry(c):
    _insert_line_raw(c, c.posted.pk, c.cash.pk, "5.00", "0", date=c.posted.date)


def bulk_create_line_into_posted_entry(c):
    Line.objects.bulk_create([Line(entry=c.posted, book=c.book, account=c.cash, date=c.posted.date,
                                   debit=Decimal("5.00"))])


def move_draft_line_into_posted_entry(c):
    Line.objects.filter(entry=c.draft).update(entry=c.posted, date=c.posted.date)


def raw_unpost_entry(c):
    sql("UPDATE ledger_journalentry SET status = 'draft' WHERE id = %s", [c.posted.pk])


def queryset_unpost_entry(c):
    JournalEntry.objects.filter(pk=c.posted.pk).update(status=JournalEntry.Status.DRAFT)


def queryset_redate_posted_entry(c):
    JournalEntry.objects.filter(pk=c.posted.pk).update(date=D(2023, 1, 1))


def raw_delete_posted_entry(c):
    sql("DELETE FROM ledger_journalentry WHERE id = %s", [c.posted.pk])


def queryset_update_debit_total(c):
    Account.objects.filter(pk=c.cash.pk).update(debit_total=F("debit_total") + 1)


def raw_update_credit_total(c):
    sql("UPDATE ledger_account SET credit_total = 0 WHERE id = %s", [c.cash.pk])


def create_account_with_totals(c):
    Account.objects.bulk_create([Account(book=c.book, code="1999", name_th="บัญชีแอบ", type="asset",
                                         debit_total=Decimal("1000000.00"))])


def raw_insert_account_with_totals(c):
    sql("INSERT INTO ledger_account (book_id, code, name_th, name_en, type, fund_source, standard_code, is_cash,"
        " is_active, debit_total, credit_total) VALUES (%s, '1998', 'x', '', 'asset', '', '', %s, %s, 0, 50)",
        [c.book.pk, False, True])


def raw_delete_account_with_lines(c):
    sql("DELETE FROM ledger_account WHERE id = %s", [c.cash.pk])


def line_dated_unlike_its_entry(c):
    Line.objects.bulk_create([Line(entry=c.draft, book=c.book, account=c.cash, date=D(2022, 12, 31),
                                   debit=Decimal("1.00"))])


def line_redated_unlike_its_entry(c):
    Line.objects.filter(entry=c.draft).update(date=D(2022, 12, 31))


def line_in_another_book_than_its_entry(c):
    Line.objects.bulk_create([Line(entry=c.draft, book=c.other, account=c.other_cash, date=c.draft.date,
                                   debit=Decimal("1.00"))])


def line_on_account_of_another_book(c):
    Line.objects.bulk_create([Line(entry=c.draft, book=c.book, account=c.other_income, date=c.draft.date,
                                   credit=Decimal("1.00"))])


def draft_line_moved_to_account_of_another_book(c):
    Line.objects.filter(entry=c.draft, credit__gt=0).update(account=c.other_income)


def draft_with_lines_moved_to_another_book(c):
    JournalEntry.objects.filter(pk=c.draft.pk).update(book=c.other)


def line_with_both_sides_zero(c):
    Line.objects.bulk_create([Line(entry=c.draft, book=c.book, account=c.cash, date=c.draft.date)])


def raw_post_into_closed_period(c):
    entry = draft(c.book, D(2022, 6, 30), [("5103", "40.00", 0), ("1101", 0, "40.00")], "late")
    sql("UPDATE ledger_journalentry SET status = 'posted' WHERE id = %s", [entry.pk])


def service_post_then_queryset_update(c):
    entry = services.entry_post(actor=None, book=c.book, date=D(2022, 12, 6), memo="รับ", idempotency_key="svc",
                                lines=[services.LineSpec("1101", debit=5), services.LineSpec("4101", credit=5)])
    Line.objects.filter(entry=entry, credit__gt=0).update(credit=F("credit") + 1)


CASES = [
    (raw_insert_posted_entry, "an entry is inserted as a draft"),
    (raw_unbalanced_entry_posted, "does not balance"),
    (bulk_create_posted_entry, "an entry is inserted as a draft"),
    (bulk_created_unbalanced_draft_posted, "does not balance"),
    (empty_draft_posted, "does not balance"),
    (raw_update_posted_line, "lines of a posted entry cannot"),
    (queryset_update_posted_lines, "lines of a posted entry cannot"),
    (queryset_update_posted_line_account, "lines of a posted entry cannot"),
    (raw_delete_posted_line, "lines of a posted entry cannot"),
    (queryset_delete_posted_lines, "lines of a posted entry cannot"),
    (raw_insert_line_into_posted_entry, "lines of a posted entry cannot"),
    (bulk_create_line_into_posted_entry, "lines of a posted entry cannot"),
    (move_draft_line_into_posted_entry, "lines of a posted entry cannot"),
    (raw_unpost_entry, "a posted entry cannot change"),
    (queryset_unpost_entry, "a posted entry cannot change"),
    (queryset_redate_posted_entry, "a posted entry cannot change"),
    (raw_delete_posted_entry, "a posted entry cannot be deleted"),
    (queryset_update_debit_total, "account totals change only by posting"),
    (raw_update_credit_total, "account totals change only by posting"),
    (create_account_with_totals, "a new account starts at zero"),
    (raw_insert_account_with_totals, "a new account starts at zero"),
    (raw_delete_account_with_lines, "an account with lines cannot be deleted"),
    (line_dated_unlike_its_entry, "line book/date must match its entry"),
    (line_redated_unlike_its_entry, "line book/date must match its entry"),
    (line_in_another_book_than_its_entry, "line book/date must match its entry"),
    (line_on_account_of_another_book, "the account belongs to another book"),
    # SQLite's update trigger reports an account of another book with the book/date message
    (draft_line_moved_to_account_of_another_book, ("the account belongs to another book",
                                                   "line book/date must match its entry")),
    (draft_with_lines_moved_to_another_book, "cannot move an entry with lines"),
    (line_with_both_sides_zero, "ledger_line_one_side_positive"),
    (raw_post_into_closed_period, "the period of this date is closed"),
    (service_post_then_queryset_update, "lines of a posted entry cannot"),
]


@pytest.mark.parametrize("attempt, message", CASES, ids=[case.__name__ for case, _ in CASES])
def test_bypass_is_refused_and_totals_do_not_move(ledger, attempt, message):
    before = snapshot()
    with pytest.raises(DatabaseError) as exc, transaction.atomic():
        immediate()
        attempt(ledger)
    assert any(fragment in str(exc.value) for fragment in ((message,) if isinstance(message, str) else message))
    assert snapshot() == before


# -- gaps found while writing these tests (reported to the lead; remove the xfail when the SQL rule is fixed) --------

def move_account_with_lines_to_another_book(c):
    sql("UPDATE ledger_account SET book_id = %s, code = '1999' WHERE id = %s", [c.other.pk, c.cash.pk])


def truncate_lines(c):
    sql("TRUNCATE ledger_line")


def truncate_entries_cascade(c):
    sql("TRUNCATE ledger_journalentry CASCADE")


def sqlite_posting_guard_row_deleted(c):
    sql("DELETE FROM ledger_posting_guard")
    sql("UPDATE ledger_account SET debit_total = debit_total + 1000 WHERE id = %s", [c.cash.pk])


def sqlite_posting_guard_switched_on(c):
    sql("UPDATE ledger_posting_guard SET active = 1")
    sql("UPDATE ledger_account SET debit_total = debit_total + 1000 WHERE id = %s", [c.cash.pk])
    sql("UPDATE ledger_posting_guard SET active = 0")


GAPS = [
    (sqlite_posting_guard_switched_on, "sqlite",
     "plain DML can switch ledger_posting_guard on (SQLite cannot tell a trigger's statement from the caller's); "
     "chumchon ledger_verify finds totals that disagree with their lines"),
]

FIXED = [
    (move_account_with_lines_to_another_book, None, "an account with lines cannot move to another book"),
    (truncate_lines, "postgresql", "cannot be truncated"),
    (truncate_entries_cascade, "postgresql", "cannot be truncated"),
    (sqlite_posting_guard_row_deleted, "sqlite", "cannot be removed"),
]


@pytest.mark.parametrize("attempt, vendor, message", FIXED, ids=[a.__name__ for a, _, _ in FIXED])
def test_former_gap_is_refused(ledger, attempt, vendor, message):
    if vendor and connection.vendor != vendor:
        pytest.skip(f"{vendor} only")
    before = snapshot()
    with pytest.raises(DatabaseError) as exc, transaction.atomic():
        immediate()
        attempt(ledger)
    assert message in str(exc.value)
    assert snapshot() == before


@pytest.mark.parametrize("attempt, vendor, gap", [
    pytest.param(attempt, vendor, gap, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=gap),
                 id=attempt.__name__) for attempt, vendor, gap in GAPS
])
def test_known_gap_is_refused(ledger, attempt, vendor, gap):
    if vendor and connection.vendor != vendor:
        pytest.skip(f"{vendor} only")
    before = snapshot()
    refused = False
    try:
        with transaction.atomic():
            immediate()
            attempt(ledger)
            transaction.set_rollback(True)  # accepted: undo it all the same
    except DatabaseError:
        refused = True
    assert refused, gap
    assert snapshot() == before


def test_the_same_statements_post_a_balanced_draft(ledger):
    """The control case: a balanced draft posted by a raw UPDATE is accepted and moves the running totals, so the
    refusals above come from the rules, not from the statements."""
    bank = Account.objects.get(book=ledger.book, code="1102")
    cash_before, bank_before = ledger.cash.credit_total, bank.debit_total
    immediate()
    sql("UPDATE ledger_journalentry SET status = 'posted' WHERE id = %s", [ledger.draft.pk])
    ledger.cash.refresh_from_db()
    bank.refresh_from_db()
    assert ledger.cash.credit_total - cash_before == bank.debit_total - bank_before == Decimal("10.00")


def test_draft_lines_can_still_change(ledger):
    Line.objects.filter(entry=ledger.draft).update(debit=F("debit") * 2, credit=F("credit") * 2)
    Line.objects.filter(entry=ledger.draft).delete()
    JournalEntry.objects.filter(pk=ledger.draft.pk).delete()
    assert not JournalEntry.objects.filter(pk=ledger.draft.pk).exists()
