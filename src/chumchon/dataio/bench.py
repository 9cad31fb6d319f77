"""The import benchmark behind ``chumchon bench import``: a fund's contribution history imported on the configured
database, against the fastest raw write of the same rows.

It opens a fund of its own (code ``BENCH-<UTC time>-…``, never an existing fund), imports its members through the
``memberships`` kind (one member for every ``ROWS_PER_MEMBER`` receipts), writes a realistic contributions file
(CSV as the template has it: member number, receipt number, B.E. date, amount in whole days at one baht a day,
receipts in date order over the last complete fiscal year) and measures, in one run:

- **the full import** through the services the page and the CLI use — ``job_create`` (store the file),
  ``job_check`` (parse and check every row, stage the checked rows), ``job_confirm`` and ``job_write`` (ask the
  database whether anything changed since the check, post one journal entry per day and batch with every ledger
  rule and trigger on, copy the receipts in with INSERT … SELECT, move the members' paid-through dates) — wall
  clock, in a child process forked for it, so that the child's peak resident memory
  is the import's (``peak_rss_mb``, goal ≤ 400 MB for 1,000,000 rows). The child then checks that nothing was
  lost: as many receipts as rows, and the fund's contributions account (4101) and cash (1101) moved by the file's
  total (``ledger_ok``). DEBUG is off for it, as in production;
- **the baseline**, right after: the same rows, as the values the import wrote (read back outside the timer),
  written raw into a table of the same columns with no index, constraint or trigger — COPY into an UNLOGGED table
  on PostgreSQL, ``executemany`` into a TEMP table on SQLite, in one transaction;
  ``ratio`` = import rows a second ÷ baseline rows a second (goal ≥ 0.3 on PostgreSQL, ≥ 0.25 on SQLite);
- **the table's own cost**: the same raw write into an empty copy of the contributions table with its indexes,
  constraints and foreign keys, in the import's batches, a transaction each (``table_ratio`` = its rows a
  second ÷ the baseline's): what the table's keys cost a write that sends its rows one by one. (The import's
  write, ``INSERT … SELECT`` from the staged rows, pays the same keys without sending rows, and can be faster.)

A child process cannot see rows of a transaction still open in its parent, nor an in-memory SQLite database: in
those cases (the tests) everything runs in this process, ``measured_in`` says so and ``peak_rss_mb`` is the whole
process's. Posted ledger rows are append-only, so the bench fund stays: run it on a throwaway database.
"""

import csv
import datetime
import multiprocessing
import random
import re
import resource
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.db import connection, connections, transaction
from django.test import override_settings
from django.utils import timezone

from chumchon.core.thai.dates import format_date
from chumchon.core.thai.fiscal import FiscalYear, fiscal_year_of
from chumchon.core.thai.national_id import make_valid
from chumchon.dataio import services
from chumchon.dataio.kinds import KINDS
from chumchon.dataio.kinds.contributions import _COLUMNS as CONTRIBUTION_COLUMNS
from chumchon.dataio.models import ImportJob
from chumchon.ledger.models import Account
from chumchon.welfare import bench as welfare_bench
from chumchon.welfare import services as welfare_services
from chumchon.welfare.models import Contribution, Fund

Out = Callable[[str], object]

ROWS_PER_MEMBER = 100  # receipts per member in the file
# Amounts in whole days at the fund's default one baht a day, weighted as funds see them: mostly a month, then a
# quarter, a year, a week, half a year.
AMOUNTS = (30,) * 10 + (90,) * 4 + (365,) * 3 + (7,) * 2 + (180,)
RATIO_GOAL = {"postgresql": 0.3, "sqlite": 0.25}
MEMORY_GOAL_MB = 400
READ_BACK = 50_000  # rows read back (untimed) then written (timed) at a time by the baseline
_FIRST_NAMES = ("สมชาย", "สมศรี", "บุญมี", "มาลี", "ประเสริฐ", "สุดา", "วิชัย", "จันทร์เพ็ญ", "สมบัติ", "ทองใบ")
_LAST_NAMES = ("ใจดี", "รักษ์ถิ่น", "มีสุข", "ทองคำ", "แก้วมณี", "ศรีสวัสดิ์", "บุญเรือง", "พรหมมา")
_BASELINE_TABLE = "bench_import_baseline"
_TABLE_COPY = "bench_import_table"


