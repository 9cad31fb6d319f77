"""Every write to the books: creating a book, posting, reversing, closing and reopening a fiscal year.

All take an explicit actor and, where a write can be retried, an idempotency key: the same key with the same
payload returns the entry already posted; with a different payload it is refused. Python checks first to give
a clear Thai (English) message; the database triggers (``ledger/sql/``) hold the same rules when Python is
bypassed.
"""

import datetime
import hashlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from chumchon.access.roles import Role, ScopeKind
from chumchon.access.scoping import assignments_of
from chumchon.core import changes
from chumchon.core.audit import audit_record, audit_record_many
from chumchon.core.bulk import chunks
from chumchon.core.errors import field_error as _error
from chumchon.core.thai.dates import format_date
from chumchon.core.thai.errors import DateInputError
from chumchon.core.thai.fiscal import FiscalYear
from chumchon.core.thai.money import to_baht
from chumchon.ledger.charts import FUND_BALANCE_BY_SOURCE, TEMPLATES
from chumchon.ledger.models import Account, AccountType, Book, JournalEntry, Line, Period
from chumchon.ledger.selectors import closed_years

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineSpec:
    """One line to post: an account (by code in the book, or the Account) and a debit or a credit."""

    account: str | Account
    debit: Decimal | int | str = ZERO
    credit: Decimal | int | str = ZERO
    memo: str = ""


@transaction.atomic
def book_create(*, actor, code: str, name_th: str, organisation=None, template: str = "welfare_fund") -> Book:
    """Open a book with the accounts of a chart template (the welfare-fund chart by default)."""
    if Book.objects.filter(code=code).exists():
        raise _error("code", f"มีสมุดบัญชีรหัส {code} แล้ว", f"a book with code {code} exists", "duplicate")
    if template not in TEMPLATES:
        raise _error("template", "ไม่รู้จักผังบัญชีนี้", f"unknown chart template {template!r}", "unknown")
    book = Book.objects.create(code=code, name_th=name_th, organisation=organisation, template=template)
    Account.objects.bulk_create([
        Account(book=book, code=t.code, name_th=t.name_th, name_en=t.name_en, type=t.type,
                fund_source=t.fund_source, standard_code=t.code, is_cash=t.is_cash)
        for t in TEMPLATES[template]
    ])
    audit_record(actor=actor, action="ledger.book_create", obj=book, summary=f"{code} {name_th}",
                 organisation=organisation)
    return book


