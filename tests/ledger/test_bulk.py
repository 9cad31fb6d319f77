"""Posting many entries at once (``entries_post``): the same books as posting them one by one, all or none."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chumchon.core.models import AuditLog
from chumchon.ledger import services
from chumchon.ledger.models import Account, JournalEntry, Line

pytestmark = pytest.mark.django_db
D = datetime.date


def bal(book, code):
    return Account.objects.get(book=book, code=code).balance


def spec(date, memo, lines, key, reference=""):
    return services.EntrySpec(date=date, memo=memo, idempotency_key=key, reference=reference,
                              lines=[services.LineSpec(code, debit=d, credit=c) for code, d, c in lines])


WORKED = [
    spec(D(2022, 1, 5), "เงินสมทบสมาชิก ม.ค.", [("1101", "300.00", 0), ("4101", 0, "300.00")], "b1"),
    spec(D(2022, 1, 20), "ฝากธนาคาร", [("1102", 250, 0), ("1101", 0, 250)], "b2"),
    spec(D(2022, 2, 1), "ค่านอนโรงพยาบาล", [("5103", 40, 0), ("1101", 0, 40)], "b3", reference="PV2565-00001"),
]


def test_worked_example_a_treasurer_can_check(book, system_user):
    """Members pay 300 in cash, 250 goes to the bank, 40 pays a hospital benefit from cash:
    cash 300 - 250 - 40 = 10, bank 250, contributions 300, benefits 40."""
    entries = services.entries_post(actor=system_user, book=book, entries=WORKED)
    assert [e.idempotency_key for e in entries] == ["b1", "b2", "b3"]
    assert all(e.status == "posted" for e in JournalEntry.objects.filter(book=book))
    assert (bal(book, "1101"), bal(book, "1102"), bal(book, "4101"), bal(book, "5103")) == (
        Decimal("10.00"), Decimal("250.00"), Decimal("300.00"), Decimal("40.00"))
    assert JournalEntry.objects.get(pk=entries[2].pk).reference == "PV2565-00001"
    assert Line.objects.filter(book=book).count() == 6
    assert AuditLog.objects.filter(action="ledger.entry_post", object_id__in=[str(e.pk) for e in entries]).count() == 3


def test_one_bad_entry_writes_nothing_and_is_named(book, system_user):
    bad = [WORKED[0], spec(D(2022, 1, 6), "ผิด", [("1101", 100, 0), ("4101", 0, 90)], "bad"), WORKED[2]]
    with pytest.raises(ValidationError) as exc:
        services.entries_post(actor=system_user, book=book, entries=bad)
    message = exc.value.message_dict["lines"][0]
    assert "รายการที่ 2" in message and "entry 2" in message and "does not balance" in message
    assert not JournalEntry.objects.filter(book=book).exists() and bal(book, "1101") == 0


@pytest.mark.parametrize("lines, code", [
    ([("9999", 100, 0), ("4101", 0, 100)], "unknown_account"),
    ([("1101", 100, 100), ("4101", 0, 0)], "one_side"),
])
def test_bad_lines_are_refused_by_code(book, system_user, lines, code):
    with pytest.raises(ValidationError) as exc:
        services.entries_post(actor=system_user, book=book, entries=[WORKED[0], spec(D(2022, 1, 6), "x", lines, "k")])
    assert exc.value.error_dict["lines"][0].code == code
    assert not JournalEntry.objects.filter(book=book).exists()


def test_replaying_the_batch_posts_nothing_new(book, system_user):
    first = services.entries_post(actor=system_user, book=book, entries=WORKED[:2])
    again = services.entries_post(actor=system_user, book=book, entries=WORKED)
    assert [e.pk for e in again[:2]] == [e.pk for e in first]
    assert JournalEntry.objects.filter(book=book).count() == 3
    assert bal(book, "1101") == Decimal("10.00")


def test_a_key_reused_for_other_content_is_refused(book, system_user):
    services.entries_post(actor=system_user, book=book, entries=WORKED[:1])
    changed = spec(D(2022, 1, 5), "เงินสมทบสมาชิก ม.ค.", [("1101", 301, 0), ("4101", 0, 301)], "b1")
    with pytest.raises(ValidationError) as exc:
        services.entries_post(actor=system_user, book=book, entries=[WORKED[1], changed])
    assert exc.value.error_dict["idempotency_key"][0].code == "key_reused"
    assert JournalEntry.objects.filter(book=book).count() == 1


def test_a_key_twice_in_one_batch_is_refused(book, system_user):
    with pytest.raises(ValidationError) as exc:
        services.entries_post(actor=system_user, book=book, entries=[WORKED[0], WORKED[0]])
    assert exc.value.error_dict["idempotency_key"][0].code == "duplicate_key"


def test_a_closed_period_is_refused_but_replays_still_answer(book, post, system_user):
    services.entries_post(actor=system_user, book=book, entries=WORKED[:1])
    services.period_close(actor=system_user, book=book, fiscal_year=2565)
    assert services.entries_post(actor=system_user, book=book, entries=WORKED[:1])[0].idempotency_key == "b1"
    with pytest.raises(ValidationError) as exc:
        services.entries_post(actor=system_user, book=book, entries=[
            spec(D(2022, 10, 1), "ปีใหม่", [("1101", 1, 0), ("4101", 0, 1)], "n1"), WORKED[1]])
    assert exc.value.error_dict["date"][0].code == "closed_period"
    assert "รายการที่ 2" in exc.value.message_dict["date"][0]


def test_many_entries_cross_the_statement_batches(book, system_user):
    entries = [spec(D(2022, 1, 1) + datetime.timedelta(days=i % 300), f"สมทบ {i}", [("1101", i + 1, 0),
                                                                                  ("4101", 0, i + 1)], f"m{i}")
               for i in range(1203)]
    posted = services.entries_post(actor=system_user, book=book, entries=entries)
    assert len({e.pk for e in posted}) == 1203
    assert bal(book, "1101") == Decimal(1203 * 1204 // 2)


AMOUNT = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
ENTRY = st.tuples(st.sampled_from(["1101", "1102", "5103", "5105"]), st.sampled_from(["4101", "4201", "1101"]),
                  AMOUNT, st.integers(0, 364))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(ENTRY, min_size=1, max_size=30))
def test_bulk_equals_one_by_one(book, other_book, system_user, batch):
    """Whatever the entries, posting them at once leaves the same balances as posting them one by one (in
    another book), and every entry balances."""
    specs = [spec(D(2021, 10, 1) + datetime.timedelta(days=day), "x", [(debit, amount, 0), (credit, 0, amount)],
                  f"h{i}") for i, (debit, credit, amount, day) in enumerate(batch) if debit != credit]
    if not specs:
        return
    with transaction.atomic():
        services.entries_post(actor=system_user, book=book, entries=specs)
        for s in specs:
            services.entry_post(actor=system_user, book=other_book, date=s.date, memo=s.memo, lines=s.lines,
                                idempotency_key=s.idempotency_key)
        ours = {a.code: a.balance for a in Account.objects.filter(book=book)}
        theirs = {a.code: a.balance for a in Account.objects.filter(book=other_book)}
        assert ours == theirs
        for entry in JournalEntry.objects.filter(book=book):
            lines = list(entry.lines.all())
            assert sum(x.debit for x in lines) == sum(x.credit for x in lines) > 0
        transaction.set_rollback(True)