def _be(day: datetime.date) -> str:
    return format_date(day, "numeric")


def _fiscal_year() -> FiscalYear:
    """The last complete fiscal year: every date of it is in the past (the import refuses future dates)."""
    return FiscalYear(fiscal_year_of(timezone.localdate()).be_year - 1)


def _founded(fiscal_year: FiscalYear) -> datetime.date:
    return datetime.date(fiscal_year.start.year - 6, 10, 1)


# --- child processes ---------------------------------------------------------------------------------------------

def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _child(pipe, target: Callable, args: tuple) -> None:
    try:
        result = target(*args)
        pipe.send(("ok", result, _peak_rss_mb()))
    except BaseException:  # noqa: BLE001 - anything, even an exit, goes back to the parent to report
        pipe.send(("error", traceback.format_exc(), 0.0))
    finally:
        connections.close_all()
        pipe.close()


def _forked(target: Callable, *args) -> tuple[object, float]:
    """``target(*args)`` in a forked child: its result and the child's peak resident memory (MB). Database
    connections are closed first: a child must never share its parent's socket or file handle."""
    connections.close_all()
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, target, args))
    process.start()
    send.close()
    try:
        status, result, peak = receive.recv()
    except EOFError:
        status, result, peak = "error", "the child process ended without a result", 0.0
    process.join()
    if status != "ok":
        raise RuntimeError(f"{target.__name__} failed in its child process (exit {process.exitcode}):\n{result}")
    return result, peak


def _fork_possible() -> bool:
    """A child sees only committed rows of a database file or server."""
    if connection.in_atomic_block:
        return False
    if connection.vendor == "sqlite":
        return not connection.is_in_memory_db()
    return True


# --- the bench fund and its members ------------------------------------------------------------------------------

def _fund_open(admin, subdistrict, stamp: str, fiscal_year: FiscalYear) -> Fund:
    code = f"BENCH-{stamp}-I-{uuid.uuid4().hex[:4]}"[:32]
    return welfare_services.fund_create(actor=admin, code=code, name_th=f"กองทุนทดสอบการนำเข้า {code}",
                                        subdistrict=subdistrict, founded_on=_founded(fiscal_year))


def _members_file(path: Path, members: int, fiscal_year: FiscalYear, rng: random.Random) -> None:
    """The member list as a fund keeps it: Thai header, titles, national IDs with dashes, B.E. joining dates, all
    before the fiscal year (so every receipt is after joining)."""
    base = uuid.uuid4().int % (10**11 - members)  # national IDs no earlier bench run used
    first_joined = _founded(fiscal_year)
    span = (fiscal_year.start - first_joined).days
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["เลขที่สมาชิก", "เลขประจำตัวประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล", "หมู่ที่", "วันที่สมัคร"])
        for n in range(members):
            nid = make_valid(f"3{base + n:011d}")
            writer.writerow([
                f"{n + 1:06d}", f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}",
                "นาง" if n % 2 else "นาย", _FIRST_NAMES[n % len(_FIRST_NAMES)], _LAST_NAMES[n % len(_LAST_NAMES)],
                n % 20 + 1, _be(first_joined + datetime.timedelta(days=rng.randrange(span))),
            ])


def _import(kind: str, path: Path, fund_pk: int) -> dict[str, float]:
    """One import as the CLI runs it (system, all or nothing): the seconds of each step and the rows written."""
    fund = Fund.objects.select_related("organisation__book", "organisation__subdistrict").get(pk=fund_pk)
    start = time.perf_counter()
    with path.open("rb") as handle:
        job = services.job_create(actor=None, kind=kind, file=handle, filename=path.name, fund=fund, system=True)
    times = {"create_s": time.perf_counter() - start}
    job = services.job_check(job, system=True)
    times["check_s"] = time.perf_counter() - start - times["create_s"]
    if job.status != ImportJob.Status.CHECKED or job.rows_invalid:
        problems = list(job.problems.values_list("row", "message_en")[:5])
        raise RuntimeError(f"the bench {kind} file did not pass the check: {job.message} {problems}")
    job = services.job_confirm(actor=None, job=job)
    mark = time.perf_counter()
    job = services.job_write(job, system=True)
    times["write_s"] = time.perf_counter() - mark
    times["import_s"] = time.perf_counter() - start
    if job.status != ImportJob.Status.DONE:
        raise RuntimeError(f"the bench {kind} import failed: {job.message}")
    return {**times, "rows_written": job.rows_written}