def _payload_hash(date: datetime.date, memo: str, reference: str, lines: list[tuple[int, Decimal, Decimal]],
                  reverses_id: int | None) -> str:
    canonical = json.dumps({
        "date": date.isoformat(), "memo": memo, "reference": reference, "reverses": reverses_id,
        "lines": sorted([a, str(d), str(c)] for a, d, c in lines),
    }, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_amounts(lines: list[LineSpec]) -> list[tuple[str | Account, Decimal, Decimal, str]]:
    """Each line's amounts (two places, exactly one side above zero) and the entry's balance: no database needed."""
    if len(lines) < 2:
        raise _error("lines", "รายการต้องมีอย่างน้อยสองบรรทัด", "an entry needs at least two lines", "too_few")
    checked = []
    total_debit = total_credit = ZERO
    for n, spec in enumerate(lines, start=1):
        try:
            debit, credit = to_baht(spec.debit or 0), to_baht(spec.credit or 0)
        except (TypeError, ValueError) as exc:
            raise _error("lines", f"บรรทัด {n}: จำนวนเงินไม่ถูกต้อง", f"line {n}: invalid amount ({exc})",
                         "amount") from exc
        if Decimal(str(spec.debit or 0)) != debit or Decimal(str(spec.credit or 0)) != credit:
            raise _error("lines", f"บรรทัด {n}: จำนวนเงินมีทศนิยมเกินสองตำแหน่ง",
                         f"line {n}: amounts have at most two decimal places", "precision")
        if (debit > 0) == (credit > 0) or debit < 0 or credit < 0:
            raise _error("lines", f"บรรทัด {n}: ต้องมีเดบิตหรือเครดิตอย่างใดอย่างหนึ่งที่มากกว่าศูนย์",
                         f"line {n}: exactly one of debit or credit must be above zero", "one_side")
        total_debit += debit
        total_credit += credit
        checked.append((spec.account, debit, credit, spec.memo))
    if total_debit != total_credit:
        raise _error("lines", f"รายการไม่สมดุล: เดบิต {total_debit:,.2f} เครดิต {total_credit:,.2f}",
                     f"entry does not balance: debits {total_debit:,.2f}, credits {total_credit:,.2f}", "unbalanced")
    return checked


_qn = connection.ops.quote_name
# The entry's accounts (by code or id, in id order, locked on PostgreSQL so that concurrent posters queue in one
# order instead of deadlocking) and, in the same row, the closed period the date falls in, if any: one round trip.
_ACCOUNTS_SQL = (
    f"SELECT a.id, a.code, a.is_active, (SELECT p.fiscal_year * 100 + p.month FROM {Period._meta.db_table} p"
    f" WHERE p.book_id = %s AND p.status = '{Period.Status.CLOSED}' AND p.start <= %s AND p.{_qn('end')} >= %s"
    f" LIMIT 1) FROM {Account._meta.db_table} a WHERE a.book_id = %s AND ({{where}}) ORDER BY a.id{{lock}}"
)
# A replayed key inserts nothing (and returns no id); the caller then compares payloads.
_ENTRY_SQL = (
    f"INSERT INTO {JournalEntry._meta.db_table} (book_id, date, memo, reference, idempotency_key, payload_hash,"
    " status, reverses_id, is_closing, created_by_id, created) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (book_id, idempotency_key) DO NOTHING RETURNING id"
)
_ENTRIES_SQL = (
    f"INSERT INTO {JournalEntry._meta.db_table} (book_id, date, memo, reference, idempotency_key, payload_hash,"
    " status, reverses_id, is_closing, created_by_id, created) VALUES "
)
_ENTRY_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
_ENTRIES_RETURNING = " ON CONFLICT (book_id, idempotency_key) DO NOTHING RETURNING id, idempotency_key"
_LINES_SQL = f"INSERT INTO {Line._meta.db_table} (entry_id, book_id, account_id, date, debit, credit, memo) VALUES "
_POSTED_SQL = f"UPDATE {JournalEntry._meta.db_table} SET status = '{JournalEntry.Status.POSTED}' WHERE id = %s"
_POSTED_MANY_SQL = f"UPDATE {JournalEntry._meta.db_table} SET status = '{JournalEntry.Status.POSTED}' WHERE id IN "
# The numbers the posting trigger gave (SQLite's RETURNING does not see what an AFTER trigger wrote).
_NUMBERS_SQL = f"SELECT id, fiscal_year, number FROM {JournalEntry._meta.db_table} WHERE id IN "


def _read_accounts(cursor, book: Book, date: datetime.date, specs) -> tuple[dict, int | None]:
    """Rows ``{code or id: (id, code, is_active)}`` of the accounts named in ``specs``, and the closed period
    (``fiscal_year * 100 + month``) that ``date`` falls in, or None."""
    codes = sorted({a for a in specs if isinstance(a, str)})
    ids = sorted({a.pk for a in specs if isinstance(a, Account)})
    where = " OR ".join(filter(None, [
        f"a.code IN ({', '.join(['%s'] * len(codes))})" if codes else "",
        f"a.id IN ({', '.join(['%s'] * len(ids))})" if ids else "",
    ]))
    lock = " FOR UPDATE OF a" if connection.vendor == "postgresql" else ""
    day = connection.ops.adapt_datefield_value(date)
    cursor.execute(_ACCOUNTS_SQL.format(where=where, lock=lock), [book.pk, day, day, book.pk, *codes, *ids])
    found, closed = {}, None
    for pk, code, active, period in cursor.fetchall():
        found[code] = found[pk] = (pk, code, bool(active))
        closed = period
    return found, closed


def _resolve(found: dict, checked, where_th: str = "", where_en: str = "",
             inactive_ok: bool = False) -> list[tuple[int, Decimal, Decimal, str]]:
    """Each checked line with its account's id, refused when the account is not in the book or is inactive (unless
    ``inactive_ok``: the year-end closing); ``where`` names the entry in a batch."""
    resolved = []
    for n, (account, debit, credit, line_memo) in enumerate(checked, start=1):
        row = found.get(account.pk if isinstance(account, Account) else account)
        if row is None:
            label = account.code if isinstance(account, Account) else account
            raise _error("lines", f"{where_th}บรรทัด {n}: ไม่พบบัญชี {label} ในสมุดนี้",
                         f"{where_en}line {n}: no account {label} in this book", "unknown_account")
        if not row[2] and not inactive_ok:
            raise _error("lines", f"{where_th}บรรทัด {n}: บัญชี {row[1]} ปิดใช้แล้ว",
                         f"{where_en}line {n}: account {row[1]} is inactive", "inactive")
        resolved.append((row[0], debit, credit, line_memo))
    return resolved


def _existing_for_keys(book: Book, hashes: dict[str, str]) -> dict[str, JournalEntry]:
    """The entries already holding these keys; a key held by an entry of another content is refused."""
    found = {}
    for chunk in chunks(sorted(hashes)):
        for entry in JournalEntry.objects.filter(book=book, idempotency_key__in=chunk):
            if entry.payload_hash != hashes[entry.idempotency_key]:
                raise _error("idempotency_key", f"คีย์ {entry.idempotency_key} ใช้กับรายการอื่นไปแล้ว",
                             f"key {entry.idempotency_key} was already used for a different entry", "key_reused")
            found[entry.idempotency_key] = entry
    return found


def _existing_for_key(book: Book, key: str, payload_hash: str) -> JournalEntry | None:
    return _existing_for_keys(book, {key: payload_hash}).get(key)


_RETRYABLE = ("40001", "40P01")  # serialization failure, deadlock detected


def _retrying(fn):
    """Run a posting in its own transaction, retried on serialization failures and deadlocks. Inside a caller's
    transaction it runs once (the caller owns the retry)."""

    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            return fn(*args, **kwargs)
        for attempt in range(5):
            try:
                with transaction.atomic():
                    return fn(*args, **kwargs)
            except OperationalError as exc:
                code = getattr(getattr(exc, "__cause__", None), "sqlstate", None)
                if code not in _RETRYABLE or attempt == 4:
                    raise
                time.sleep(0.01 * (2**attempt))
        raise AssertionError("unreachable")

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


KEY_LENGTH = JournalEntry._meta.get_field("idempotency_key").max_length


def derived_key(prefix: str, key: str) -> str:
    """The idempotency key of an entry that follows from another record's key (a claim's payment, an entry's
    reversal): built from that record's natural key, never its database id, so that a fund's records moved to
    another instance (``fund_import``) cannot collide with keys made there later. Long keys are hashed."""
    derived = f"{prefix}-{key}"
    if len(derived) <= KEY_LENGTH:
        return derived
    return f"{prefix}-sha256-{hashlib.sha256(key.encode()).hexdigest()}"[:KEY_LENGTH]


def entry_post(
    *, actor, book: Book, date: datetime.date, memo: str, lines: list[LineSpec], idempotency_key: str,
    reference: str = "", reverses: JournalEntry | None = None, is_closing: bool = False,
) -> JournalEntry:
    """Post a balanced entry. Replaying the same key with the same content returns the first entry.

    A posting is one read (its accounts, locked on PostgreSQL, and whether its date is in a closed period) and
    four parameterised writes: the entry as a draft, its lines, the entry marked posted (the database checks the
    balance and moves the running totals) and the audit row. The ORM is kept out of this path: building its
    queries cost more than the database spent running them. A line on an inactive (retired) account is refused."""
    return _post(actor=actor, book=book, date=date, memo=memo, lines=lines, idempotency_key=idempotency_key,
                 reference=reference, reverses=reverses, is_closing=is_closing, year_end=False)


@_retrying
def _post(
    *, actor, book: Book, date: datetime.date, memo: str, lines: list[LineSpec], idempotency_key: str,
    reference: str, reverses: JournalEntry | None, is_closing: bool, year_end: bool,
) -> JournalEntry:
    """:func:`entry_post`. With ``year_end`` (the year-end closing entry and its reversal when the year is
    reopened) a line may be on an inactive account: an income or expense account retired after it had postings
    that year must still be brought to zero, or the year could never close."""
    if not idempotency_key:
        raise _error("idempotency_key", "ต้องมีคีย์กันบันทึกซ้ำ", "an idempotency key is required", "required")
    memo = (memo or "").strip()
    if not memo:
        raise _error("memo", "กรุณาระบุคำอธิบายรายการ", "please describe the entry", "required")
    checked = _check_amounts(lines)
    for n, (account, _, _, _) in enumerate(checked, start=1):
        if isinstance(account, Account) and account.book_id != book.pk:
            raise _error("lines", f"บรรทัด {n}: บัญชีอยู่ในสมุดอื่น", f"line {n}: account of another book", "other_book")
    ops = connection.ops
    with connection.cursor() as cursor:
        found, closed = _read_accounts(cursor, book, date, [a for a, _, _, _ in checked])
        resolved = _resolve(found, checked, inactive_ok=year_end)
        payload_hash = _payload_hash(date, memo, reference, [(a, d, c) for a, d, c, _ in resolved],
                                     reverses.pk if reverses else None)
        if closed is not None:
            existing = _existing_for_key(book, idempotency_key, payload_hash)
            if existing is not None:
                return existing
            th, en = _period_words(closed)
            raise _error("date", f"งวด {th} ปิดบัญชีแล้ว", f"the period {en} is closed", "closed_period")
        now, day = timezone.now(), ops.adapt_datefield_value(date)
        created_by = actor if getattr(actor, "is_authenticated", False) else None
        cursor.execute(_ENTRY_SQL, [
            book.pk, day, memo[:300], reference, idempotency_key, payload_hash, JournalEntry.Status.DRAFT.value,
            reverses.pk if reverses else None, is_closing, created_by.pk if created_by else None,
            ops.adapt_datetimefield_value(now),
        ])
        inserted = cursor.fetchone()
        if inserted is None:  # the key is taken: a replay (or a different entry under a reused key: refused)
            existing = _existing_for_key(book, idempotency_key, payload_hash)
            if existing is None:
                raise AssertionError(f"idempotency key {idempotency_key} conflicted but no entry holds it")
            return existing
        entry_id = inserted[0]
        params: list = []
        for account_id, debit, credit, line_memo in resolved:
            params += [entry_id, book.pk, account_id, day, ops.adapt_decimalfield_value(debit, 16, 2),
                       ops.adapt_decimalfield_value(credit, 16, 2), line_memo[:200]]
        cursor.execute(_LINES_SQL + ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(resolved)), params)
        cursor.execute(_POSTED_SQL, [entry_id])
        cursor.execute(_NUMBERS_SQL + "(%s)", [entry_id])
        _, fiscal_year, number = cursor.fetchone()
    entry = JournalEntry(
        pk=entry_id, book=book, date=date, memo=memo[:300], reference=reference, idempotency_key=idempotency_key,
        payload_hash=payload_hash, status=JournalEntry.Status.POSTED, reverses=reverses, is_closing=is_closing,
        created_by=created_by, created=now, fiscal_year=fiscal_year, number=number,
    )
    entry._state.adding, entry._state.db = False, connection.alias
    audit_record(actor=actor, action="ledger.entry_post", obj=entry,
                 summary=f"{book.code} {date.isoformat()} {memo[:120]} {sum(d for _, d, _, _ in resolved):,.2f}",
                 organisation=book.organisation if book.organisation_id else None)
    changes.organisation_changed(book.organisation_id)
    return entry


