"""Writes of the insights app: keeping area summaries in step with the records, and rebuilding them.

A change to a fund (a posting to its book, a member enrolled or ended) is noted after it commits
(:func:`summaries_touch`, a listener of ``core.changes``): the fund is marked pending and the refresh task is
queued. The posting itself pays for one small write after its commit, never for the recomputation; the task
(``chumchon db_worker``, or at once where tasks run in-process) recomputes each pending fund
(:func:`summaries_refresh_pending`).

A fund's rows are recomputed whole from its records (a few grouped queries over that fund only); the change
from its previous rows is then added to each area the fund lies in (subdistrict, district, province, region,
nation) with ``UPDATE … SET x = x + change``, so an area row is never re-added from all its funds and two funds
of one province can refresh at the same time. The fund's own row is locked while it refreshes, so one fund never
refreshes twice at once.
"""

import datetime
import logging
import uuid

from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from chumchon.core.audit import audit_record
from chumchon.core.models import Organisation
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.geo.models import RegionScheme
from chumchon.insights import summaries
from chumchon.insights.models import (
    BENEFIT_FIGURES,
    FIGURES,
    AreaSummary,
    BenefitSummary,
    Level,
    PendingRefresh,
    SummaryVersion,
)
from chumchon.welfare.models import Fund

log = logging.getLogger(__name__)


def summaries_touch(organisation_ids: set[int]) -> None:
    """Listener of ``core.changes``: mark the funds among the organisations that changed as pending, and queue the
    refresh task when one of them was not pending yet (the task already queued or running takes the others)."""
    from chumchon.insights.tasks import summaries_refresh

    with transaction.atomic():  # one commit for the mark and the task (the database queue writes in it)
        if summaries_mark_pending(organisation_ids):
            summaries_refresh.enqueue()


def summaries_mark_pending(organisation_ids) -> int:
    """Mark the funds among these organisations pending with a fresh token; returns how many were not pending
    before. Two plain statements (this runs after every posting to a fund's book): move the token of those already
    pending, then add the funds that were not (organisations that are not funds are left out by the join)."""
    ids = sorted(organisation_ids)
    token, now = _fresh_mark()
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {PendingRefresh._meta.db_table} SET token = %s, touched = %s"  # noqa: S608
                       f" WHERE organisation_id IN ({marks})", [token, now, *ids])
        if cursor.rowcount == len(ids):
            return 0
    return _pending_add(f"{Fund._meta.db_table} f WHERE f.organisation_id IN ({marks})", ids, token, now)


def _fresh_mark() -> tuple:
    """A new token and the time now, as the database takes them, for pending marks."""
    token = PendingRefresh._meta.get_field("token").get_db_prep_value(uuid.uuid4(), connection)
    return token, connection.ops.adapt_datetimefield_value(timezone.now())