# --- the contributions file ---------------------------------------------------------------------------------------

def _contributions_file(path: Path, rows: int, members: int, fiscal_year: FiscalYear,
                        rng: random.Random) -> Decimal:
    """``rows`` receipts in date order spread evenly over the fiscal year, numbered in that order, each from a
    member drawn at random; returns the file's total. Written as it goes: the parent stays small before it forks."""
    days = (fiscal_year.end - fiscal_year.start).days + 1
    total = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["เลขที่สมาชิก", "เลขที่ใบเสร็จ", "วันที่จ่าย", "จำนวนเงิน"])
        writer.writerow(["member_number", "receipt_number", "date", "amount"])  # the template's English row
        day_text, day_index = "", -1
        for i in range(rows):
            if i * days // rows != day_index:
                day_index = i * days // rows
                day_text = _be(fiscal_year.start + datetime.timedelta(days=day_index))
            amount = rng.choice(AMOUNTS)
            total += amount
            writer.writerow([f"{rng.randrange(members) + 1:06d}", f"{fiscal_year.be_year}/{i + 1:07d}", day_text,
                             f"{amount:,}.00"])
    return Decimal(total).quantize(Decimal("0.01"))


# --- the measured import ------------------------------------------------------------------------------------------

@override_settings(DEBUG=False)
def _measured_import(fund_pk: int, path: Path, rows: int, total: Decimal) -> dict:
    """The import of the contributions file, then the check that nothing was lost. With DEBUG off, as in
    production: DEBUG keeps every query with its parameters, which is the bench's safety catch, not a cost of
    the import."""
    book_id = Fund.objects.values_list("organisation__book", flat=True).get(pk=fund_pk)

    def totals() -> dict[str, tuple[Decimal, Decimal]]:
        return {a.code: (a.debit_total, a.credit_total)
                for a in Account.objects.filter(book_id=book_id, code__in=["1101", "4101"])}

    before = totals()
    figures = _import("contributions", path, fund_pk)
    after = totals()
    written = Contribution.objects.filter(fund_id=fund_pk).count()
    credited = after["4101"][1] - before["4101"][1]
    figures.update(
        contributions_written=written, contributions_credited=str(credited),
        ledger_ok=written == rows == figures["rows_written"] and credited == total
        and after["1101"][0] - before["1101"][0] == total,
    )
    return figures


# --- raw writes of the same rows ----------------------------------------------------------------------------------

def _read_back(cursor, fund: Fund, batch: int):
    """The fund's contributions as the import wrote them, ``batch`` rows at a time, in id order."""
    columns = ", ".join(CONTRIBUTION_COLUMNS)
    last = 0
    while True:
        cursor.execute(f"SELECT id, {columns} FROM {Contribution._meta.db_table} WHERE fund_id = %s AND id > %s"  # noqa: S608
                       " ORDER BY id LIMIT %s", [fund.pk, last, batch])
        rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [row[1:] for row in rows]


def _write_raw(cursor, table: str, records: list) -> None:
    columns = ", ".join(CONTRIBUTION_COLUMNS)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for record in records:
                copy.write_row(record)
    else:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
                           f"({', '.join(['%s'] * len(CONTRIBUTION_COLUMNS))})", records)


