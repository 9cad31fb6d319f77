"""Importing a file: create the job, check every row (nothing written), then write in batches.

Two passes over the file, both streamed in batches of a few thousand rows (memory stays bounded whatever the
file's size):

1. **check** — every cell read and every row checked against the database and the rows before it; the problems
   are stored (row, column, value, Thai and English), and so is each cell a valid row would change in a record
   already there (row, column, now, in the file). Nothing else is written.
2. **write** — only after the user confirms, and in "all or nothing" mode only when the check found no problem.
   Each batch is checked again (the database may have moved on) and written in one transaction together with the
   job's checkpoint, so a worker killed in the middle leaves whole batches only and :func:`job_write` called again
   resumes after the last one. A kind that *stages* (contributions, the big files) keeps the rows it checked in a
   staging table; its write then asks the database, batch by batch and set-based, whether anything the check
   relied on has changed, and moves the batch with SQL (INSERT … SELECT) instead of reading and checking the
   file again. When something has changed — or the staged rows are gone — it goes back to reading the file
   from the checkpoint, which names the row that no longer holds. Rows are keyed naturally (national ID, fund +
   member number, fund + receipt number), so importing the same file twice writes nothing the second time.
"""

import datetime
import gc
import hashlib
import itertools
import logging
import threading
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from chumchon.core.audit import audit_record
from chumchon.core.errors import bilingual
from chumchon.dataio.exports import be
from chumchon.dataio.kinds import KINDS
from chumchon.dataio.kinds.base import Context, Counts, Row
from chumchon.dataio.models import ImportChange, ImportJob, ImportProblem
from chumchon.dataio.readers import FileReadError, open_table
from chumchon.dataio.values import thai_labels

log = logging.getLogger(__name__)
PROBLEMS_KEPT = 100_000  # beyond this the report says how many more there were
CHANGES_KEPT = 100_000  # cells to be changed in records already there, kept for the page and the report
WRITE_PAGE_CACHE_KIB = 64 * 1024  # SQLite's page cache while writing: see _page_cache
YOUNG_COLLECTION_EVERY = 50_000  # new objects between the collector's young passes during a check or write
Status = ImportJob.Status


class ImportRefused(Exception):
    """The job is not in a state that allows the step asked for."""

    def __init__(self, th: str, en: str) -> None:
        self.message_th, self.message_en = th, en
        super().__init__(bilingual(th, en))


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