@dataclass(frozen=True)
class EntrySpec:
    """One entry of a bulk posting (:func:`entries_post`)."""

    date: datetime.date
    memo: str
    lines: list[LineSpec]
    idempotency_key: str
    reference: str = ""


_CLOSED_SQL = (
    f"SELECT fiscal_year, month, start, {_qn('end')} FROM {Period._meta.db_table}"
    f" WHERE book_id = %s AND status = '{Period.Status.CLOSED}'"
)


def _period_words(closed: int) -> tuple[str, str]:
    """A closed period (``fiscal_year * 100 + month``, month 1 = October) as people say it: ``ต.ค. 2568
    (ปีงบประมาณ 2569)`` / ``Oct 2025 (FY 2569)`` — "งวด 2569/01" was read as January."""
    fiscal_year, month = divmod(closed, 100)
    named = FiscalYear(fiscal_year).months()[month - 1]
    return f"{named.label_th} (ปีงบประมาณ {fiscal_year})", f"{named.label_en} (FY {fiscal_year})"


def _bulk_error(n: int, exc: ValidationError) -> ValidationError:
    """A single entry's error, named by its place in the batch."""
    field, errors = next(iter(exc.error_dict.items()))
    error = errors[0]
    return _error(field, f"รายการที่ {n}: {error.message}", f"entry {n}: {error.message}", error.code)


