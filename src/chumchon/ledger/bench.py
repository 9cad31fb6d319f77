"""The ledger benchmark behind ``chumchon bench ledger``: how fast the books are on the configured database.

It opens books of its own (codes ``BENCH-<UTC time>-…``, never an existing book) and measures, in one run:

- posting throughput through ``services.entry_post`` against the same INSERT/UPDATE statements issued raw, one
  transaction per entry as the service does (``post_ratio``, goal ≥ 0.5);
- entries posted by several threads at once, all touching one hot cash account, against the same number spread
  over disjoint accounts (``hot_ratio``, goal ≥ 0.5);
- a balance read on the hot account of a book loaded with ``lines`` lines against a primary-key lookup
  (``balance_read_ratio``, goal ≤ 2: the running totals make a balance one row read);
- the trial balance and the income statement (``ledger.statements``) of that book (``trial_balance_s``).

The lines are loaded set-based with every database rule switched on: entries inserted as drafts in batches, their
lines inserted by INSERT … SELECT, then one UPDATE per batch posts them (the triggers check each entry's balance
and move the running totals). Posted rows are append-only, so the bench books stay: run it on a throwaway
database.
"""

import datetime
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from chumchon.core.audit import audit_record
from chumchon.core.thai.fiscal import FiscalYear
from chumchon.ledger import services, statements
from chumchon.ledger.models import Account, Book, Line

FISCAL_YEAR = FiscalYear(2567)  # every bench entry is dated in it (1 Oct 2023 - 30 Sep 2024, 366 days)
DAYS = (FISCAL_YEAR.end - FISCAL_YEAR.start).days + 1
HOT = "1101"  # cash: in every loaded entry and every "hot" posting
INCOME = ["4101", "4201", "4301", "4401"]
EXPENSE = ["5103", "5105", "5301", "5302"]
# Disjoint (debit, credit) pairs for postings spread over many accounts, one pair per thread.
SPREAD_PAIRS = [("1102", "4101"), ("1103", "4201"), ("1201", "4202"), ("1202", "4301"), ("5101", "4401"),
                ("5102", "4901"), ("5103", "2101"), ("5104", "2102"), ("5105", "2103"), ("5106", "3106")]
LOAD_BATCH = {"postgresql": 500, "sqlite": 10_000}  # entries (two lines each) a loading transaction: load_lines()

Out = Callable[[str], object]


def _amount(i: int) -> Decimal:
    return Decimal((i * 7919) % 1_000_000 + 1) / 100  # 0.01 to 10,000.00 baht, with satang


def _date(i: int) -> datetime.date:
    return FISCAL_YEAR.start + datetime.timedelta(days=i % DAYS)