@override_settings(DEBUG=False)
def _baseline(fund: Fund, rows: int) -> float:
    """Seconds to write the rows the import wrote, raw, into a table of the same columns with no index or
    constraint, in one transaction (commit included); the rows are read back outside the timer."""
    columns = ", ".join(CONTRIBUTION_COLUMNS)
    source = Contribution._meta.db_table
    seconds, written = 0.0, 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_BASELINE_TABLE}")
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE UNLOGGED TABLE {_BASELINE_TABLE} AS SELECT {columns} FROM {source}"  # noqa: S608
                           " WITH NO DATA")
        else:
            cursor.execute(f"CREATE TEMP TABLE {_BASELINE_TABLE} AS SELECT {columns} FROM {source} WHERE 0")  # noqa: S608
        try:
            with transaction.atomic():
                for records in _read_back(cursor, fund, READ_BACK):
                    start = time.perf_counter()
                    _write_raw(cursor, _BASELINE_TABLE, records)
                    seconds += time.perf_counter() - start
                    written += len(records)
                start = time.perf_counter()
            seconds += time.perf_counter() - start  # the commit
            cursor.execute(f"SELECT COUNT(*) FROM {_BASELINE_TABLE}")  # noqa: S608
            if cursor.fetchone()[0] != rows or written != rows:
                raise RuntimeError(f"the baseline wrote {written:,} rows, not {rows:,}")
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {_BASELINE_TABLE}")
    return seconds


def _table_copy_create(cursor) -> None:
    """An empty copy of the contributions table with its indexes, checks, unique and foreign keys. Not its
    triggers: they refuse UPDATE and DELETE (money documents are append-only) and never fire on the INSERTs
    measured."""
    source = Contribution._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute(f"CREATE TABLE {_TABLE_COPY} (LIKE {source} INCLUDING ALL)")
        cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass"
                       " AND contype = 'f'", [source])
        for (definition,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {_TABLE_COPY} ADD {definition}")
        return
    cursor.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL"
                   " AND type IN ('table', 'index')", [source])
    for kind, sql in sorted(cursor.fetchall(), key=lambda item: item[0] != "table"):
        sql = sql.replace(f'"{source}"', f'"{_TABLE_COPY}"')
        if kind != "table":  # index names are global: give the copy's its own
            sql = re.sub(r'^(CREATE (?:UNIQUE )?INDEX )"', rf'\1"{_TABLE_COPY}_', sql)
        cursor.execute(sql)


@override_settings(DEBUG=False)
def _table_write(fund: Fund, rows: int, batch: int) -> float:
    """Seconds to write the same rows raw into an empty copy of the contributions table, ``batch`` rows a
    transaction as the import writes them; the rows are read back outside the timer."""
    seconds, written = 0.0, 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_TABLE_COPY}")
        _table_copy_create(cursor)
        try:
            with services._page_cache():  # the import's own setting for its writes
                for records in _read_back(cursor, fund, batch):
                    start = time.perf_counter()
                    with transaction.atomic():
                        _write_raw(cursor, _TABLE_COPY, records)
                    seconds += time.perf_counter() - start
                    written += len(records)
            if written != rows:
                raise RuntimeError(f"the table copy got {written:,} rows, not {rows:,}")
        finally:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # Inside an outer transaction (the tests) the copy's deferred foreign-key checks are still
                # pending, and PostgreSQL refuses to drop a table with pending trigger events: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"DROP TABLE IF EXISTS {_TABLE_COPY}")
    return seconds


# --- the whole run ------------------------------------------------------------------------------------------------