@_retrying
def entries_post(*, actor, book: Book, entries: list[EntrySpec]) -> list[JournalEntry]:
    """Post many balanced entries to one book at once: all or none, each exactly as :func:`entry_post` would
    (checked amounts, active accounts of the book, no closed period, idempotency keys replayed or refused), in
    a fixed number of statements per 500 entries instead of five per entry. The database's triggers still check
    every entry (drafts first, balanced when posted, running totals moved by the trigger) and each entry gets its
    audit row. Returns the entries in the order given; a replayed key returns the entry already posted."""
    if not entries:
        return []
    prepared = []  # (spec, memo, checked lines)
    keys: dict[str, int] = {}
    for n, spec in enumerate(entries, start=1):
        if not spec.idempotency_key:
            raise _error("idempotency_key", f"รายการที่ {n}: ต้องมีคีย์กันบันทึกซ้ำ",
                         f"entry {n}: an idempotency key is required", "required")
        if spec.idempotency_key in keys:
            raise _error("idempotency_key", f"รายการที่ {n}: คีย์ {spec.idempotency_key} ซ้ำกับรายการที่ "
                         f"{keys[spec.idempotency_key]}", f"entry {n}: key {spec.idempotency_key} repeats entry "
                         f"{keys[spec.idempotency_key]}", "duplicate_key")
        keys[spec.idempotency_key] = n
        memo = (spec.memo or "").strip()
        if not memo:
            raise _error("memo", f"รายการที่ {n}: กรุณาระบุคำอธิบายรายการ", f"entry {n}: please describe the entry",
                         "required")
        try:
            checked = _check_amounts(spec.lines)
        except ValidationError as exc:
            raise _bulk_error(n, exc) from exc
        for m, (account, _, _, _) in enumerate(checked, start=1):
            if isinstance(account, Account) and account.book_id != book.pk:
                raise _error("lines", f"รายการที่ {n} บรรทัด {m}: บัญชีอยู่ในสมุดอื่น",
                             f"entry {n}, line {m}: account of another book", "other_book")
        prepared.append((spec, memo, checked))
    ops = connection.ops
    named = {a for _, _, checked in prepared for a, _, _, _ in checked}
    with connection.cursor() as cursor:
        found, _ = _read_accounts(cursor, book, prepared[0][0].date, named)
        cursor.execute(_CLOSED_SQL, [book.pk])
        closed_periods = [(fy * 100 + month, _as_date(start), _as_date(end))
                          for fy, month, start, end in cursor.fetchall()]
        rows = []  # (n, spec, memo, resolved lines, payload hash, closed period or None)
        for n, (spec, memo, checked) in enumerate(prepared, start=1):
            resolved = _resolve(found, checked, f"รายการที่ {n} ", f"entry {n}, ")
            payload_hash = _payload_hash(spec.date, memo, spec.reference, [(a, d, c) for a, d, c, _ in resolved],
                                         None)
            closed = next((p for p, start, end in closed_periods if start <= spec.date <= end), None)
            rows.append((n, spec, memo, resolved, payload_hash, closed))
        existing = _existing_for_keys(book, {spec.idempotency_key: h for _, spec, _, _, h, _ in rows})
        for n, spec, _, _, _, closed in rows:
            if closed is not None and spec.idempotency_key not in existing:
                th, en = _period_words(closed)
                raise _error("date", f"รายการที่ {n}: งวด {th} ปิดบัญชีแล้ว", f"entry {n}: the period {en} is closed",
                             "closed_period")
        new = [r for r in rows if r[1].idempotency_key not in existing]
        now = timezone.now()
        created_by = actor if getattr(actor, "is_authenticated", False) else None
        stamp = ops.adapt_datetimefield_value(now)
        ids: dict[str, int] = {}
        for chunk in chunks(new):
            params: list = []
            for _, spec, memo, _, payload_hash, _ in chunk:
                params += [book.pk, ops.adapt_datefield_value(spec.date), memo[:300], spec.reference,
                           spec.idempotency_key, payload_hash, JournalEntry.Status.DRAFT.value, None, False,
                           created_by.pk if created_by else None, stamp]
            cursor.execute(_ENTRIES_SQL + ", ".join([_ENTRY_ROW] * len(chunk)) + _ENTRIES_RETURNING, params)
            ids.update((key, pk) for pk, key in cursor.fetchall())
        raced = {r[1].idempotency_key: r[4] for r in new if r[1].idempotency_key not in ids}
        if raced:  # posted by someone else between our read and our insert: replays, or refused
            existing |= _existing_for_keys(book, raced)
        lines = [(ids[spec.idempotency_key], spec.date, line) for _, spec, _, resolved, _, _ in new
                 if spec.idempotency_key in ids for line in resolved]
        for chunk in chunks(lines):
            params = []
            for entry_id, date, (account_id, debit, credit, line_memo) in chunk:
                params += [entry_id, book.pk, account_id, ops.adapt_datefield_value(date),
                           ops.adapt_decimalfield_value(debit, 16, 2), ops.adapt_decimalfield_value(credit, 16, 2),
                           line_memo[:200]]
            cursor.execute(_LINES_SQL + ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk)), params)
        numbers: dict[int, tuple[int, int]] = {}
        for chunk in chunks(list(ids.values())):
            cursor.execute(_POSTED_MANY_SQL + f"({', '.join(['%s'] * len(chunk))})", chunk)
            cursor.execute(_NUMBERS_SQL + f"({', '.join(['%s'] * len(chunk))})", chunk)
            numbers.update((pk, (fiscal_year, number)) for pk, fiscal_year, number in cursor.fetchall())
    made, audits = [], []
    for _, spec, memo, resolved, payload_hash, _ in rows:
        key = spec.idempotency_key
        if key not in ids:
            made.append(existing[key])
            continue
        entry = JournalEntry(
            pk=ids[key], book=book, date=spec.date, memo=memo[:300], reference=spec.reference, idempotency_key=key,
            payload_hash=payload_hash, status=JournalEntry.Status.POSTED, is_closing=False, created_by=created_by,
            created=now, fiscal_year=numbers[ids[key]][0], number=numbers[ids[key]][1],
        )
        entry._state.adding, entry._state.db = False, connection.alias
        made.append(entry)
        audits.append((entry, f"{book.code} {spec.date.isoformat()} {memo[:120]} "
                              f"{sum(d for _, d, _, _ in resolved):,.2f}"))
    audit_record_many(actor=actor, action="ledger.entry_post", items=audits,
                      organisation=book.organisation if book.organisation_id else None)
    if ids:
        changes.organisation_changed(book.organisation_id)
    return made


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def entry_reverse(*, actor, entry: JournalEntry, idempotency_key: str, date: datetime.date | None = None,
                  memo: str = "", reason: str = "") -> JournalEntry:
    """Correct a posted entry by posting its mirror image (debits and credits swapped), linked to it; ``reason``
    (why, as the treasurer gave it) is kept in its memo. An entry whose date is in a closed period is reversed
    on ``date`` or, without one, today: the correction goes into the open year. Refused: an entry that a document
    posted (a receipt, a payment voucher, a grant: see :func:`entry_documents`), since reversing it alone would
    leave the document saying the money moved; a year-end closing entry, which only :func:`period_reopen` undoes
    (its mirror dated today would carry the closed year's income and expenses into this one); and an entry that is
    itself a reversal (the original is posted again instead)."""
    if entry.is_closing:
        raise _error("entry", "รายการปิดบัญชีสิ้นปีกลับรายการไม่ได้ ให้เปิดงวดบัญชีแทน",
                     "a year-end closing is undone by reopening the year", "closing_entry")
    if entry.reverses_id is not None:
        original = entry.reverses.label
        raise _error("entry", f"รายการนี้เป็นการกลับรายการ {original} อยู่แล้ว กลับรายการซ้ำไม่ได้: "
                     "ถ้ารายการเดิมถูกต้อง ให้บันทึกรายการนั้นใหม่",
                     f"this entry is the reversal of {original} and cannot itself be reversed: if the original was "
                     "right, post it again", "is_reversal")
    return _reverse(actor=actor, entry=entry, idempotency_key=idempotency_key, date=date, memo=memo, reason=reason,
                    year_end=False)