def _median_s(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def book_open(label: str) -> Book:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    code = f"BENCH-{stamp}-{label}-{uuid.uuid4().hex[:4]}"[:32]
    return services.book_create(actor=None, code=code, name_th=f"สมุดทดสอบความเร็ว {label}")


# --- loading a big book, set-based, with the rules on ------------------------------------------------------------

# Drafts for entry numbers n0..n1, dated across the fiscal year, returning their ids.
_ENTRIES_SQL = {
    "postgresql": (
        "INSERT INTO ledger_journalentry (book_id, date, memo, reference, idempotency_key, payload_hash, status,"
        " is_closing, created) SELECT %s, %s::date + (n %% 366)::int, 'bench', '', 'load-' || n, '', 'draft', false,"
        " %s FROM generate_series(%s::bigint, %s::bigint) AS s(n) RETURNING id"
    ),
    "sqlite": (
        "WITH RECURSIVE s(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM s WHERE n < %s)"
        " INSERT INTO ledger_journalentry (book_id, date, memo, reference, idempotency_key, payload_hash, status,"
        " is_closing, created) SELECT %s, date(%s, '+' || (n %% 366) || ' days'), 'bench', '', 'load-' || n, '',"
        " 'draft', 0, %s FROM s RETURNING id"
    ),
}
# One side of the lines of the entries e.id in [first, last]: one entry in three pays an expense (one of four) out
# of cash, the others take income (one of four) into cash, so every entry has one line on the hot cash account.
# Parameters: the account when paying (4 ids or the hot one), the account otherwise, book, first, last.
_LINES_SQL = (
    "INSERT INTO ledger_line (entry_id, book_id, account_id, date, debit, credit, memo)"
    " SELECT e.id, e.book_id, CASE WHEN e.id %% 3 = 0 THEN (CASE e.id %% 4 WHEN 0 THEN %s WHEN 1 THEN %s"
    " WHEN 2 THEN %s ELSE %s END) ELSE (CASE e.id %% 4 WHEN 0 THEN %s WHEN 1 THEN %s WHEN 2 THEN %s ELSE %s END) END,"
    " e.date, {debit}, {credit}, '' FROM ledger_journalentry e WHERE e.book_id = %s AND e.id BETWEEN %s AND %s"
)
_AMOUNT = "((e.id * 7919) %% 1000000 + 1) / 100.0"
_DEBITS_SQL = _LINES_SQL.replace("{debit}", _AMOUNT).replace("{credit}", "0")
_CREDITS_SQL = _LINES_SQL.replace("{debit}", "0").replace("{credit}", _AMOUNT)
_POST_SQL = "UPDATE ledger_journalentry SET status = 'posted' WHERE book_id = %s AND id BETWEEN %s AND %s"


def load_lines(book: Book, lines: int, out: Out) -> float:
    """Load ``lines`` lines (``lines // 2`` two-line entries, each with one line on the hot cash account) into
    ``book`` and return the seconds it took.

    Batches stay small because on PostgreSQL every posting rewrites the hot account's row (its running totals):
    within one transaction those row versions cannot be pruned, so each further posting in the same transaction
    walks more of them: 500 entries a transaction loaded about 5 times faster than 10,000. SQLite, with no row
    versions, is fastest with big transactions (10,000 entries: about 3 times faster than 500).

    On PostgreSQL loading also does what autovacuum would (it may be off: it is on the development cluster this
    was written on). ANALYZE after the first batch and every 50,000 lines: in a fresh database with no
    statistics PostgreSQL picked the index on ``book_id`` instead of the id range for the lines' INSERT … SELECT,
    reading every entry of the book each batch (600 lines a second after 60,000 lines, falling). VACUUM of the
    account table every 20,000 lines: every posting leaves a dead version of the hot account's row, and without
    vacuum the table had grown to 129 MB for 117 rows after 1,000,000 lines. SQLite gets no ANALYZE: Django
    never runs one, and its statistics would change the plans of every later query."""
    vendor = connection.vendor
    accounts = dict(Account.objects.filter(book=book).values_list("code", "pk"))
    hot, expense, income = accounts[HOT], [accounts[c] for c in EXPENSE], [accounts[c] for c in INCOME]
    total = lines // 2
    started = time.perf_counter()
    done = 0
    with connection.cursor() as cursor:
        while done < total:
            n0, n1 = done + 1, min(done + LOAD_BATCH.get(vendor, 500), total)
            with transaction.atomic():
                if vendor == "postgresql":
                    cursor.execute(_ENTRIES_SQL[vendor], [book.pk, FISCAL_YEAR.start, timezone.now(), n0, n1])
                else:
                    cursor.execute(_ENTRIES_SQL[vendor], [n0, n1, book.pk, FISCAL_YEAR.start, timezone.now()])
                ids = [row[0] for row in cursor.fetchall()]
                batch = [book.pk, min(ids), max(ids)]
                cursor.execute(_DEBITS_SQL, [*expense, *[hot] * 4, *batch])
                cursor.execute(_CREDITS_SQL, [*[hot] * 4, *income, *batch])
                cursor.execute(_POST_SQL, batch)
            if vendor == "postgresql" and (done == 0 or n1 % 25_000 == 0):
                cursor.execute("ANALYZE ledger_journalentry, ledger_line, ledger_account")  # as auto-analyze would
            if vendor == "postgresql" and n1 % 10_000 == 0 and not connection.in_atomic_block:
                cursor.execute("VACUUM ledger_account")  # the dead versions of the hot account's row: see above
            done = n1
            if done % 50_000 == 0 or done == total:  # every 100,000 lines
                elapsed = time.perf_counter() - started
                out(f"  loaded {done * 2:,} lines in {elapsed:.1f} s ({done * 2 / elapsed:,.0f} lines/s)")
    with transaction.atomic():
        audit_record(actor=None, action="ledger.bench_load", obj=book, summary=f"{book.code}: {total * 2:,} lines")
    if vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:  # what autovacuum would soon do; keeps plans and reads honest
            cursor.execute("VACUUM ANALYZE ledger_account, ledger_journalentry, ledger_line")
    return time.perf_counter() - started


# --- posting: through the service and raw ------------------------------------------------------------------------

def _post_service(book: Book, key: str, i: int, debit: str, credit: str) -> None:
    amount = _amount(i)
    services.entry_post(actor=None, book=book, date=_date(i), memo=f"bench {key}", idempotency_key=key,
                        lines=[services.LineSpec(debit, debit=amount), services.LineSpec(credit, credit=amount)])


_AUDIT_SQL = (
    "INSERT INTO core_auditlog (at, actor_id, action, object_type, object_id, summary, data, organisation_id,"
    " subdistrict_id) VALUES (%s, NULL, 'ledger.entry_post', 'ledger.journalentry', %s, %s, {data}, NULL, NULL)"
    " RETURNING id"
)
_AUDIT_DATA = {"postgresql": "CAST(%s AS jsonb)", "sqlite": "%s"}


def _post_raw(book: Book, accounts: dict[str, int], key: str, i: int, debit: str, credit: str) -> None:
    """The statements ``entry_post`` writes, in the same one-transaction shape, without its reads and checks."""
    amount, date, now = _amount(i), _date(i), timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_journalentry (book_id, date, memo, reference, idempotency_key, payload_hash, status,"
            " reverses_id, is_closing, created_by_id, created) VALUES (%s, %s, %s, '', %s, %s, 'draft', NULL, %s,"
            " NULL, %s) RETURNING id", [book.pk, date, f"bench {key}", key, "0" * 64, False, now])
        entry_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO ledger_line (entry_id, book_id, account_id, date, debit, credit, memo) VALUES"
            " (%s, %s, %s, %s, %s, %s, ''), (%s, %s, %s, %s, %s, %s, '') RETURNING id",
            [entry_id, book.pk, accounts[debit], date, amount, Decimal(0),
             entry_id, book.pk, accounts[credit], date, Decimal(0), amount])
        cursor.fetchall()
        cursor.execute("UPDATE ledger_journalentry SET status = 'posted' WHERE id = %s", [entry_id])
        cursor.execute(_AUDIT_SQL.replace("{data}", _AUDIT_DATA[connection.vendor]),
                       [now, str(entry_id), f"{book.code} {date} bench {amount}", "{}"])
        cursor.fetchone()