@transaction.atomic
def job_create(*, actor, kind: str, file, filename: str, fund=None, mode: str = ImportJob.Mode.ALL_OR_NOTHING,
               system: bool = False) -> ImportJob:
    """Store the uploaded file and open a job for it (checked next, by :func:`job_check`)."""
    if kind not in KINDS:
        raise ImportRefused(f"ไม่รู้จักชนิดข้อมูล {kind}", f"unknown import kind {kind}")
    if fund is not None and not Context(kind=KINDS[kind], fund=fund, actor=actor, system=system).may_act(fund):
        raise PermissionDenied("ไม่มีสิทธิ์นำเข้าข้อมูลของกองทุนนี้ (not allowed to import into this fund)")
    if fund is None and KINDS[kind].needs_fund and not system and not _national(actor):
        raise ImportRefused("กรุณาเลือกกองทุน", "please choose the fund")
    job = ImportJob(kind=kind, fund=fund, organisation=fund.organisation if fund else None, filename=filename[:200],
                    mode=mode, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    job.sha256 = _sha256(file)
    job.file.save(Path(filename).name[-100:] or "import", File(file), save=False)
    job.save()
    audit_record(actor=actor, action="dataio.job_create", obj=job, summary=f"{kind} {filename}",
                 organisation=job.organisation)
    return job


def _national(actor) -> bool:
    from chumchon.access.roles import ScopeKind
    from chumchon.access.scoping import assignments_of

    return any(a.scope_kind == ScopeKind.NATIONAL for a in assignments_of(actor))


def _table(job: ImportJob):
    kind = KINDS[job.kind]
    return kind, open_table(job.file.path, kind.aliases(), kind.required(job.fund_id is not None))


def _batches(kind, table, after: int = 0):
    """The file's rows after row ``after``, read (:meth:`Kind.parser`) in batches of the kind's size."""
    parse, size = kind.parser(present=table.columns.values()), kind.batch_size
    rows = table.rows
    if after:
        rows = itertools.dropwhile(lambda item: item[0] <= after, rows)
    batch: list[Row] = []
    append = batch.append
    for number, raw, bare in rows:
        append(parse(number, raw, bare))
        if len(batch) >= size:
            yield batch
            batch = []
            append = batch.append
    if batch:
        yield batch


@contextmanager
def _page_cache():
    """On SQLite, a bigger page cache on the connection for the length of a write, then the one it had.

    SQLite keeps 2 MB of pages per connection by default. Writing a big file inserts into every index of the
    table at places spread over the whole index (member ids, for contributions) and updates rows spread over the
    member table, so once the tables outgrow 2 MB much of each batch is read back from the file: 64 MB made the
    write of 300,000 receipts about a tenth faster (``chumchon bench import``). PostgreSQL's shared buffers need
    no such help."""
    if connection.vendor != "sqlite" or WRITE_PAGE_CACHE_KIB <= 0:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        before_kib = -before if before < 0 else before * cursor.fetchone()[0] // 1024
        if before_kib >= WRITE_PAGE_CACHE_KIB:
            yield
            return
        cursor.execute(f"PRAGMA cache_size = -{int(WRITE_PAGE_CACHE_KIB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


_eased_lock = threading.Lock()
_eased: dict = {"depth": 0, "threshold": None}  # imports running in this process, and the collector's setting


@contextmanager
def _collector_eased():
    """Python's cyclic garbage collector eased for the length of a check or a write.

    A big file makes a few objects per row (the row, its values), nearly none of them in cycles, and every few
    hundred new objects the collector looks at the young ones; each time enough survive, it goes through every
    object of the process (Django's, the app's, the members read so far). Measured on a contributions file of
    500,000 rows: 1.8 s of a 10.5 s check in the collector, 28 full passes (``chumchon bench import``). So the
    objects alive when the task starts are set aside (``gc.freeze``: they were there before, and are not the
    task's garbage) and the young passes come every ``YOUNG_COLLECTION_EVERY`` new objects instead of 700.
    Everything is as it was afterwards; the collector still runs (a cycle made meanwhile is still freed). The
    setting is the process's: imports run at once in several threads (tasks run in the request, in development)
    share it, the first to start eases it and the last to finish puts it back."""
    with _eased_lock:
        if not _eased["depth"]:
            _eased["threshold"] = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(max(_eased["threshold"][0], YOUNG_COLLECTION_EVERY), *_eased["threshold"][1:])
        _eased["depth"] += 1
    try:
        yield
    finally:
        with _eased_lock:
            _eased["depth"] -= 1
            if not _eased["depth"]:
                gc.set_threshold(*_eased["threshold"])
                gc.unfreeze()


def _save(job: ImportJob, *fields: str) -> None:
    job.heartbeat = timezone.now()
    job.save(update_fields=[*fields, "heartbeat"])


def _fail(job: ImportJob, error: Exception) -> ImportJob:
    job.status = Status.FAILED
    job.message = str(error)[:2000]
    job.finished = timezone.now()
    _save(job, "status", "message", "finished")
    return job


_CHECKED = ("checked_new", "checked_updated", "checked_unchanged")


def job_check(job: ImportJob, *, system: bool = False, stage: bool = True) -> ImportJob:
    """Read and check every row; store the problems. Writes nothing but the job, its problems and (kinds that
    stage, unless ``stage`` is False: a dry run) its checked rows, kept for the write (:func:`job_write`)."""
    if job.status not in (Status.UPLOADED, Status.CHECKING):
        raise ImportRefused("ไฟล์นี้ตรวจแล้ว", "this file has been checked already")
    job.status, job.started = Status.CHECKING, timezone.now()
    job.rows_read = job.rows_valid = job.rows_invalid = job.rows_staged = 0
    job.checked_new = job.checked_updated = job.checked_unchanged = 0
    _save(job, "status", "started", "rows_read", "rows_valid", "rows_invalid", "rows_staged", *_CHECKED)
    ImportProblem.objects.filter(job=job).delete()
    ImportChange.objects.filter(job=job).delete()
    try:
        kind, table = _table(job)
        stage = stage and kind.stages
        if kind.stages:
            kind.staged_clear(job)  # a check run again (after a killed worker) starts from nothing
        ctx = Context(kind=kind, fund=job.fund, actor=job.created_by, system=system, job=job)
        with _collector_eased():
            _check_batches(job, kind, table, ctx, stage)
    except FileReadError as exc:
        return _fail(job, exc)
    except Exception as exc:  # noqa: BLE001 — the job must say it stopped, whatever stopped it
        return _stopped(job, exc, "check")
    job.rows_total = job.rows_read
    job.status = Status.CHECKED
    if not job.rows_read:
        job.status, job.message = Status.FAILED, "ไม่พบแถวข้อมูลใต้หัวตาราง (no data rows under the header)"
    elif job.rows_invalid and job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        job.message = (f"พบปัญหา {job.rows_invalid:,} แถว: แก้ไฟล์แล้วนำเข้าใหม่ หรือเลือกนำเข้าเฉพาะแถวที่ถูกต้อง "
                       f"({_rows_en(job.rows_invalid)} with problems: fix the file, or import the valid rows only)")
    if table.blank_rows[0]:
        job.message = (job.message + f"\n{BLANK_ROWS_TH} {table.blank_rows[0]:,} แถว "
                       f"({table.blank_rows[0]:,} blank rows skipped)").strip()
    if job.rows_staged and (job.status == Status.FAILED
                            or (job.rows_invalid and job.mode == ImportJob.Mode.ALL_OR_NOTHING)):
        # A file that cannot be written as it is will most likely be fixed and sent again, not confirmed:
        # its staged rows are not kept (a switch to "valid rows only" still works, reading the file again).
        _staged_drop(kind, job)
    job.finished = timezone.now()
    _save(job, "rows_total", "status", "message", "finished", "rows_staged")
    return job


def _check_batches(job: ImportJob, kind, table, ctx: Context, stage: bool) -> None:
    """The check's pass over the file: each batch checked, its problems kept (up to ``PROBLEMS_KEPT``), the cells its
    valid rows change in records already there kept (up to ``CHANGES_KEPT``), its valid rows staged (``stage``) and
    the job's counts saved, one transaction a batch."""
    kept = changed = 0
    for batch in _batches(kind, table):
        kind.check(ctx, batch)
        good = [row for row in batch if not row.problems]
        with transaction.atomic():
            if kept < PROBLEMS_KEPT and len(good) < len(batch):
                keep = [p for row in batch for p in row.problems][:PROBLEMS_KEPT - kept]
                ImportProblem.objects.bulk_create([
                    ImportProblem(job=job, row=p.row, column=kind.column_label(p.column) if p.column else "",
                                  value=p.value, code=p.code, message_th=p.th[:400], message_en=p.en[:400])
                    for p in keep])
                kept += len(keep)
            expected = kind.outcomes(good)
            if expected.updated and changed < CHANGES_KEPT:
                keep = [ImportChange(job=job, row=row.number, column=kind.column_label(key),
                                     old=_shown(kind, key, old), new=_shown(kind, key, new))
                        for row in good if kind.outcome(row.values) == "updated"
                        for key, old, new in kind.changes(row.values)][:CHANGES_KEPT - changed]
                ImportChange.objects.bulk_create(keep)
                changed += len(keep)
            job.checked_new += expected.written
            job.checked_updated += expected.updated
            job.checked_unchanged += expected.unchanged
            if stage:
                job.rows_staged += kind.stage(ctx, good)
            job.rows_read += len(batch)
            job.rows_invalid += len(batch) - len(good)
            job.rows_valid += len(good)
            _save(job, "rows_read", "rows_valid", "rows_invalid", "rows_staged", *_CHECKED)


def _shown(kind, key: str, value) -> str:
    """A value as the change list shows it — as the exports write it: a date day/month/B.E. year, a choice its
    Thai label; nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return be(value)
    if key in kind.choice_columns:
        return thai_labels(kind.choice_columns[key]).get(value, str(value))
    return str(value)[:200]


def _staged_drop(kind, job: ImportJob) -> None:
    """Forget a job's staged rows: the write reads the file instead."""
    if kind.stages:
        kind.staged_clear(job)
    job.rows_staged = 0


def _staged_usable(kind, job: ImportJob) -> bool:
    """The rows staged by the check are all there: every one either written (or counted as already there) or
    still waiting. A PostgreSQL crash empties the UNLOGGED staging table; then the write reads the file."""
    if not (kind.stages and job.rows_staged):
        return False
    done = job.rows_written + job.rows_unchanged + job.rows_updated
    return kind.staged_left(job) == job.rows_staged - done


@transaction.atomic
def job_confirm(*, actor, job: ImportJob, mode: str | None = None) -> ImportJob:
    """The user says go: in "all or nothing" mode only when every row passed the check. ``mode``, when given, is
    one of :class:`ImportJob.Mode` (anything else is refused, nothing changed)."""
    if mode and mode not in ImportJob.Mode.values:
        shown = str(mode)[:40]
        raise ImportRefused(f"ไม่รู้จักแบบการนำเข้า (mode) \"{shown}\": เลือก ทั้งหมดหรือไม่นำเข้าเลย หรือ นำเข้าเฉพาะแถวที่ถูกต้อง",
                            f"unknown import mode \"{shown}\": choose 'all' (all or nothing) or 'valid' (the valid "
                            "rows)")
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != Status.CHECKED:
        raise ImportRefused("นำเข้าได้เฉพาะไฟล์ที่ตรวจแล้ว", "only a checked file can be imported")
    if mode:
        job.mode = mode
    if job.rows_invalid and job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        raise ImportRefused("ไฟล์มีแถวที่มีปัญหา: แบบ 'ทั้งหมดหรือไม่นำเข้าเลย' จึงนำเข้าไม่ได้",
                            "the file has rows with problems: 'all or nothing' cannot import it")
    if not job.rows_valid:
        raise ImportRefused("ไม่มีแถวที่ถูกต้องให้นำเข้า", "there are no valid rows to import")
    job.status = Status.QUEUED
    _save(job, "status", "mode")  # the heartbeat: queued a moment ago, not stalled (no Resume offered yet)
    audit_record(actor=actor, action="dataio.job_confirm", obj=job, summary=f"{job.kind} {job.filename} ({job.mode})",
                 organisation=job.organisation)
    return job


def _claim_write(job: ImportJob) -> None:
    """Take the job for this worker, atomically (the job's row locked): a queued job, or one being written whose
    worker is no longer heard from (stalled: killed, the machine restarted). A job another worker is writing is
    refused, so two workers never run one job (a Resume clicked while a write was still queued, a task queued
    twice)."""
    with transaction.atomic():
        now = ImportJob.objects.select_for_update().get(pk=job.pk)
        if now.status == Status.WRITING and not now.is_stalled():
            raise ImportRefused("การนำเข้านี้กำลังเขียนข้อมูลอยู่แล้ว", "this import is being written already")
        if now.status not in (Status.QUEUED, Status.WRITING):
            raise ImportRefused("ไฟล์นี้ยังไม่ได้ยืนยันการนำเข้า", "this import has not been confirmed")
        job.refresh_from_db()
        job.status = Status.WRITING
        job.started = job.started if job.checkpoint_row else timezone.now()
        _save(job, "status", "started")


class _Superseded(Exception):
    """Another worker took the job (this one was taken for stalled): this one stops without writing more."""


def _own_batch(job: ImportJob) -> None:
    """At the start of a batch's transaction: lock the job's row and make sure no other worker has moved it on
    since this one's last batch (it was taken over as stalled), else stop: the batch would be written twice."""
    now = ImportJob.objects.select_for_update().only("status", "checkpoint_row").get(pk=job.pk)
    if now.status != Status.WRITING or now.checkpoint_row != job.checkpoint_row:
        raise _Superseded


def job_write(job: ImportJob, *, system: bool = False, after_batch=None) -> ImportJob:
    """Write the valid rows in batches, each with the job's checkpoint. Called again after a crash, it resumes
    after the last batch that committed — once the job is stalled (:func:`_claim_write`: a job another worker is
    writing is refused). ``after_batch`` (tests) is called after each committed batch."""
    _claim_write(job)
    try:
        kind, table = _table(job)
    except FileReadError as exc:
        return _fail(job, exc)
    ctx = Context(kind=kind, fund=job.fund, actor=job.created_by, system=system, job=job)
    try:
        changed = _write_batches(kind, table, ctx, job, after_batch)
    except _Superseded:
        log.warning("import job %s: taken over by another worker; this one stops", job.pk)
        job.refresh_from_db()
        return job
    except Exception as exc:  # noqa: BLE001 — the job must say it stopped, whatever stopped it
        return _stopped(job, exc, "write")
    if changed is not None:
        job.refresh_from_db()
        if job.rows_staged:
            _staged_drop(kind, job)
            _save(job, "rows_staged")
        return _fail(job, Exception(
            f"แถวที่ {changed.row} เปลี่ยนไปหลังการตรวจ: {changed.th} — นำเข้าแล้วถึงแถวที่ {job.checkpoint_row} "
            f"(row {changed.row} changed since the check: {changed.en}; imported up to row {job.checkpoint_row})"))
    job.status, job.finished = Status.DONE, timezone.now()
    job.message = _done_message(job)
    with transaction.atomic():
        if job.rows_staged:
            _staged_drop(kind, job)
        _save(job, "status", "finished", "rows_staged", "message")
        audit_record(actor=job.created_by, action="dataio.job_done", obj=job,
                     summary=f"{job.kind} {job.filename}: {job.rows_written} new, {job.rows_updated} updated, "
                             f"{job.rows_unchanged} unchanged", organisation=job.organisation)
    return job


def _write_batches(kind, table, ctx: Context, job: ImportJob, after_batch):
    """The write's pass: the staged rows when they are usable, else the file read again after the checkpoint,
    each batch checked again and written in one transaction with the job's checkpoint. Returns the first problem
    of a batch the database changed under (all or nothing: nothing of it written), else None."""
    changed = None
    with _page_cache(), _collector_eased():
        staged_done = _staged_usable(kind, job) and _write_staged(kind, ctx, job, after_batch)
        batches = () if staged_done else _batches(kind, table, after=job.checkpoint_row)
        known_after = None
        for batch in batches:
            with transaction.atomic():
                _own_batch(job)
                kind.check(ctx, batch)
                bad = [row for row in batch if not row.ok]
                if bad and job.mode == ImportJob.Mode.ALL_OR_NOTHING:
                    transaction.set_rollback(True)  # nothing of this batch; the failure is saved after it
                    changed = bad[0].problems[0]
                    break
                if bad:
                    known_after = _problems_cut_after(job) if known_after is None else known_after
                    _changed_rows_record(kind, job, bad, known_after)
                good = [row for row in batch if row.ok]
                counts = kind.write(ctx, good) if good else Counts()
                job.rows_written += counts.written
                job.rows_unchanged += counts.unchanged
                job.rows_updated += counts.updated
                job.checkpoint_row = batch[-1].number
                _save(job, "rows_written", "rows_unchanged", "rows_updated", "checkpoint_row", "rows_valid",
                      "rows_invalid")
            if after_batch is not None:
                after_batch(job)
    return changed


CHANGED_TH, CHANGED_EN = "เปลี่ยนไปหลังการตรวจ", "changed since the check"  # begin a problem found by the write


def _problems_cut_after(job: ImportJob) -> int:
    """The last row whose problems the check could keep: a row after it may have had problems not kept (beyond
    ``PROBLEMS_KEPT``), so the write cannot tell whether it is newly bad. 0 when the check kept them all."""
    if job.problems.count() < PROBLEMS_KEPT:
        return 0
    return job.problems.order_by("-row").values_list("row", flat=True).first() or 0


def _changed_rows_record(kind, job: ImportJob, bad: list[Row], known_after: int) -> None:
    """"Import the valid rows": the rows of a batch that the check found valid and that no longer hold (the
    member resigned at the counter meanwhile) are left out like the check's — with their problems kept for the
    report, said to have changed since the check, and counted with the rows with problems."""
    checked_bad = set(ImportProblem.objects.filter(job=job, row__in=[row.number for row in bad])
                      .values_list("row", flat=True))
    fresh = [row for row in bad if row.number not in checked_bad and not (known_after and row.number > known_after)]
    if not fresh:
        return
    room = max(0, PROBLEMS_KEPT - job.problems.count())
    ImportProblem.objects.bulk_create([
        ImportProblem(job=job, row=p.row, column=kind.column_label(p.column) if p.column else "", value=p.value,
                      code=p.code, message_th=f"{CHANGED_TH}: {p.th}"[:400], message_en=f"{CHANGED_EN}: {p.en}"[:400])
        for row in fresh for p in row.problems][:room])
    job.rows_invalid += len(fresh)
    job.rows_valid -= min(len(fresh), job.rows_valid)
    log.info("import job %s: %d rows no longer valid at the write, left out", job.pk, len(fresh))


def _stopped(job: ImportJob, error: Exception, phase: str) -> ImportJob:
    """A check or write stopped by something the rows did not cause (a refusal of the importer's rights, a fault):
    the job says so and stops, instead of showing "running" for ever. A write keeps what its committed batches
    wrote (each batch is all or nothing) and says up to which row. A database that stopped answering is not
    such a thing: the job stays running, to be resumed (:func:`job_resume`)."""
    if isinstance(error, OperationalError):
        raise error
    if isinstance(error, PermissionDenied):
        reason = str(error) or "ไม่มีสิทธิ์ (not allowed)"
    else:
        log.exception("import job %s: the %s stopped", job.pk, phase)
        reason = f"เกิดข้อผิดพลาดในระบบ: {type(error).__name__} (a fault in the system)"
    job.refresh_from_db()
    if phase == "check":
        text = f"การตรวจไฟล์หยุดลง {reason} — ยังไม่ได้นำเข้าข้อมูลใด (the check stopped; nothing was imported)"
    else:
        text = (f"การนำเข้าหยุดลง {reason} — นำเข้าแล้วถึงแถวที่ {job.checkpoint_row:,} "
                f"(the import stopped; imported up to row {job.checkpoint_row:,})")
    return _fail(job, Exception(text))


def _write_staged(kind, ctx: Context, job: ImportJob, after_batch) -> bool:
    """Write the rows the check staged, batch after batch, each in one transaction with the job's checkpoint.
    True when every staged row is written; False when the database had changed since the check (nothing of
    that batch written; the staged rows are dropped and the caller reads the file again from the checkpoint)."""
    while True:
        with transaction.atomic():
            _own_batch(job)
            staged = kind.write_staged(ctx, job.checkpoint_row)
            if staged.last is None:
                return True
            if staged.changed:
                _staged_drop(kind, job)
                _save(job, "rows_staged")
                log.info("import job %s: the database changed since the check; reading the file again", job.pk)
                return False
            job.rows_written += staged.counts.written
            job.rows_unchanged += staged.counts.unchanged
            job.checkpoint_row = staged.last
            _save(job, "rows_written", "rows_unchanged", "checkpoint_row")
        if after_batch is not None:
            after_batch(job)


def job_resume(*, actor, job: ImportJob) -> str:
    """Start a stalled import again (its worker stopped): a check starts over, a write goes on after the last
    batch that committed. Returns the phase to queue again, ``"check"`` or ``"write"``. Refused while the
    worker is still heard from (two workers must not run one job), so a second click finds it refused too."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not job.is_running:
            raise ImportRefused("การนำเข้านี้ไม่ได้ค้างอยู่ จึงไม่ต้องทำต่อ", "this import is not running: nothing to resume")
        if not job.is_stalled():
            raise ImportRefused("การนำเข้านี้ยังทำงานอยู่ รอสักครู่แล้วดูความคืบหน้าอีกครั้ง",
                                "this import is still running: wait and look at its progress again")
        phase = "check" if job.status in (Status.UPLOADED, Status.CHECKING) else "write"
        job.status = Status.UPLOADED if phase == "check" else Status.QUEUED  # waiting for a worker to take it
        _save(job, "status")  # the heartbeat: the job counts as alive again until its worker takes it
        audit_record(actor=actor, action="dataio.job_resume", obj=job,
                     summary=f"{job.filename}: {phase} resumed after row {job.checkpoint_row}",
                     organisation=job.organisation)
    return phase


BLANK_ROWS_TH = "ข้ามแถวว่าง"  # begins the check's note of blank rows skipped, which the done message keeps


def _rows_en(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def _done_message(job: ImportJob) -> str:
    """The message of an import done: what the check said to do is done (the rows with problems were left out,
    when the user chose the valid rows); what it noted of the file (blank rows skipped) stays."""
    notes = [line for line in job.message.splitlines() if line.startswith(BLANK_ROWS_TH)]
    rows = (list(job.problems.filter(message_en__startswith=CHANGED_EN).order_by("row")
                 .values_list("row", flat=True).distinct()) if job.rows_invalid else [])
    changed = len(rows)
    if changed:
        listed = ", ".join(str(row) for row in rows[:10]) + (" …" if changed > 10 else "")
        notes.insert(0, f"ไม่ได้นำเข้า {changed:,} แถวที่ข้อมูลในระบบเปลี่ยนไปหลังการตรวจ (แถวที่ {listed}: ดูรายงาน) "
                        f"({_rows_en(changed)} no longer valid at the import, the records having changed since the "
                        f"check, left out: row {listed}, see the report)")
    if job.rows_invalid - changed > 0:
        left = job.rows_invalid - changed
        notes.insert(0, f"นำเข้าเฉพาะแถวที่ถูกต้องแล้ว: เว้น {left:,} แถวที่มีปัญหา (ดูรายงาน) "
                        f"(the valid rows were imported; {_rows_en(left)} with problems left out: see the report)")
    return "\n".join(notes)


def job_cancel(*, actor, job: ImportJob) -> ImportJob:
    if job.status not in (Status.UPLOADED, Status.CHECKED):
        raise ImportRefused("ยกเลิกได้เฉพาะก่อนเริ่มนำเข้า", "only an import not yet started can be cancelled")
    with transaction.atomic():
        job.status = Status.CANCELLED
        if job.rows_staged:
            _staged_drop(KINDS[job.kind], job)
        job.save(update_fields=["status", "rows_staged"])
        audit_record(actor=actor, action="dataio.job_cancel", obj=job, summary=job.filename,
                     organisation=job.organisation)
    return job