def _reverse(*, actor, entry: JournalEntry, idempotency_key: str, date: datetime.date | None, memo: str,
             reason: str, year_end: bool) -> JournalEntry:
    """The mirror entry of :func:`entry_reverse`, without its refusals of what people may not reverse by hand:
    :func:`period_reopen` reverses the year-end closing through here (``year_end``: its lines may be on accounts
    retired since)."""
    if entry.status != JournalEntry.Status.POSTED:
        raise _error("entry", "กลับรายการได้เฉพาะรายการที่ผ่านบัญชีแล้ว", "only a posted entry can be reversed",
                     "not_posted")
    already = JournalEntry.objects.filter(reverses=entry).first()
    if already is not None:
        if already.idempotency_key == idempotency_key:
            return already  # a retried request: the reversal posted, whenever its year closed since
        raise _error("entry", f"รายการนี้ถูกกลับรายการแล้ว ({already.label})",
                     f"this entry was already reversed by {already.label}", "already_reversed")
    documents = [label for label, _url in entry_documents(entry)]
    if documents:
        raise _error("entry", f"รายการนี้บันทึกจากเอกสาร ({', '.join(documents)}) กลับรายการเฉพาะในสมุดบัญชีไม่ได้ "
                     "เพราะเอกสารจะยังแสดงว่ามีการรับหรือจ่ายเงิน",
                     f"this entry was posted by a document ({', '.join(documents)}): reversing it in the books alone "
                     "would leave the document saying the money moved", "has_documents")
    if date is None and entry_in_closed_period(entry):
        date = timezone.localdate()
    lines = [LineSpec(line.account, debit=line.credit, credit=line.debit, memo=line.memo)
             for line in entry.lines.select_related("account")]
    with transaction.atomic():
        reversal = _post(
            actor=actor, book=entry.book, date=date or entry.date,
            memo=(memo or f"กลับรายการ {entry.label}{f' ({reason.strip()})' if reason.strip() else ''}: "
                  f"{entry.memo}")[:300],
            lines=lines, idempotency_key=idempotency_key, reference=entry.reference, reverses=entry,
            is_closing=False, year_end=year_end,
        )
        # the reversed entry's own trail says it was reversed, by whom and why (the posting's row says "posted")
        audit_record(actor=actor, action="ledger.entry_reverse", obj=entry,
                     summary=f"{entry.label} → {reversal.label}: {reason.strip()}"[:200],
                     organisation=entry.book.organisation if entry.book.organisation_id else None)
    return reversal