def run(rows: int = 1_000_000, out: Out = print, subprocess: bool | None = None) -> dict:
    """Build the bench fund, import a contributions file of ``rows`` rows (in a child process unless
    ``subprocess`` is False, or None and the database cannot be shared with one), write the same rows raw, print
    human-readable lines and return the figures."""
    vendor = connection.vendor
    goal = RATIO_GOAL.get(vendor, 0.3)
    members = max(1, rows // ROWS_PER_MEMBER)
    fiscal_year = _fiscal_year()
    if subprocess is None:
        subprocess = _fork_possible()
    elif subprocess and not _fork_possible():
        raise RuntimeError("the import cannot run in a child process here (open transaction or in-memory database)")

    def call(target: Callable, *args) -> tuple[object, float | None]:
        return _forked(target, *args) if subprocess else (target(*args), None)

    out(f"Import benchmark on {vendor}: {rows:,} contributions of {members:,} members, fiscal year "
        f"{fiscal_year.be_year}, measured in {'a child process' if subprocess else 'this process'}")
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    subdistrict = welfare_bench._geography_ensure(out)
    admin = welfare_bench._administrator(stamp)
    fund = _fund_open(admin, subdistrict, stamp, fiscal_year)
    rng = random.Random(rows)  # noqa: S311 - the same file for the same size; nothing secret
    with tempfile.TemporaryDirectory(prefix="chumchon-bench-import-") as folder:
        folder = Path(folder)
        _members_file(folder / "members.csv", members, fiscal_year, rng)
        setup, _peak = call(_import, "memberships", folder / "members.csv", fund.pk)
        out(f"Fund {fund.code}: {members:,} members imported (memberships kind) in {setup['import_s']:.1f} s")
        started = time.perf_counter()
        path = folder / "contributions.csv"
        total = _contributions_file(path, rows, members, fiscal_year, rng)
        out(f"  contributions file: {rows:,} rows, {path.stat().st_size / 1e6:,.1f} MB, {total:,.2f} baht, "
            f"written in {time.perf_counter() - started:.1f} s")
        out("The full import: store, check, confirm, write and post to the ledger")
        rss_before = _rss_mb()
        figures, peak = call(_measured_import, fund.pk, path, rows, total)
    if peak is None:
        peak = _peak_rss_mb()
    if not figures["ledger_ok"]:
        raise RuntimeError(f"the import lost rows or money: {figures['contributions_written']:,} receipts written "
                           f"for {rows:,} rows, {figures['contributions_credited']} credited for {total}")
    import_rate = rows / figures["import_s"]
    out(f"  {rows:,} rows in {figures['import_s']:.1f} s ({import_rate:,.0f} rows/s): store "
        f"{figures['create_s']:.1f} s, check {figures['check_s']:.1f} s, write {figures['write_s']:.1f} s")
    out(f"  peak memory {peak:,.0f} MB ({'the child' if subprocess else 'the whole process'}; this process was "
        f"{rss_before:,.0f} MB when it started the import)")
    out(f"  nothing lost: {figures['contributions_written']:,} receipts, {total:,.2f} baht credited to 4101 "
        "and debited to 1101")

    out("The baseline: the same rows written raw into a table with no index or constraint "
        + ("(COPY, UNLOGGED table, one transaction)" if vendor == "postgresql"
           else "(executemany, TEMP table, one transaction)"))
    baseline_s = _baseline(fund, rows)
    baseline_rate = rows / baseline_s
    ratio = import_rate / baseline_rate
    out(f"  {rows:,} rows in {baseline_s:.2f} s ({baseline_rate:,.0f} rows/s): ratio {ratio:.2f}")

    batch = KINDS["contributions"].batch_size
    out(f"The table's own cost: the same raw write into an empty copy of the contributions table (its indexes, "
        f"checks and foreign keys), {batch:,} rows a transaction")
    table_s = _table_write(fund, rows, batch)
    table_rate = rows / table_s
    out(f"  {rows:,} rows in {table_s:.2f} s ({table_rate:,.0f} rows/s): {table_rate / baseline_rate:.2f} of the "
        f"baseline (what the table's indexes and keys cost a write sent row by row); the import's own write, "
        f"set-based from the staged rows, took {figures['write_s']:.1f} s")

    result = {
        "rows": rows, "members": members, "vendor": vendor, "fund": fund.code,
        "measured_in": "child" if subprocess else "process", "fiscal_year": fiscal_year.be_year,
        "import_s": figures["import_s"], "create_s": figures["create_s"], "check_s": figures["check_s"],
        "write_s": figures["write_s"], "import_rows_per_s": import_rate,
        "baseline_s": baseline_s, "baseline_rows_per_s": baseline_rate, "ratio": ratio,
        "table_s": table_s, "table_rows_per_s": table_rate, "table_ratio": table_rate / baseline_rate,
        "peak_rss_mb": peak, "rss_before_import_mb": rss_before, "members_import_s": setup["import_s"],
        "ledger_ok": figures["ledger_ok"], "total_baht": str(total),
    }
    ratio_met = "met" if ratio >= goal else "MISSED"
    memory_met = "met" if peak <= MEMORY_GOAL_MB else "MISSED"
    out(f"Goals: ratio {ratio_met} ({ratio:.2f}; ≥ 0.25 SQLite / ≥ 0.3 PostgreSQL), peak memory {memory_met} "
        f"({peak:,.0f} MB; ≤ {MEMORY_GOAL_MB} MB)")
    return result