def measure_posting(book: Book, entries: int, out: Out) -> tuple[float, float]:
    """Entries per second through the service and raw, interleaved in five rounds so drift hits both alike."""
    accounts = dict(Account.objects.filter(book=book).values_list("code", "pk"))
    per_round = max(1, entries // 5)
    service_s = raw_s = 0.0
    n = 0
    for r in range(5):
        start = time.perf_counter()
        for i in range(per_round):
            _post_service(book, f"svc-{r}-{i}", n + i, HOT, INCOME[i % 4])
        service_s += time.perf_counter() - start
        start = time.perf_counter()
        for i in range(per_round):
            _post_raw(book, accounts, f"raw-{r}-{i}", n + i, HOT, INCOME[i % 4])
        raw_s += time.perf_counter() - start
        n += per_round
    service, raw = 5 * per_round / service_s, 5 * per_round / raw_s
    out(f"  service {service:,.0f} entries/s, raw statements {raw:,.0f} entries/s: ratio {service / raw:.2f}")
    return service, raw


def _threads_post(book: Book, workers: int, per_worker: int, label: str, pair_of: Callable[[int, int], tuple]) -> float:
    """Entries per second with ``workers`` threads (each its own connection) posting at once."""

    def work(w: int, barrier: threading.Barrier | None) -> None:
        try:
            connection.ensure_connection()
            if barrier is not None:
                barrier.wait()
            for i in range(per_worker):
                _post_service(book, f"{label}-{w}-{i}", w * per_worker + i, *pair_of(w, i))
        finally:
            if barrier is not None:
                connection.close()

    if workers == 1:
        start = time.perf_counter()
        work(0, None)
        return per_worker / (time.perf_counter() - start)
    barrier = threading.Barrier(workers + 1)
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(work, w, barrier) for w in range(workers)]
        barrier.wait()
        start = time.perf_counter()
        for future in futures:
            future.result()
        return workers * per_worker / (time.perf_counter() - start)