def entry_documents(entry: JournalEntry, limit: int = 3) -> list[tuple[str, str | None]]:
    """What other records say the entry is theirs (receipts, vouchers, grants, collection sheets …), as
    ``(label, url or None)``: every model that points at journal entries, found from the model's relations, so the
    ledger needs to know none of them. Each names itself by ``document_label`` (else its kind and id) and links by
    ``document_url`` when it has a page; at most ``limit`` of them."""
    found: list[tuple[str, str | None]] = []
    for relation in JournalEntry._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label == JournalEntry._meta.app_label:
            continue  # the ledger's own: lines, reversals
        for row in model._default_manager.filter(**{relation.field.name: entry})[:limit - len(found)]:
            label = getattr(row, "document_label", None) or f"{model._meta.verbose_name} {row.pk}"
            found.append((str(label), getattr(row, "document_url", None)))
        if len(found) >= limit:
            break
    return found


def date_in_closed_period(book: Book | int, date: datetime.date) -> bool:
    return Period.objects.filter(book=book, status=Period.Status.CLOSED, start__lte=date, end__gte=date).exists()


def entry_in_closed_period(entry: JournalEntry) -> bool:
    return date_in_closed_period(entry.book_id, entry.date)


def periods_ensure(book: Book, fiscal_year: int) -> list[Period]:
    """The 12 monthly periods of a fiscal year (created open when missing)."""
    fy = FiscalYear(fiscal_year)
    existing = {p.month: p for p in Period.objects.filter(book=book, fiscal_year=fiscal_year)}
    missing = [
        Period(book=book, fiscal_year=fiscal_year, month=n, start=m.start, end=m.end)
        for n, m in enumerate(fy.months(), start=1) if n not in existing
    ]
    Period.objects.bulk_create(missing)
    return list(Period.objects.filter(book=book, fiscal_year=fiscal_year).order_by("month"))