def _pending_add(funds_where: str, params: list, token, now) -> int:
    """Mark pending the funds ``f`` that ``funds_where`` (a FROM … WHERE of the fund table) finds and that were not
    pending; returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PendingRefresh._meta.db_table} (organisation_id, token, touched)"  # noqa: S608
            f" SELECT f.organisation_id, %s, %s FROM {funds_where} ON CONFLICT (organisation_id) DO NOTHING",
            [token, now, *params])
        return max(cursor.rowcount, 0)


def summaries_mark_year(*, today: datetime.date | None = None) -> int:
    """Mark pending every fund that has no year row for the running fiscal year; returns how many were marked.

    A fund's rows reach the year it is refreshed in, and a fund is refreshed only when it changes: once a fiscal
    year begins, the area rows of the new year would add up only the funds that changed since. Each refresh round
    starts here, so the round that first sees the new year refreshes every fund. One statement: the funds' year
    rows of the year are read through the index on (level, fiscal year, month) — at 7,600 funds a few
    milliseconds, and nothing to write once every fund has its row."""
    fiscal_year = fiscal_year_of(today or timezone.localdate()).be_year
    marked = _pending_add(
        f"{Fund._meta.db_table} f JOIN {Organisation._meta.db_table} o ON o.id = f.organisation_id WHERE NOT EXISTS"  # noqa: S608
        f" (SELECT 1 FROM {AreaSummary._meta.db_table} s WHERE s.level = %s AND s.fiscal_year = %s AND s.month = 0"
        " AND s.code = o.code)", [Level.FUND.value, fiscal_year], *_fresh_mark())
    if marked:
        log.info("fiscal year %s: %s funds had no row of it yet and wait for their summaries", fiscal_year, marked)
    return marked


def summaries_refresh_pending(*, today: datetime.date | None = None) -> int:
    """Refresh every pending fund, until none is left that was not tried with its current token. A fund that fails
    stays pending (logged) for the next run or ``chumchon insights_rebuild``. Returns how many funds refreshed.

    Funds without a row of the running fiscal year are marked first (:func:`summaries_mark_year`), so the first
    round of a new year brings every fund into it."""
    summaries_mark_year(today=today)
    tried: set[tuple[int, uuid.UUID]] = set()
    refreshed = 0
    while True:
        batch = [(pk, token) for pk, token in
                 PendingRefresh.objects.order_by("touched").values_list("organisation_id", "token")[:500]
                 if (pk, token) not in tried]
        if not batch:
            return refreshed
        funds = Fund.objects.select_related("organisation__subdistrict").in_bulk([pk for pk, _ in batch])
        for pk, token in batch:
            tried.add((pk, token))
            try:
                if pk in funds:
                    summaries_refresh_fund(fund=funds[pk], today=today)
                    refreshed += 1
            except Exception:
                log.exception("summaries of fund %s could not be refreshed; it stays pending", pk)
                continue
            PendingRefresh.objects.filter(organisation_id=pk, token=token).delete()


def _stored(model, fund: Fund, figures) -> dict:
    fields = ("fiscal_year", "month", "kind") if model is BenefitSummary else ("fiscal_year", "month")
    return {tuple(r[f] for f in fields): {f: r[f] for f in figures}
            for r in model.objects.filter(level=Level.FUND, code=fund.code).values(*fields, *figures)}


def _delta(old: dict, new: dict, figures) -> dict:
    changes = {}
    for key in set(old) | set(new):
        before, after = old.get(key, {}), new.get(key, {})
        change = {f: after.get(f, 0) - before.get(f, 0) for f in figures}
        change = {f: v for f, v in change.items() if v}
        if change:
            changes[key] = change
    return changes


def _changed() -> None:
    """One more change to the summaries (:class:`SummaryVersion`), in the caller's transaction: its row lock is
    held to the commit, so writers count one after another (they already queue on the nation's row)."""
    if not SummaryVersion.objects.filter(pk=1).update(number=F("number") + 1):
        SummaryVersion.objects.bulk_create([SummaryVersion(pk=1, number=1)], ignore_conflicts=True)


def _key_fields(model, key: tuple) -> dict:
    fields = {"fiscal_year": key[0], "month": key[1]}
    if model is BenefitSummary:
        fields["kind"] = key[2]
    return fields


def _add_all(model, figures, changes: list[tuple[str, str, tuple, dict]]) -> None:
    """Add each ``change`` to its area row, creating the rows an area has not got yet: one
    ``INSERT … ON CONFLICT … DO UPDATE SET x = x + excluded.x`` per 500 rows (SQLite and PostgreSQL alike), in a
    fixed order so that two funds refreshing at once take their row locks in the same order."""
    ops = connection.ops
    keys = ["level", "code", "fiscal_year", "month"] + (["kind"] if model is BenefitSummary else [])
    stamped = any(f.name == "updated" for f in model._meta.fields)
    columns = [*keys, *figures, *(["updated"] if stamped else [])]
    money = {f for f in figures if model._meta.get_field(f).get_internal_type() == "DecimalField"}
    now = [ops.adapt_datetimefield_value(timezone.now())] if stamped else []
    table = model._meta.db_table
    sets = [f"{f} = {table}.{f} + excluded.{f}" for f in figures] + (["updated = excluded.updated"] if stamped else [])
    rows = sorted(((level, code, *key), change) for level, code, key, change in changes)
    for start in range(0, len(rows), 500):
        chunk, params = rows[start:start + 500], []
        for key, change in chunk:
            params += [*key, *(ops.adapt_decimalfield_value(change.get(f, 0), 16, 2) if f in money
                               else change.get(f, 0) for f in figures), *now]
        marks = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
        sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES {marks}"  # noqa: S608 - names from the model
               f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {', '.join(sets)}")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def lock_regions() -> None:
    """Lock the default region scheme's row until the transaction ends: a refresh takes it before it reads which
    region its fund adds into, and a change of the default scheme (``geo.services.regions_load``) before it
    changes it and recomputes the region rows — so no refresh adds into the regions of a scheme that has gone, nor
    commits a change the recomputation did not see. Refreshes already wait for one another on the nation's rows
    right after this, so it costs them nothing."""
    RegionScheme.objects.select_for_update().filter(is_default=True).values_list("pk").first()


@transaction.atomic
def summaries_refresh_fund(*, fund: Fund, today: datetime.date | None = None) -> int:
    """Recompute one fund's summary rows and add the change into its areas. Returns how many area rows changed."""
    Fund.objects.select_for_update().filter(pk=fund.pk).values_list("pk").first()
    rows, kinds = summaries.fund_figures(fund, today)
    lock_regions()
    areas = summaries.ancestors(fund)
    touched = 0
    for model, new, figures in ((AreaSummary, rows, FIGURES), (BenefitSummary, kinds, BENEFIT_FIGURES)):
        old = _stored(model, fund, figures)
        changes = _delta(old, new, figures)
        if not changes:
            continue
        model.objects.filter(level=Level.FUND, code=fund.code).delete()
        model.objects.bulk_create([model(level=Level.FUND, code=fund.code, **_key_fields(model, key), **figs)
                                   for key, figs in new.items()])
        _add_all(model, figures, [(level, code, key, change) for key, change in changes.items()
                                  for level, code in areas])
        touched += len(changes) * len(areas)
    if touched:
        _changed()
    return touched


REBUILD_BATCH = 2000


def summaries_regions_rebuild() -> int:
    """Make the region rows again from the province rows: every region row goes, and each region of the default
    scheme gets, key by key, the sum of its provinces' rows — what a fund adds into its province it adds into its
    region, so the sum is what refreshing every fund would give (a province lies in one region of the scheme).
    ``geo.services.regions_load`` calls it, in its own transaction, when the default scheme's grouping changed.
    One grouped read per region and kind of row (7 regions: 14 reads); returns how many rows it wrote."""
    lock_regions()
    provinces_of: dict[str, list[str]] = {}
    for province, regions in summaries.region_map().items():
        for region in regions:
            provinces_of.setdefault(region, []).append(province)
    written = dropped = 0
    for model, figures in ((AreaSummary, FIGURES), (BenefitSummary, BENEFIT_FIGURES)):
        keys = ["fiscal_year", "month"] + (["kind"] if model is BenefitSummary else [])
        dropped += model.objects.filter(level=Level.REGION).delete()[0]
        for region, provinces in sorted(provinces_of.items()):
            sums = (model.objects.filter(level=Level.PROVINCE, code__in=provinces).values(*keys)
                    .annotate(**{f"sum_{f}": Sum(f) for f in figures}).order_by(*keys))
            made = model.objects.bulk_create(
                [model(level=Level.REGION, code=region, **{k: row[k] for k in keys},
                       **{f: row[f"sum_{f}"] for f in figures}) for row in sums], batch_size=REBUILD_BATCH)
            written += len(made)
    if written or dropped:  # loading the first scheme, before any fund, changes no summary
        _changed()
    return written


class _Writer:
    """Summary rows written ``REBUILD_BATCH`` at a time as they come, so the rebuild never holds them all."""

    def __init__(self) -> None:
        self.waiting: dict = {AreaSummary: [], BenefitSummary: []}
        self.written = {AreaSummary: 0, BenefitSummary: 0}

    def add(self, model, level: str, code: str, rows: dict) -> None:
        waiting = self.waiting[model]
        for key, figures in rows.items():
            waiting.append(model(level=level, code=code, **_key_fields(model, key), **figures))
            if len(waiting) >= REBUILD_BATCH:
                self.flush(model)

    def flush(self, model) -> None:
        waiting = self.waiting[model]
        model.objects.bulk_create(waiting)
        self.written[model] += len(waiting)
        waiting.clear()


@transaction.atomic
def summaries_rebuild(*, actor=None, today: datetime.date | None = None) -> dict[str, int]:
    """Throw every summary away and recompute all of them from the records (``chumchon insights_rebuild``).

    Each fund's own rows are written as soon as the fund is computed; only the area rows (subdistrict up to the
    nation) are added up in memory and written at the end — in one transaction, so readers see the old summaries
    or the new, never half."""
    started = timezone.now()
    lock_regions()  # the regions the rebuild adds into stay those of the default scheme to its commit
    PendingRefresh.objects.filter(touched__lte=started).delete()  # what changed before the rebuild is in it
    AreaSummary.objects.all().delete()
    BenefitSummary.objects.all().delete()
    writer = _Writer()

    def fund_rows(fund, rows, kinds) -> None:
        writer.add(AreaSummary, Level.FUND, fund.code, rows)
        writer.add(BenefitSummary, Level.FUND, fund.code, kinds)

    areas, area_kinds = summaries.compute_all(today, fund_rows=fund_rows)
    for model, rows in ((AreaSummary, areas), (BenefitSummary, area_kinds)):
        while rows:  # area by area, each row dropped as it is queued
            (level, code, *key), figures = rows.popitem()
            writer.add(model, level, code, {tuple(key): figures})
        writer.flush(model)
    _changed()  # last, as in a fund's refresh: the count's row is the last lock a writer takes
    counts = {"summaries": writer.written[AreaSummary], "benefits": writer.written[BenefitSummary]}
    audit_record(actor=actor, action="insights.summaries_rebuild",
                 summary=f"{counts['summaries']} summary rows, {counts['benefits']} benefit rows")
    return counts
