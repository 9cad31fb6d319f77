"""Concurrency on PostgreSQL: many processes posting at once keep the books exact.

Given a database of its own (the pytest-django test database lives inside one transaction that never commits, so
other processes could not see it), two books and 8 worker processes, when every worker posts random entries for
20 seconds (CHUMCHON_CONCURRENCY_SECONDS), all of them touching one hot cash account, and some replay their own
keys or race each other on shared keys, then: debits equal credits per book and overall, every running balance
equals the sum of its lines, the committed entries are exactly the acknowledged ones (one audit row each), a
replayed key always answered with the first entry, and no error (a deadlock above all) reached a caller.
"""

import json
import os
import subprocess
import sys
import textwrap

import psycopg
import pytest
from django.conf import settings

WORKERS = int(os.environ.get("CHUMCHON_CONCURRENCY_WORKERS", "8"))
SECONDS = float(os.environ.get("CHUMCHON_CONCURRENCY_SECONDS", "20"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="concurrency is tested on PostgreSQL"),
]

SETUP = textwrap.dedent("""
    import django
    django.setup()
    from chumchon.ledger import services
    for code in ("CONC-A", "CONC-B"):
        services.book_create(actor=None, code=code, name_th="สมุดทดสอบการทำงานพร้อมกัน " + code)
""")

WORKER = textwrap.dedent("""
    import datetime, json, random, sys, time
    from decimal import Decimal
    import django
    django.setup()
    from chumchon.ledger import services
    from chumchon.ledger.models import Book

    worker, seconds = int(sys.argv[1]), float(sys.argv[2])
    books = {b.code: b for b in Book.objects.filter(code__in=["CONC-A", "CONC-B"])}
    rng = random.Random(worker)
    INCOME, EXPENSE = ["4101", "4201", "4301", "4401"], ["5103", "5105", "5301", "5302"]
    FIRST = datetime.date(2023, 10, 1)

    def entry(r):
        # one line on the hot cash account 1101, the other side on one or two other accounts
        amount = Decimal(r.randrange(1, 500_000)) / 100
        others = r.sample(INCOME if r.random() < 0.6 else EXPENSE, r.choice([1, 2]))
        first = (amount / 2).quantize(Decimal("0.01")) if len(others) == 2 else amount
        parts = [first, amount - first] if len(others) == 2 else [amount]
        if others[0] in INCOME:
            lines = [("1101", amount, 0)] + [(code, 0, part) for code, part in zip(others, parts)]
        else:
            lines = [(code, part, 0) for code, part in zip(others, parts)] + [("1101", 0, amount)]
        date = FIRST + datetime.timedelta(days=r.randrange(366))
        return date, [l for l in lines if (l[1] or l[2])]

    acked, errors, payloads, attempts, replays = {}, [], {}, 0, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        attempts += 1
        roll = rng.random()
        if roll < 0.1 and payloads:
            key = rng.choice(sorted(payloads))  # replay one of our own keys, same payload
            replays += 1
        elif roll < 0.3:
            key = f"shared-{rng.randrange(300)}"  # the same key and payload in every worker: they race
            payloads[key] = ("CONC-B" if key.endswith("7") else "CONC-A", *entry(random.Random(key)))
        else:
            key = f"w{worker}-{attempts}"
            payloads[key] = ("CONC-B" if rng.random() < 0.2 else "CONC-A", *entry(rng))
        code, date, lines = payloads[key]
        try:
            posted = services.entry_post(
                actor=None, book=books[code], date=date, memo="ทดสอบพร้อมกัน", idempotency_key=key,
                lines=[services.LineSpec(a, debit=d, credit=c) for a, d, c in lines],
            )
        except Exception as exc:
            errors.append(f"{key}: {type(exc).__name__}: {exc}"[:400])
            continue
        if acked.setdefault(key, posted.pk) != posted.pk:
            errors.append(f"{key}: replay answered entry {posted.pk}, first answer was {acked[key]}")
    print(json.dumps({"worker": worker, "acked": acked, "errors": errors, "attempts": attempts,
                      "replays": replays}))
""")