def closing_lines(book: Book, fiscal_year: int) -> list[LineSpec]:
    """The year-end closing entry: every income and expense account's balance for the year moved into the
    fund balance of its source, so income and expense start the next year at zero."""
    from django.db.models import Sum

    fy = FiscalYear(fiscal_year)
    sums = (
        Line.objects.filter(book=book, date__gte=fy.start, date__lte=fy.end,
                            account__type__in=[AccountType.INCOME, AccountType.EXPENSE])
        .values("account_id").annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    accounts = Account.objects.in_bulk([row["account_id"] for row in sums])
    fund_accounts = {a.code: a for a in Account.objects.filter(book=book, type=AccountType.NET_ASSETS)}
    lines: list[LineSpec] = []
    net_by_fund: dict[str, Decimal] = defaultdict(lambda: ZERO)  # credit-positive
    for row in sums:
        account = accounts[row["account_id"]]
        net = to_baht(row["debit"] or 0) - to_baht(row["credit"] or 0)  # debit-positive balance
        if net == 0:
            continue
        lines.append(LineSpec(account, debit=-net if net < 0 else ZERO, credit=net if net > 0 else ZERO,
                              memo="ปิดบัญชีสิ้นปี"))
        net_by_fund[FUND_BALANCE_BY_SOURCE[account.fund_source]] -= net
    for code, amount in sorted(net_by_fund.items()):
        if amount == 0:
            continue
        fund = fund_accounts.get(code)
        if fund is None:
            raise _error("book", f"ไม่พบบัญชีทุน {code}", f"no fund balance account {code}", "no_fund_account")
        lines.append(LineSpec(fund, debit=-amount if amount < 0 else ZERO, credit=amount if amount > 0 else ZERO,
                              memo="ปิดบัญชีสิ้นปี"))
    return lines


@transaction.atomic
def period_close(*, actor, book: Book, fiscal_year: int) -> JournalEntry | None:
    """Close a fiscal year: post the closing entry on its last day, then lock its 12 months. Returns the closing
    entry (None when there was no income or expense to close). Years close in order: one that ended before the
    book's organisation was founded and before its first entry has nothing to close, and an earlier year with
    entries must be closed first (its closing carries the fund balance into this one)."""
    try:
        end = FiscalYear(fiscal_year).end
    except (DateInputError, TypeError) as exc:
        raise _error("fiscal_year", f"ปีงบประมาณ \"{fiscal_year}\" ไม่ถูกต้อง กรุณาเลือกปี พ.ศ. จากรายการ",
                     f"\"{fiscal_year}\" is not a fiscal year: choose a B.E. year from the list", "invalid") from exc
    if end >= timezone.localdate():
        # Money can still come in and go out on its last day: a year is closed from the day after it.
        raise _error("fiscal_year", f"ปีงบประมาณ {fiscal_year} ยังไม่สิ้นสุด (ถึง {format_date(end, 'long', 'th')}): "
                     "ปิดบัญชีได้ตั้งแต่วันถัดไป",
                     f"FY {fiscal_year} has not ended (it runs to {format_date(end, 'long', 'en')}): it can be "
                     "closed from the next day", "not_ended")
    if fiscal_year in closed_years(book):
        raise _error("fiscal_year", f"ปีงบประมาณ {fiscal_year} ปิดบัญชีแล้ว", f"FY {fiscal_year} is already closed",
                     "already_closed")
    _check_closing_order(book, fiscal_year, end)
    periods = periods_ensure(book, fiscal_year)
    lines = closing_lines(book, fiscal_year)
    entry = None
    if len(lines) >= 2:
        attempt = JournalEntry.objects.filter(book=book, is_closing=True, date=FiscalYear(fiscal_year).end).count()
        entry = _post(
            actor=actor, book=book, date=FiscalYear(fiscal_year).end, memo=f"ปิดบัญชีสิ้นปีงบประมาณ {fiscal_year}",
            lines=lines, idempotency_key=f"close-{fiscal_year}-{attempt + 1}", reference="", reverses=None,
            is_closing=True, year_end=True,
        )
    Period.objects.filter(pk__in=[p.pk for p in periods]).update(status=Period.Status.CLOSED)
    audit_record(actor=actor, action="ledger.period_close", obj=book, summary=f"{book.code} FY {fiscal_year}",
                 organisation=book.organisation)
    return entry


def _check_closing_order(book: Book, fiscal_year: int, end: datetime.date) -> None:
    posted = JournalEntry.objects.filter(book=book, status=JournalEntry.Status.POSTED)
    first = posted.order_by("date").values_list("date", flat=True).first()
    organisation = book.organisation if book.organisation_id else None
    profile = organisation and (getattr(organisation, "fund", None) or getattr(organisation, "council", None))
    founded = getattr(profile, "founded_on", None)
    known = [d for d in (first, founded) if d is not None]
    if known and end < min(known):
        since = [f"ก่อตั้ง {format_date(founded, 'long', 'th')}"] if founded else []
        since_en = [f"founded {format_date(founded, 'long', 'en')}"] if founded else []
        if first:
            since.append(f"รายการแรก {format_date(first, 'long', 'th')}")
            since_en.append(f"first entry {format_date(first, 'long', 'en')}")
        raise _error("fiscal_year", f"ปีงบประมาณ {fiscal_year} สิ้นสุดก่อนสมุดนี้มีรายการ ({' '.join(since)}) "
                     "จึงไม่มีอะไรให้ปิด", f"FY {fiscal_year} ended before this book had anything in it "
                     f"({', '.join(since_en)}): nothing to close", "nothing_to_close")
    with_entries = set(posted.filter(fiscal_year__lt=fiscal_year).values_list("fiscal_year", flat=True).distinct())
    still_open = sorted(with_entries - closed_years(book, before=fiscal_year))
    if still_open:
        raise _error("fiscal_year", f"ต้องปิดบัญชีปีงบประมาณ {still_open[0]} ก่อน (ปีก่อนหน้าที่มีรายการยังไม่ได้ปิด)",
                     f"close FY {still_open[0]} first (an earlier year with entries is still open)", "earlier_open")


def may_reopen(user) -> bool:
    """Whether ``user`` may reopen a closed fiscal year: a national administrator only."""
    return any(a.role == Role.ADMINISTRATOR and a.scope_kind == ScopeKind.NATIONAL for a in assignments_of(user))


@transaction.atomic
def period_reopen(*, actor, book: Book, fiscal_year: int, reason: str) -> None:
    """Reopen a closed fiscal year (national administrators only, with a reason), when no later year is closed
    (the latest first). The closing entry is reversed so that closing again starts from the year's real figures."""
    if not may_reopen(actor):
        raise PermissionDenied("เปิดงวดที่ปิดแล้วได้เฉพาะผู้ดูแลระบบระดับประเทศ (only national administrators may reopen)")
    if len((reason or "").strip()) < 5:
        raise _error("reason", "กรุณาระบุเหตุผลที่เปิดงวดบัญชี", "please give the reason for reopening", "required")
    periods = Period.objects.filter(book=book, fiscal_year=fiscal_year, status=Period.Status.CLOSED)
    if not periods.exists():
        raise _error("fiscal_year", f"ปีงบประมาณ {fiscal_year} ยังไม่ได้ปิด", f"FY {fiscal_year} is not closed",
                     "not_closed")
    later = (Period.objects.filter(book=book, fiscal_year__gt=fiscal_year, status=Period.Status.CLOSED)
             .order_by("-fiscal_year").values_list("fiscal_year", flat=True).first())
    if later is not None:
        # A later year's opening fund balance was closed from this year's figures: reopen the years in turn,
        # the latest first, so that no closed year changes under its closing entry.
        raise _error("fiscal_year", f"ปีงบประมาณ {later} ปิดแล้ว: เปิดงวดปีที่หลังกว่าก่อน ตั้งแต่ปีล่าสุด",
                     f"FY {later} is closed: reopen the later years first, the latest first", "later_closed")
    periods.update(status=Period.Status.OPEN)
    end = FiscalYear(fiscal_year).end
    for closing in JournalEntry.objects.filter(book=book, is_closing=True, date=end, reversed_by__isnull=True,
                                               reverses__isnull=True):
        _reverse(actor=actor, entry=closing, idempotency_key=derived_key("reopen", closing.idempotency_key),
                 date=None, memo=f"เปิดงวดปี {fiscal_year}: กลับรายการปิดบัญชี {closing.label}", reason="",
                 year_end=True)
    audit_record(actor=actor, action="ledger.period_reopen", obj=book, summary=f"FY {fiscal_year}: {reason}",
                 data={"fiscal_year": fiscal_year, "reason": reason}, organisation=book.organisation)


def template_account(book: Book, code: str) -> Account:
    """The book's account ``code``, opened from the book's chart template if the book was opened before the chart
    had it (a chart grows: 5303, refunds, came later). Not an account the template lacks."""
    account = Account.objects.filter(book=book, code=code).first()
    if account is not None:
        return account
    t = next((t for t in TEMPLATES.get(book.template, []) if t.code == code), None)
    if t is None:
        raise _error("account", f"ผังบัญชีของสมุดนี้ไม่มีบัญชี {code}", f"this book's chart has no account {code}",
                     "unknown")
    account, _ = Account.objects.get_or_create(book=book, code=code, defaults={
        "name_th": t.name_th, "name_en": t.name_en, "type": t.type, "fund_source": t.fund_source,
        "standard_code": t.code, "is_cash": t.is_cash})
    return account


def receipt_post(*, actor, book: Book, date: datetime.date, amount, income_account: str, memo: str,
                 idempotency_key: str, cash_account: str = "1101", reference: str = "") -> JournalEntry:
    """Money in: debit cash or bank, credit an income (or liability) account."""
    return entry_post(actor=actor, book=book, date=date, memo=memo, idempotency_key=idempotency_key,
                      reference=reference,
                      lines=[LineSpec(cash_account, debit=amount), LineSpec(income_account, credit=amount)])


@transaction.atomic
def manual_entry_post(*, actor, book: Book, lines: list[LineSpec], **entry) -> JournalEntry:
    """An entry typed by the treasurer (the manual entry form): :func:`entry_post`, refused — as a payment is —
    when it would take a cash or bank account below zero (money out that the fund does not have)."""
    if JournalEntry.objects.filter(book=book, idempotency_key=entry.get("idempotency_key")).exists():
        return entry_post(actor=actor, book=book, lines=lines, **entry)  # a replay: the first entry, as posted
    net: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        code = line.account.code if isinstance(line.account, Account) else str(line.account)
        net[code] += to_baht(line.debit or 0) - to_baht(line.credit or 0)
    # The cash accounts the entry takes money from, locked while their balance is read: two entries at once take
    # the money one after the other, never both the same baht.
    for cash in Account.objects.select_for_update().filter(book=book, is_cash=True,
                                                           code__in=[c for c, n in net.items() if n < 0]):
        after = cash.balance + net[cash.code]
        if after < 0:
            raise _error("lines", f"เงินในบัญชี {cash.code} {cash.name_th} ไม่พอ: คงเหลือ {cash.balance:,.2f} บาท "
                         f"รายการนี้จะทำให้ติดลบ {-after:,.2f} บาท",
                         f"not enough money in {cash.code} {cash.name_en}: the balance is {cash.balance:,.2f}; this "
                         f"entry would take it {-after:,.2f} below zero", "insufficient")
    return entry_post(actor=actor, book=book, lines=lines, **entry)


@transaction.atomic
def payment_post(*, actor, book: Book, date: datetime.date, amount, expense_account: str, memo: str,
                 idempotency_key: str, cash_account: str = "1101", reference: str = "") -> JournalEntry:
    """Money out: debit an expense (or liability) account, credit cash or bank. Refused when the cash account
    would go below zero. A replay of its key returns the entry posted (or is refused as a reused key), whatever
    the cash holds now: the key is looked up before the balance, as :func:`manual_entry_post` does."""
    post = dict(actor=actor, book=book, date=date, memo=memo, idempotency_key=idempotency_key, reference=reference,
                lines=[LineSpec(expense_account, debit=amount), LineSpec(cash_account, credit=amount)])
    if JournalEntry.objects.filter(book=book, idempotency_key=idempotency_key).exists():
        return entry_post(**post)  # a replay: the first entry, as posted
    # the cash account locked while its balance is read, as in manual_entry_post
    cash = Account.objects.select_for_update().filter(book=book, code=cash_account).first()
    if cash is not None and cash.balance < to_baht(amount):
        raise _error("amount", f"เงินในบัญชี {cash.code} ไม่พอจ่าย (คงเหลือ {cash.balance:,.2f})",
                     f"not enough money in {cash.code} (balance {cash.balance:,.2f})", "insufficient")
    return entry_post(**post)
