"""State machine: random sequences of posting, replaying, reversing, closing and reopening agree with a small
in-memory model of the books.

Given a fresh book per example, when hypothesis runs a random program of ledger services against it, then after
every step the stored running totals equal the model and the sum of the lines, the book's debits equal its
credits, every entry balances, and each refusal (unbalanced, key reused, already reversed, a closing or a reversal
reversed by hand, closed period, already closed, not closed) happens exactly when the model says it should, with
nothing written.

Size: about 300 steps locally; at least 2,000 steps when CI=true (CHUMCHON_STATEFUL_STEPS overrides).
"""

import datetime
import itertools
import os
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from chumchon.ledger import services
from chumchon.ledger.models import Account, JournalEntry, Line

pytestmark = pytest.mark.django_db

# The accounts the machine uses, written out by hand (not read from the chart) so the model stays independent:
# type, and for income and expense the fund-balance account that year-end closing moves them into.
ACCOUNTS = {
    "1101": ("asset", None),
    "1102": ("asset", None),
    "2101": ("liability", None),
    "3101": ("net_assets", None),
    "4101": ("income", "3101"),  # members' contributions -> fund balance: members
    "4201": ("income", "3102"),  # government matching -> fund balance: government
    "4401": ("income", "3105"),  # bank interest -> fund balance: interest
    "5103": ("expense", "3101"),  # hospital-stay benefit (members' money)
    "5302": ("expense", "3105"),  # bank fees (paid from interest)
}
MODEL_CODES = sorted({*ACCOUNTS, "3102", "3105"})
FISCAL_YEARS = {2565: (datetime.date(2021, 10, 1), datetime.date(2022, 9, 30)),
                2566: (datetime.date(2022, 10, 1), datetime.date(2023, 9, 30)),
                2567: (datetime.date(2023, 10, 1), datetime.date(2024, 9, 30))}
FIRST_DAY = FISCAL_YEARS[2565][0]
DAYS = (FISCAL_YEARS[2567][1] - FIRST_DAY).days

if os.environ.get("CHUMCHON_STATEFUL_STEPS"):
    TOTAL_STEPS = int(os.environ["CHUMCHON_STATEFUL_STEPS"])
else:
    TOTAL_STEPS = 3_000 if os.environ.get("CI") == "true" else 300
STEPS_PER_EXAMPLE = 50
CI_MINIMUM_STEPS = 2_000

_books = itertools.count(1)


def fiscal_year_of(day: datetime.date) -> int:
    """B.E., named by the year it ends in (reversals of closed years' entries are dated today, past 2567)."""
    return day.year + 543 + (day.month >= 10)


def baht(cents: int) -> Decimal:
    return Decimal(cents) / 100


def codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


@st.composite
def balanced_lines(draw) -> tuple[tuple[str, int, int], ...]:
    """2-4 lines, amounts in satang, debits adding up to credits (an account may appear twice)."""
    n_debit = draw(st.integers(1, 2))
    n_credit = draw(st.integers(1, 4 - n_debit))
    debits = draw(st.lists(st.integers(100, 5_000_000), min_size=n_debit, max_size=n_debit))
    total = sum(debits)
    cuts = sorted(draw(st.lists(st.integers(1, total - 1), min_size=n_credit - 1, max_size=n_credit - 1,
                                unique=True)))
    credits = [b - a for a, b in itertools.pairwise([0, *cuts, total])]
    accounts = draw(st.lists(st.sampled_from(sorted(ACCOUNTS)), min_size=n_debit + n_credit,
                             max_size=n_debit + n_credit))
    sides = [(0, d) for d in debits] + [(1, c) for c in credits]
    return tuple((code, cents if side == 0 else 0, cents if side == 1 else 0)
                 for code, (side, cents) in zip(accounts, sides, strict=True))


@dataclass
class ModelEntry:
    pk: int
    key: str
    date: datetime.date
    memo: str
    lines: tuple[tuple[str, int, int], ...]
    is_closing: bool = False
    reverses: "ModelEntry | None" = None
    reversed_by: "ModelEntry | None" = field(default=None, repr=False)
    number: int | None = None  # as the service returned it