def measure_contention(book: Book, entries: int, workers: int, out: Out) -> tuple[float, float]:
    """One hot account in every entry against entries spread over disjoint accounts (two rounds each)."""
    per_worker = max(1, entries // workers // 2)
    hot, spread = [], []
    for r in range(2):
        spread.append(_threads_post(book, workers, per_worker, f"spread{r}",
                                    lambda w, i: SPREAD_PAIRS[w % len(SPREAD_PAIRS)]))
        hot.append(_threads_post(book, workers, per_worker, f"hot{r}", lambda w, i: (HOT, INCOME[w % 4])))
    hot_rate, spread_rate = statistics.mean(hot), statistics.mean(spread)
    out(f"  {workers} threads: hot account {hot_rate:,.0f} entries/s, spread {spread_rate:,.0f} entries/s: "
        f"ratio {hot_rate / spread_rate:.2f}")
    return hot_rate, spread_rate


# --- reads -------------------------------------------------------------------------------------------------------

def measure_balance_read(book: Book, out: Out, calls: int) -> dict:
    hot = Account.objects.get(book=book, code=HOT)
    hot_lines = Line.objects.filter(account=hot).count()

    def balance():
        return Account.objects.get(pk=hot.pk).balance

    def pk_lookup():
        return Book.objects.get(pk=book.pk)

    def per_call(fn):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        return (time.perf_counter() - start) / calls

    balance_s, pk_s = [], []
    for _ in range(7):  # interleaved rounds, medians
        balance_s.append(per_call(balance))
        pk_s.append(per_call(pk_lookup))
    by_sum = _median_s(lambda: Line.objects.filter(account=hot).aggregate(Sum("debit"), Sum("credit")))
    result = {"balance_read_ms": statistics.median(balance_s) * 1000, "pk_lookup_ms": statistics.median(pk_s) * 1000,
              "balance_by_sum_s": by_sum, "hot_account_lines": hot_lines}
    result["balance_read_ratio"] = result["balance_read_ms"] / result["pk_lookup_ms"]
    out(f"  balance of an account with {hot_lines:,} lines: {result['balance_read_ms']:.3f} ms; primary-key lookup "
        f"{result['pk_lookup_ms']:.3f} ms: ratio {result['balance_read_ratio']:.2f} "
        f"(adding its lines up instead: {by_sum:.3f} s)")
    return result


def measure_statements(book: Book, out: Out) -> dict:
    lines = Line.objects.filter(book=book).count()
    start, end = FISCAL_YEAR.start, FISCAL_YEAR.end
    trial = statements.trial_balance(book, start, end)
    if not trial.is_balanced:
        raise AssertionError(f"the trial balance of {book.code} does not balance")
    result = {
        "book_lines": lines,
        "trial_balance_s": _median_s(lambda: statements.trial_balance(book, start, end)),
        "income_statement_s": _median_s(lambda: statements.income_expenditure(book, start, end)),
        "trial_balance_sql_s": _median_s(lambda: list(Line.objects.filter(book=book).values("account_id")
                                                      .annotate(Sum("debit"), Sum("credit")).order_by())),
    }
    out(f"  book with {lines:,} lines: trial balance {result['trial_balance_s']:.3f} s, income statement "
        f"{result['income_statement_s']:.3f} s (plain SUM … GROUP BY account: {result['trial_balance_sql_s']:.3f} s)")
    return result


def run(*, lines: int = 1_000_000, entries: int = 1_000, workers: int = 4, out: Out = lambda text: None) -> dict:
    """Run every measurement and return the figures (the JSON object ``bench ledger --json`` prints)."""
    if connection.in_atomic_block and workers > 1:
        out("  inside a transaction (a test): one thread only")
        workers = 1
    out(f"Ledger benchmark on {connection.vendor}: {lines:,} lines, {entries:,} entries per posting test, "
        f"{workers} threads")
    book = book_open("L")
    out(f"Loading book {book.code}")
    load_s = load_lines(book, lines, out)
    out("Posting, one transaction an entry")
    service, raw = measure_posting(book, entries, out)
    out("Posting from several threads at once")
    hot, spread = measure_contention(book_open("C"), entries, workers, out)
    out("Reading")
    figures = {
        "vendor": connection.vendor, "lines": lines, "workers": workers, "entries": entries,
        "load_s": load_s, "load_lines_per_s": (lines // 2 * 2) / load_s if load_s else 0.0,
        "post_ratio": service / raw, "post_service_per_s": service, "post_raw_per_s": raw,
        "hot_ratio": hot / spread, "hot_per_s": hot, "spread_per_s": spread,
    }
    figures.update(measure_balance_read(book, out, calls=min(500, max(20, lines // 100))))
    figures.update(measure_statements(book, out))
    goals = [("post_ratio", figures["post_ratio"] >= 0.5, "≥ 0.5"), ("hot_ratio", figures["hot_ratio"] >= 0.5, "≥ 0.5"),
             ("balance_read_ratio", figures["balance_read_ratio"] <= 2, "≤ 2"),
             ("trial_balance_s", figures["trial_balance_s"] < 1, "< 1 s")]
    verdicts = []
    for name, ok, goal in goals:
        if name == "trial_balance_s" and connection.vendor != "postgresql":
            verdicts.append(f"{name} {figures[name]:.2f} s (the goal, {goal}, is set for PostgreSQL)")
        else:
            verdicts.append(f"{name} {'met' if ok else 'MISSED'} ({goal})")
    out("Goals: " + ", ".join(verdicts))
    return figures