@pytest.fixture
def concurrency_database(own_postgres_database):
    """The two books the workers post to, in a migrated database of its own."""
    name, env = own_postgres_database
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, timeout=120)
    return name, env


def _rows(conn, query: str) -> list[tuple]:
    return conn.execute(query).fetchall()


def test_concurrent_posters_keep_the_books_exact(concurrency_database, record_property):
    name, env = concurrency_database
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(n), str(SECONDS)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(WORKERS)]
    reports = []
    for process in workers:
        out, err = process.communicate(timeout=SECONDS + 300)
        assert process.returncode == 0, err[-3000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))

    errors = [e for r in reports for e in r["errors"]]
    assert errors == [], errors[:20]  # no deadlock, serialization failure or anything else reached a caller
    acked: dict[str, int] = {}
    for report in reports:
        for key, pk in report["acked"].items():
            assert acked.setdefault(key, pk) == pk, f"{key} answered {pk} and {acked[key]}"
    record_property("attempts", sum(r["attempts"] for r in reports))
    record_property("entries", len(acked))
    record_property("replays", sum(r["replays"] for r in reports))
    assert len(acked) > WORKERS  # the workers did post

    db = settings.DATABASES["default"]
    with psycopg.connect(dbname=name, user=db.get("USER") or None, password=db.get("PASSWORD") or None,
                         host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432) as conn:
        committed = dict(_rows(conn, "SELECT idempotency_key, id FROM ledger_journalentry"))
        assert committed == acked  # committed entries = acknowledged entries, and the same ones
        assert _rows(conn, "SELECT count(*) FROM ledger_journalentry WHERE status <> 'posted'") == [(0,)]
        assert _rows(conn, "SELECT count(*) FROM core_auditlog WHERE action = 'ledger.entry_post'") == [(len(acked),)]
        per_book = _rows(conn, "SELECT book_id, SUM(debit), SUM(credit), COUNT(*) FROM ledger_line GROUP BY book_id")
        assert len(per_book) == 2 and all(debit == credit for _, debit, credit, _ in per_book), per_book
        assert _rows(conn, "SELECT SUM(debit) = SUM(credit) FROM ledger_line") == [(True,)]
        assert _rows(conn, "SELECT SUM(debit_total) = SUM(credit_total) FROM ledger_account") == [(True,)]
        assert _rows(conn, """
            SELECT a.id, a.debit_total, a.credit_total, s.debit, s.credit FROM ledger_account a
            LEFT JOIN (SELECT account_id, SUM(debit) AS debit, SUM(credit) AS credit FROM ledger_line
                       GROUP BY account_id) s ON s.account_id = a.id
            WHERE a.debit_total <> COALESCE(s.debit, 0) OR a.credit_total <> COALESCE(s.credit, 0)""") == []
        assert _rows(conn, "SELECT entry_id FROM ledger_line GROUP BY entry_id "
                           "HAVING SUM(debit) <> SUM(credit) OR SUM(debit) <= 0") == []
        hot_lines = _rows(conn, "SELECT count(*) FROM ledger_line l JOIN ledger_account a ON a.id = l.account_id "
                                "WHERE a.code = '1101'")
        assert hot_lines == [(len(acked),)]  # every entry touched the hot cash account exactly once
        # entry numbers: 1 … n per book and fiscal year, none missing or given twice, the sequence at n
        assert _rows(conn, """
            SELECT e.book_id, e.fiscal_year FROM ledger_journalentry e
            LEFT JOIN ledger_entrysequence s ON s.book_id = e.book_id AND s.fiscal_year = e.fiscal_year
            GROUP BY e.book_id, e.fiscal_year
            HAVING MIN(e.number) <> 1 OR MAX(e.number) <> COUNT(*) OR COUNT(DISTINCT e.number) <> COUNT(*)
                OR MAX(e.number) <> MAX(s.last)""") == []
        assert _rows(conn, "SELECT count(*) FROM ledger_journalentry WHERE number IS NULL") == [(0,)]