class LedgerMachine(RuleBasedStateMachine):
    """The model: per-account debit/credit totals in satang, used keys and their payloads, posted entries,
    reversals, closed fiscal years. The book lives inside a savepoint that teardown rolls back."""

    admin = None  # a national administrator, set by the test
    steps = 0

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint_create()
        self.book = services.book_create(actor=self.admin, code=f"SM{next(_books)}-{uuid.uuid4().hex[:8]}",
                                         name_th="สมุดทดสอบ state machine")
        self.totals = {code: [0, 0] for code in MODEL_CODES}
        self.entries: list[ModelEntry] = []
        self.by_key: dict[str, ModelEntry] = {}  # every key used in the book, with what it posted
        self.closed: set[int] = set()
        self.keys = itertools.count(1)
        self.started = False

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    # -- the model ---------------------------------------------------------------------------------------------

    def _apply(self, entry: ModelEntry) -> None:
        for code, debit, credit in entry.lines:
            self.totals[code][0] += debit
            self.totals[code][1] += credit
        self.entries.append(entry)
        self.by_key[entry.key] = entry

    def _closing_lines(self, fy: int) -> tuple[tuple[str, int, int], ...]:
        start, end = FISCAL_YEARS[fy]
        net: dict[str, int] = {}
        for entry in self.entries:
            if start <= entry.date <= end:
                for code, debit, credit in entry.lines:
                    if code in ACCOUNTS and ACCOUNTS[code][1] is not None:
                        net[code] = net.get(code, 0) + debit - credit
        lines, into_fund = [], {}
        for code, amount in sorted(net.items()):
            if amount:
                lines.append((code, max(-amount, 0), max(amount, 0)))
                fund = ACCOUNTS[code][1]
                into_fund[fund] = into_fund.get(fund, 0) + amount
        for fund, amount in sorted(into_fund.items()):
            if amount:
                lines.append((fund, max(amount, 0), max(-amount, 0)))
        return tuple(lines)

    def _refused(self, call, code: str) -> None:
        with pytest.raises(ValidationError) as exc, transaction.atomic():
            call()
        assert code in codes(exc.value), (code, exc.value)

    def _post(self, day: datetime.date, lines, memo: str, key: str):
        return services.entry_post(
            actor=self.admin, book=self.book, date=day, memo=memo, idempotency_key=key,
            lines=[services.LineSpec(code, debit=baht(d), credit=baht(c)) for code, d, c in lines],
        )

    # -- rules -------------------------------------------------------------------------------------------------

    @rule(day=st.integers(0, DAYS), lines=balanced_lines(), memo=st.sampled_from(["รับเงินสมทบ", "จ่ายสวัสดิการ"]))
    def post(self, day, lines, memo):
        """Any date: posted when its fiscal year is open, refused (closed_period) when it is closed."""
        date = FIRST_DAY + datetime.timedelta(days=day)
        key = f"m-{next(self.keys)}"
        if fiscal_year_of(date) in self.closed:
            self._refused(lambda: self._post(date, lines, memo, key), "closed_period")
            return
        with transaction.atomic():
            entry = self._post(date, lines, memo, key)
        assert entry.status == JournalEntry.Status.POSTED
        self._apply(ModelEntry(entry.pk, key, date, memo, lines, number=entry.number))

    @precondition(lambda self: len(self.closed) < len(FISCAL_YEARS))
    @rule(day=st.integers(0, 365), lines=balanced_lines(), pick=st.integers(0, 2))
    def post_in_open_year(self, day, lines, pick):
        open_years = sorted(set(FISCAL_YEARS) - self.closed)
        start, end = FISCAL_YEARS[open_years[pick % len(open_years)]]
        date = min(start + datetime.timedelta(days=day), end)
        key = f"m-{next(self.keys)}"
        with transaction.atomic():
            entry = self._post(date, lines, "รายการปีที่เปิดอยู่", key)
        self._apply(ModelEntry(entry.pk, key, date, "รายการปีที่เปิดอยู่", lines, number=entry.number))

    @rule(day=st.integers(0, DAYS), lines=balanced_lines(), off_by=st.integers(-500, 500).filter(bool))
    def post_unbalanced(self, day, lines, off_by):
        code, _, credit = lines[-1]  # the last line is a credit
        credit = credit + off_by if credit + off_by > 0 else credit + abs(off_by)
        lines = (*lines[:-1], (code, 0, credit))
        date = FIRST_DAY + datetime.timedelta(days=day)
        self._refused(lambda: self._post(date, lines, "ไม่สมดุล", f"u-{next(self.keys)}"), "unbalanced")

    @precondition(lambda self: self.closed)
    @rule(pick=st.integers(0, 2), day=st.integers(0, 365), lines=balanced_lines())
    def post_into_closed_year(self, pick, day, lines):
        closed = sorted(self.closed)
        start, end = FISCAL_YEARS[closed[pick % len(closed)]]
        date = min(start + datetime.timedelta(days=day), end)
        self._refused(lambda: self._post(date, lines, "ย้อนหลัง", f"c-{next(self.keys)}"), "closed_period")

    def _replayable(self) -> list[ModelEntry]:
        return [e for key, e in self.by_key.items() if key.startswith("m-")]

    @precondition(lambda self: self._replayable())
    @rule(pick=st.integers(0, 10**6))
    def replay_same_payload(self, pick):
        """Same key, same payload: the entry already posted comes back, even if its year has closed since."""
        entries = self._replayable()
        original = entries[pick % len(entries)]
        with transaction.atomic():
            again = self._post(original.date, original.lines, original.memo, original.key)
        assert (again.pk, again.number) == (original.pk, original.number)

    @precondition(lambda self: self._replayable())
    @rule(pick=st.integers(0, 10**6), change=st.sampled_from(["amount", "memo", "date", "account"]))
    def replay_other_payload(self, pick, change):
        entries = self._replayable()
        original = entries[pick % len(entries)]
        date, memo, lines = original.date, original.memo, list(original.lines)
        if change == "amount":
            code, d, _ = lines[0]  # the first line is a debit, the last a credit: one satang more on each
            lines[0] = (code, d + 1, 0)
            code, _, c = lines[-1]
            lines[-1] = (code, 0, c + 1)
        elif change == "memo":
            memo = memo + " (แก้ไข)"
        elif change == "date":
            date = date + datetime.timedelta(days=1)
        else:
            code, d, c = lines[0]
            lines[0] = ("1102" if code != "1102" else "1101", d, c)
        self._refused(lambda: self._post(date, tuple(lines), memo, original.key), "key_reused")

    @precondition(lambda self: self.entries)
    @rule(pick=st.integers(0, 10**6))
    def reverse(self, pick):
        """Reverse any posted entry: once only; in its own date's year while that is open, else today. A year-end
        closing entry is refused (reopening its year undoes it), and so is an entry that is itself a reversal."""
        original = self.entries[pick % len(self.entries)]
        key = f"r-{next(self.keys)}"
        stored = JournalEntry.objects.get(pk=original.pk)

        def call():
            return services.entry_reverse(actor=self.admin, entry=stored, idempotency_key=key)

        if original.is_closing:
            self._refused(call, "closing_entry")
        elif original.reverses is not None:
            self._refused(call, "is_reversal")
        elif original.reversed_by is not None:
            self._refused(call, "already_reversed")
        else:
            # an entry of a closed year is reversed today, in the open year
            date = timezone.localdate() if fiscal_year_of(original.date) in self.closed else original.date
            with transaction.atomic():
                reversal = call()
            assert reversal.reverses_id == original.pk and reversal.date == date
            mirror = tuple((code, c, d) for code, d, c in original.lines)
            model = ModelEntry(reversal.pk, key, date, reversal.memo, mirror, reverses=original,
                              number=reversal.number)
            original.reversed_by = model
            self._apply(model)

    @precondition(lambda self: any(e.key.startswith("r-") for e in self.entries))
    @rule(pick=st.integers(0, 10**6))
    def replay_reversal(self, pick):
        """Reversing again with the reversal's own key returns that reversal: a retried request is harmless."""
        reversals = [e for e in self.entries if e.key.startswith("r-")]
        reversal = reversals[pick % len(reversals)]
        stored = JournalEntry.objects.get(pk=reversal.reverses.pk)
        with transaction.atomic():
            again = services.entry_reverse(actor=self.admin, entry=stored, idempotency_key=reversal.key)
        assert again.pk == reversal.pk

    @rule(pick=st.integers(0, 47))
    def close_or_reopen(self, pick):
        """A year's end: close an open year or reopen a closed one; one time in eight the wrong way round (closing
        a closed year, reopening an open one), which is refused."""
        fy = sorted(FISCAL_YEARS)[pick % 3]
        wrong_way = pick // 3 % 8 == 7
        if (fy in self.closed) != wrong_way:
            self._reopen(fy)
        else:
            self._close(fy)

    def _close(self, fy):
        def call():
            return services.period_close(actor=self.admin, book=self.book, fiscal_year=fy)

        if fy in self.closed:
            self._refused(call, "already_closed")
            return
        years = {fiscal_year_of(e.date) for e in self.entries}
        if self.entries and FISCAL_YEARS[fy][1] < min(e.date for e in self.entries):
            self._refused(call, "nothing_to_close")  # the year ended before the book's first entry
            return
        if any(year < fy and year not in self.closed for year in years):
            self._refused(call, "earlier_open")  # years close in order
            return
        expected = self._closing_lines(fy)
        with transaction.atomic():
            closing = call()
        self.closed.add(fy)
        if len(expected) < 2:
            assert closing is None
            return
        assert closing is not None and closing.is_closing and closing.date == FISCAL_YEARS[fy][1]
        stored = sorted(closing.lines.values_list("account__code", "debit", "credit"))
        assert stored == sorted((code, baht(d), baht(c)) for code, d, c in expected)
        self._apply(ModelEntry(closing.pk, closing.idempotency_key, closing.date, closing.memo, expected,
                               is_closing=True, number=closing.number))

    def _reopen(self, fy):
        def call():
            services.period_reopen(actor=self.admin, book=self.book, fiscal_year=fy, reason="แก้ไขรายการที่บันทึกผิด")

        if fy not in self.closed:
            self._refused(call, "not_closed")
            return
        if any(year > fy for year in self.closed):
            self._refused(call, "later_closed")  # the latest first
            return
        end = FISCAL_YEARS[fy][1]
        closings = [e for e in self.entries if e.is_closing and e.date == end and e.reversed_by is None
                    and e.reverses is None]
        with transaction.atomic():
            call()
        self.closed.discard(fy)
        for closing in closings:
            reversal = JournalEntry.objects.get(reverses_id=closing.pk)
            mirror = tuple((code, c, d) for code, d, c in closing.lines)
            model = ModelEntry(reversal.pk, reversal.idempotency_key, end, reversal.memo, mirror, reverses=closing,
                              number=reversal.number)
            closing.reversed_by = model
            self._apply(model)

    # -- invariants --------------------------------------------------------------------------------------------

    @invariant()
    def books_agree_with_the_model(self):
        if self.started:
            type(self).steps += 1
        self.started = True
        stored = {a.code: (a.debit_total, a.credit_total)
                  for a in Account.objects.filter(book=self.book).only("code", "debit_total", "credit_total")}
        from_lines = {row["account__code"]: (row["debit"], row["credit"]) for row in
                      Line.objects.filter(book=self.book).values("account__code")
                      .annotate(debit=Sum("debit"), credit=Sum("credit"))}
        zero = (Decimal(0), Decimal(0))
        for code, (debit, credit) in stored.items():
            model = self.totals.get(code, [0, 0])
            assert (debit, credit) == (baht(model[0]), baht(model[1])), code
            assert from_lines.get(code, zero) == (debit, credit), code
        assert sum(d for d, _ in stored.values()) == sum(c for _, c in stored.values())
        entries = JournalEntry.objects.filter(book=self.book)
        assert dict(entries.values_list("idempotency_key", "pk")) == {k: e.pk for k, e in self.by_key.items()}
        assert not entries.exclude(status=JournalEntry.Status.POSTED).exists()
        # Compared in Python: SQLite adds decimals as floats, so SUM(debit) = SUM(credit) can differ in SQL.
        per_entry = Line.objects.filter(book=self.book).values("entry").annotate(debit=Sum("debit"),
                                                                                  credit=Sum("credit"))
        assert all(row["debit"] == row["credit"] > 0 for row in per_entry)
        # Entry numbers: each fiscal year's are 1 … n with none missing or repeated, the year that of the entry's
        # date, and what the services returned is what the database holds.
        numbers = {pk: (year, number) for pk, year, number in entries.values_list("pk", "fiscal_year", "number")}
        per_year: dict[int, list[int]] = {}
        for year, number in numbers.values():
            per_year.setdefault(year, []).append(number)
        assert all(sorted(got) == list(range(1, len(got) + 1)) for got in per_year.values()), per_year
        for entry in self.by_key.values():
            assert numbers[entry.pk] == (fiscal_year_of(entry.date), entry.number), entry.pk


def test_ledger_services_agree_with_the_model(system_user):
    machine = type("LedgerStateMachine", (LedgerMachine,), {"admin": system_user, "steps": 0})
    examples = max(1, -(-TOTAL_STEPS // STEPS_PER_EXAMPLE))
    run_state_machine_as_test(machine, settings=settings(
        max_examples=examples, stateful_step_count=STEPS_PER_EXAMPLE, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    ))
    if os.environ.get("CI") == "true" and not os.environ.get("CHUMCHON_STATEFUL_STEPS"):
        assert machine.steps >= CI_MINIMUM_STEPS, f"only {machine.steps} steps ran"
