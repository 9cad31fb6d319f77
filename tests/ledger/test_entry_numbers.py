"""Entry numbers (เลขที่รายการ): every posted entry has one, given by the database.

Given a fund's book, when entries are posted one by one, in bulk, replayed, reversed, rolled back or dated in
another fiscal year, then each book's fiscal year numbers its entries 1, 2, 3 … in the order they were posted,
with no number missing or given twice, and ``JV2566-00001`` is how they are quoted. Code that goes around the
services can neither number an entry, change a number nor move a sequence.
"""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from chumchon.ledger import services
from chumchon.ledger.models import EntrySequence, JournalEntry, entry_label

pytestmark = pytest.mark.django_db

D = datetime.date
PAID = [("1101", "100.00", 0), ("4101", 0, "100.00")]


def numbers(book) -> list[tuple[int, int]]:
    return list(JournalEntry.objects.filter(book=book).order_by("pk").values_list("fiscal_year", "number"))


def test_numbers_run_per_book_and_fiscal_year_in_posting_order(book, other_book, post):
    first = post("2022-09-30", "สมทบ ก.ย.", PAID)  # FY 2565
    second = post("2022-10-01", "สมทบ ต.ค.", PAID)  # 1 October opens FY 2566
    third = post("2022-11-15", "สมทบ พ.ย.", PAID)
    backdated = post("2022-01-10", "สมทบ ม.ค. (บันทึกย้อนหลัง)", PAID)  # posted later, into FY 2565
    elsewhere = post("2022-11-15", "สมทบ", PAID, target=other_book)

    assert [(e.fiscal_year, e.number) for e in (first, second, third, backdated)] == [
        (2565, 1), (2566, 1), (2566, 2), (2565, 2)]
    assert numbers(book) == [(2565, 1), (2566, 1), (2566, 2), (2565, 2)]  # what the service said is stored
    assert (elsewhere.fiscal_year, elsewhere.number) == (2566, 1)  # another book counts on its own
    assert [third.label, backdated.label] == ["JV2566-00002", "JV2565-00002"]
    assert dict(EntrySequence.objects.filter(book=book).values_list("fiscal_year", "last")) == {2565: 2, 2566: 2}


def test_bulk_posting_numbers_its_entries_after_the_ones_before(book, post, system_user):
    post("2022-10-03", "สมทบ", PAID)
    made = services.entries_post(actor=system_user, book=book, entries=[
        services.EntrySpec(date=D(2022, 10, day), memo=f"วันที่ {day}", idempotency_key=f"bulk-{day}",
                           lines=[services.LineSpec(code, debit=d, credit=c) for code, d, c in PAID])
        for day in range(4, 10)
    ])
    assert sorted(e.number for e in made) == [2, 3, 4, 5, 6, 7]
    assert {e.pk: e.number for e in made} == dict(
        JournalEntry.objects.filter(pk__in=[e.pk for e in made]).values_list("pk", "number"))


def test_a_replay_keeps_its_number_and_takes_none(book, post):
    first = post("2022-10-03", "สมทบ", PAID, key="same")
    again = post("2022-10-03", "สมทบ", PAID, key="same")
    after = post("2022-10-04", "สมทบ", PAID)
    assert (again.pk, again.number) == (first.pk, 1)
    assert after.number == 2


def test_a_posting_rolled_back_gives_its_number_back(book, post):
    post("2022-10-03", "สมทบ", PAID)
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = post("2022-10-04", "สมทบ ที่ยกเลิก", PAID)
        assert lost.number == 2
        raise RuntimeError("the request failed after posting")
    kept = post("2022-10-05", "สมทบ", PAID)
    assert kept.number == 2  # no gap where the rolled-back entry was
    assert numbers(book) == [(2566, 1), (2566, 2)]


def test_a_reversal_is_numbered_and_names_the_entry_it_reverses(book, post, system_user):
    entry = post("2022-10-03", "สมทบ", PAID)
    reversal = services.entry_reverse(actor=system_user, entry=entry, idempotency_key="rev-1", reason="ใส่ผิดคน")
    assert reversal.number == 2
    assert reversal.memo.startswith("กลับรายการ JV2566-00001 (ใส่ผิดคน)")


def test_label_names_a_draft_by_its_row():
    assert entry_label(2569, 12) == "JV2569-00012"
    assert entry_label(None, None, 7) == "#7"


# -- going around the services ---------------------------------------------------------------------------------


def refused(statement: str, params=()) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
    return str(caught.value)


def test_the_database_refuses_to_number_or_renumber_by_hand(book, post):
    entry = post("2022-10-03", "สมทบ", PAID)
    draft = JournalEntry.objects.create(book=book, date=D(2022, 10, 4), memo="ร่าง", idempotency_key="draft",
                                        payload_hash="")

    assert "posted" in refused("UPDATE ledger_journalentry SET number = 9 WHERE id = %s", [entry.pk])
    assert "numbered when it is posted" in refused(
        "UPDATE ledger_journalentry SET number = 2, fiscal_year = 2566 WHERE id = %s", [draft.pk])
    with pytest.raises(DatabaseError, match="numbered when it is posted"), transaction.atomic():
        JournalEntry.objects.create(book=book, date=D(2022, 10, 5), memo="ร่าง", idempotency_key="numbered",
                                    payload_hash="", fiscal_year=2566, number=2)
    assert numbers(book) == [(2566, 1), (None, None)]


@pytest.mark.parametrize("statement", [
    "UPDATE ledger_entrysequence SET last = 0 WHERE book_id = %s",
    "DELETE FROM ledger_entrysequence WHERE book_id = %s",
    "INSERT INTO ledger_entrysequence (book_id, fiscal_year, last) VALUES (%s, 2570, 5)",
])
def test_the_database_refuses_to_move_a_sequence_by_hand(book, post, statement):
    post("2022-10-03", "สมทบ", PAID)
    assert "move only by posting" in refused(statement, [book.pk])
    assert list(EntrySequence.objects.filter(book=book).values_list("fiscal_year", "last")) == [(2566, 1)]
    assert post("2022-10-04", "สมทบ", PAID).number == 2


def test_truncating_the_sequences_is_refused(book, post):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is a PostgreSQL statement")
    post("2022-10-03", "สมทบ", PAID)
    # the posting's deferred balance check first, as TRUNCATE refuses pending ones
    assert "cannot be truncated" in refused("SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE ledger_entrysequence")
