"""Contribution history: the receipts a fund wrote before it used Chumchon, one row each.

Natural key: fund + receipt number. A receipt already recorded with the same member, date and amount is left as it
is; with anything different it is refused (money already in the books is corrected by reversal, never by
overwriting). Each receipt covers days from the member's first unpaid day, in the order of the file. The money
posts to the fund's books as one entry per fund and day per batch (Dr cash / Cr contributions), with every ledger
rule checked by the database; the receipts are written with COPY on PostgreSQL and executemany on SQLite. An
imported receipt has no idempotency key (NULL): fund + receipt number is its key, and the key's index skips it.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from chumchon.core.audit import audit_record
from chumchon.core.thai.dates import format_date
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.dataio import values as v
from chumchon.dataio.kinds.base import Column, Context, Counts, Kind, Row, field_length
from chumchon.dataio.models import StagedContribution
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Period
from chumchon.welfare.models import Contribution, Fund, Membership
from chumchon.welfare.services.contributions import days_for_amount, lapse_notices_settle

ONE_DAY = datetime.timedelta(days=1)
_IN_CHUNK = 10_000  # values in one IN (…) on SQLite, well below its limit of 32,766 parameters
_DAYS_KEPT = 10_000  # amounts whose number of days is remembered (a file has a few dozen distinct amounts)
# What the check keeps of a valid row (``Row.checked``): a tuple, read by position, one made a row.
# ``days`` is 0 for a receipt already recorded just so (counted, never written; no days covered).
FUND, FUND_ID, MEMBERSHIP_ID, DAYS, COVERS_FROM, COVERS_TO = range(6)
_COLUMNS = ("fund_id", "membership_id", "receipt_number", "fiscal_year", "date", "amount", "days", "covers_from",
            "covers_to", "sheet_id", "entry_id", "idempotency_key", "recorded_by_id", "created")


class _Adapted(dict):
    """Values as the database driver takes them, each distinct one adapted once."""

    def __init__(self, adapt) -> None:
        super().__init__()
        self.adapt = adapt

    def __missing__(self, value):
        adapted = self[value] = self.adapt(value)
        return adapted


def _recorded(fund_id: int, receipts: list[str]) -> dict[str, tuple]:
    """``{receipt: (membership id, amount, date)}`` of the receipts already recorded in the fund. Usually none,
    so the numbers are probed first with a bare query and the ORM reads only the few found, with its types
    (building an ORM filter of thousands of values cost more than the query).

    On PostgreSQL each number is looked up through the unique (fund, receipt) index by a LATERAL join: written
    as ``= ANY(…)``, on a table not analysed yet the planner read all the fund's receipts through the fund index
    instead, so every batch of a big import scanned the batches written before it. The numbers go as one
    newline-joined text (they hold no whitespace: :func:`values.code` removes it), because psycopg builds an
    array parameter element by element in Python.

    First one look at the ends of the index: when the fund has no receipt between the batch's lowest and
    highest number (a fund's first import; a new year's numbers), none of them can be recorded. The lowest and
    highest are taken by the database (its collation orders the index) on PostgreSQL, and by Python on SQLite
    (whose BINARY collation is the order of code points, as Python's)."""
    table = Contribution._meta.db_table
    found = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            joined = "\n".join(receipts)
            numbers = ("string_to_array(%s, E'\\n')::varchar[]" if joined.count("\n") == len(receipts) - 1
                       else "%s::varchar[]")
            param = joined if numbers.startswith("string") else receipts
            cursor.execute(
                f"WITH w AS (SELECT MIN(r) AS lo, MAX(r) AS hi FROM unnest({numbers}) AS u(r)) SELECT EXISTS"
                f" (SELECT 1 FROM {table}, w WHERE fund_id = %s AND receipt_number >= w.lo AND receipt_number <= w.hi)",
                [param, fund_id])
            if not cursor.fetchone()[0]:
                return {}
            cursor.execute(
                f"SELECT found.receipt_number FROM unnest({numbers}) AS wanted(receipt) CROSS JOIN LATERAL"
                f" (SELECT receipt_number FROM {table} WHERE fund_id = %s AND receipt_number = wanted.receipt"
                " LIMIT 1) AS found", [param, fund_id])
            found = [r[0] for r in cursor.fetchall()]
        else:
            cursor.execute(f"SELECT 1 FROM {table} WHERE fund_id = %s AND receipt_number >= %s AND receipt_number <= %s"
                           " LIMIT 1", [fund_id, min(receipts), max(receipts)])
            if cursor.fetchone() is None:
                return {}
            for i in range(0, len(receipts), _IN_CHUNK):
                chunk = receipts[i:i + _IN_CHUNK]
                cursor.execute(f"SELECT receipt_number FROM {table} WHERE fund_id = %s AND receipt_number IN"
                               f" ({', '.join(['%s'] * len(chunk))})", [fund_id, *chunk])
                found += [r[0] for r in cursor.fetchall()]
    if not found:
        return {}
    return {c[0]: c[1:] for c in Contribution.objects.filter(fund_id=fund_id, receipt_number__in=found)
            .values_list("receipt_number", "membership_id", "amount", "date")}


def _closed_periods(fund_id: int) -> list[tuple[datetime.date, datetime.date]]:
    """``(start, end)`` of each closed period of the fund's books: no receipt may be dated in one."""
    return list(Period.objects.filter(book__organisation_id=fund_id, status=Period.Status.CLOSED)
                .values_list("start", "end"))


def _history_days(fund, amount: Decimal) -> tuple[int, tuple[str, str] | None]:
    """The days an imported receipt pays for, or the problem: whole days at the fund's daily rate, at least one
    (history is taken as paid, whatever the fund's payment steps)."""
    days, problem = days_for_amount(fund, amount)
    return max(1, days), problem


def _post(ctx: Context, fund, date: datetime.date, total: Decimal, receipts: int, first: str, last: str):
    """The journal entry of one fund's receipts of one day in one batch: Dr cash, Cr contributions."""
    return ledger.receipt_post(
        actor=ctx.actor, book=fund.organisation.book, date=date, amount=total, income_account="4101",
        memo=f"นำเข้าเงินสมทบ {receipts} ใบเสร็จ ({ctx.job.filename if ctx.job else 'import'})"[:300],
        # The group's first receipt names it for good (a receipt is written once per fund): a retried batch finds
        # its entry again, and no database id of this instance is in the key (funds move).
        idempotency_key=ledger.derived_key("import", f"{date.isoformat()}-{first}"),
        reference=f"{first}–{last}"[:64],
    )


class Contributions(Kind):
    name = "contributions"
    title_th = "ประวัติการจ่ายเงินสมทบ"
    title_en = "contribution history"
    batch_size = 10_000
    stages = True
    # Staged rows are written in bigger batches: nothing of them is held in memory, and each batch posts one
    # entry per fund and day, moves each member's paid-through date once and commits once (measured with
    # ``chumchon bench import``, 1,000,000 rows: 200,000 a batch wrote 0.6-0.8 s faster than 50,000 on SQLite
    # and about 2 s faster on PostgreSQL). The price: a batch's members stay locked for the batch, 1.5-3 s.
    staged_batch_size = 200_000
    columns = [
        Column("fund_code", "รหัสกองทุน", "fund_code", v.code, example="CM-500203", repeats=True,
               help_th="ไม่กรอกได้เมื่อเลือกกองทุนแล้ว", help_en="may be blank when a fund is chosen"),
        Column("member_number", "เลขที่สมาชิก", "member_number", v.code, required=True, example="0001", repeats=True,
               aliases=("เลขสมาชิก", "รหัสสมาชิก", "member no"), max_length=field_length(Membership, "member_number")),
        Column("receipt_number", "เลขที่ใบเสร็จ", "receipt_number", v.code, required=True, example="2565/0001",
               aliases=("ใบเสร็จเลขที่", "เลขใบเสร็จ", "receipt no", "receipt"),
               max_length=field_length(Contribution, "receipt_number")),
        Column("date", "วันที่จ่าย", "date", v.date, required=True, example="15/11/2565", repeats=True,
               aliases=("วันที่", "วันที่ชำระ", "date paid", "paid on")),
        Column("amount", "จำนวนเงิน", "amount", v.amount, required=True, example="365.00", repeats=True,
               aliases=("จำนวนเงิน (บาท)", "ยอดเงิน", "เงินสมทบ", "baht")),
    ]

    def _closed(self, ctx: Context, fund) -> list[tuple[datetime.date, datetime.date]]:
        closed = ctx.state.setdefault("closed", {})
        if fund.pk not in closed:
            closed[fund.pk] = _closed_periods(fund.pk)
        return closed[fund.pk]

    def check(self, ctx: Context, rows: list[Row]) -> None:
        """Each row's member, receipt and days covered; a valid row's ``checked`` is ``(fund, fund id, membership
        id, days, first day covered, last day covered)`` (positions ``FUND`` … ``COVERS_TO``), and ``(fund, fund
        id, membership id, 0, None, None)`` for a receipt already recorded just so (left as it is)."""
        by_fund: dict[int, tuple] = {}
        fund_for = ctx.fund_for
        last, group = None, None
        for row in rows:
            values = row.values
            fund = fund_for(row)
            if fund is not None and values["member_number"] and values["receipt_number"]:
                if fund is not last:
                    last = fund
                    group = by_fund.setdefault(fund.pk, (fund, []))[1]
                group.append(row)
        members_of = ctx.state.setdefault("members", {})
        paid = ctx.state.setdefault("paid", {})
        seen = ctx.seen.setdefault("receipt", {})
        for fund_id, (fund, fund_rows) in by_fund.items():
            members = members_of.setdefault(fund_id, {})
            wanted = {n for n in {r.values["member_number"] for r in fund_rows} if n not in members}
            if wanted:
                for m in (Membership.objects.filter(fund_id=fund_id, member_number__in=wanted)
                          .values("id", "member_number", "joined_on", "ended_on", "paid_through")):
                    members[m["member_number"]] = m
                    paid[m["id"]] = m["paid_through"] or (m["joined_on"] - ONE_DAY)
            recorded = _recorded(fund_id, [r.values["receipt_number"] for r in fund_rows])
            days_of = ctx.state.setdefault(("days", fund_id), {})
            closed = self._closed(ctx, fund)
            self._check_rows(fund_rows, fund, fund_id, members, paid, seen, recorded, closed, days_of)

    def _check_rows(self, rows: list[Row], fund, fund_id: int, members, paid, seen, recorded, closed,
                    days_of) -> None:
        """Each row of one fund, in file order (one call a batch, not a row)."""
        for row in rows:
            values = row.values
            number, receipt, date, amount = (values["member_number"], values["receipt_number"], values["date"],
                                             values["amount"])
            member = members.get(number)
            if member is None:
                row.problem("member_number", "unknown_member",
                            f"ไม่พบสมาชิกเลขที่ {number} ในกองทุน {fund.code} (นำเข้ารายชื่อสมาชิกก่อน)",
                            f"no member {number} in fund {fund.code} (import the members first)")
                continue
            member_id = member["id"]
            content = hash((member_id, amount, date)) & 0xFFFFFFFF
            key = hash((fund_id, receipt))
            earlier = seen.get(key)
            if earlier is not None:
                row_number, earlier_content = earlier & 0xFFFFFFFF, earlier >> 32
                if earlier_content == content:
                    row.problem("receipt_number", "repeated_row",
                                f"ใบเสร็จ {receipt} ซ้ำกับแถวที่ {row_number} (ข้อมูลเหมือนกัน)",
                                f"receipt {receipt} repeats row {row_number}")
                else:
                    row.problem("receipt_number", "receipt_conflict",
                                f"ใบเสร็จ {receipt} อยู่ในแถวที่ {row_number} ด้วย แต่ข้อมูลไม่ตรงกัน "
                                "(สมาชิก วันที่ หรือจำนวนเงิน)",
                                f"receipt {receipt} is also on row {row_number} with a different member, date or "
                                "amount")
                continue
            seen[key] = (content << 32) | row.number
            if date is None or amount is None:
                continue
            if recorded:
                existing = recorded.get(receipt)
                if existing is not None:
                    if existing == (member_id, amount, date):
                        row.checked = (fund, fund_id, member_id, 0, None, None)
                        continue
                    recorded_amount, recorded_date = existing[1], existing[2]
                    row.problem("receipt_number", "receipt_recorded",
                                f"ใบเสร็จ {receipt} บันทึกไว้แล้ว ({recorded_amount:,.2f} บาท วันที่ "
                                f"{format_date(recorded_date, 'numeric')}) ข้อมูลในไฟล์ต่างออกไป: "
                                "แก้ด้วยการกลับรายการ ไม่ใช่นำเข้าซ้ำ",
                                f"receipt {receipt} is already recorded ({recorded_amount:,.2f} on {recorded_date});"
                                " the file differs: correct it by a reversal, not by importing again")
                    continue
            if date < member["joined_on"]:
                row.problem("date", "before_joining", "วันที่จ่ายอยู่ก่อนวันที่สมัครเป็นสมาชิก",
                            "paid before joining the fund")
                continue
            if member["ended_on"] and date > member["ended_on"]:
                row.problem("date", "after_leaving", "วันที่จ่ายอยู่หลังวันที่สิ้นสุดสมาชิกภาพ",
                            "paid after the membership ended")
                continue
            if closed and any(start <= date <= end for start, end in closed):
                row.problem("date", "closed_period", "วันที่จ่ายอยู่ในงวดบัญชีที่ปิดแล้ว",
                            "the date is in a closed period")
                continue
            known = days_of.get(amount)
            if known is None:
                days, problem = _history_days(fund, amount)
                if problem:
                    row.problem("amount", "whole_days", *problem)
                    continue
                known = (days, datetime.timedelta(days=days - 1))
                if len(days_of) < _DAYS_KEPT:
                    days_of[amount] = known
            days, span = known
            covers_from = paid[member_id] + ONE_DAY
            covers_to = paid[member_id] = covers_from + span
            row.checked = (fund, fund_id, member_id, days, covers_from, covers_to)

    def outcomes(self, rows: list[Row]) -> Counts:
        unchanged = sum(1 for row in rows if not row.checked[DAYS])
        return Counts(written=len(rows) - unchanged, unchanged=unchanged)

    @transaction.atomic
    def write(self, ctx: Context, rows: list[Row]) -> Counts:
        new = [r for r in rows if r.checked[DAYS]]  # 0 days: recorded already, just so
        counts = Counts(unchanged=len(rows) - len(new))
        rows = new
        if not rows:
            return counts
        groups: dict[tuple, list[Row]] = defaultdict(list)
        for row in rows:
            groups[(row.checked[FUND_ID], row.values["date"])].append(row)
        ops, now = connection.ops, timezone.now()
        created = ops.adapt_datetimefield_value(now)
        day = _Adapted(ops.adapt_datefield_value)  # a batch holds a few hundred distinct dates
        recorder = ctx.actor.pk if getattr(ctx.actor, "is_authenticated", False) else None
        records, through = [], {}
        for (fund_id, date), group in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1])):
            fund = group[0].checked[FUND]
            total = sum((r.values["amount"] for r in group), Decimal("0.00"))
            entry = _post(ctx, fund, date, total, len(group), group[0].values["receipt_number"],
                          group[-1].values["receipt_number"])
            fiscal_year, entry_id, paid_on = fiscal_year_of(date).be_year, entry.pk, day[date]
            for row in group:
                values = row.values
                _fund, _fund_id, mid, days, covers_from, covers_to = row.checked
                records.append((
                    fund_id, mid, values["receipt_number"], fiscal_year, paid_on,
                    ops.adapt_decimalfield_value(values["amount"], 16, 2), days, day[covers_from],
                    day[covers_to], None, entry_id, None, recorder, created))
                if mid not in through or through[mid] < covers_to:
                    through[mid] = covers_to
        table = Contribution._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                    for record in records:
                        copy.write_row(record)
            else:
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})",
                    records)
            if connection.vendor == "postgresql":
                # One statement for the batch's members, not one each; ids and dates as comma-joined text (see
                # _recorded: array parameters are built in Python).
                cursor.execute(
                    f"UPDATE {Membership._meta.db_table} AS m SET paid_through = v.paid_through"
                    " FROM (SELECT unnest(string_to_array(%s, ',')::bigint[]) AS id,"
                    " unnest(string_to_array(%s, ',')::date[]) AS paid_through) AS v"
                    " WHERE m.id = v.id AND (m.paid_through IS NULL OR m.paid_through < v.paid_through)",
                    [",".join(map(str, through)), ",".join(map(datetime.date.isoformat, through.values()))])
            else:
                cursor.executemany(
                    f"UPDATE {Membership._meta.db_table} SET paid_through = %s"
                    " WHERE id = %s AND (paid_through IS NULL OR paid_through < %s)",
                    [(day[d], mid, day[d]) for mid, d in through.items()])
        # A member's lapse notice is taken back only when the payments bring them within the limit today.
        lapse_notices_settle({r.checked[FUND_ID]: r.checked[FUND].arrears_limit_days for r in rows}, list(through),
                             timezone.localdate())
        counts.written = len(records)
        audit_record(actor=ctx.actor, action="dataio.import_contributions", obj=ctx.job,
                     summary=f"rows {rows[0].number}–{rows[-1].number}: {len(records)} receipts, {len(groups)} entries",
                     organisation=ctx.fund.organisation if ctx.fund else None,
                     data={"written": len(records), "entries": len(groups)})
        return counts

    # --- the set-based write: rows kept by the check, moved with SQL ----------------------------------------------

    def stage(self, ctx: Context, rows: list[Row]) -> int:
        """Keep the checked rows (the valid ones, already-recorded ones marked) for :meth:`write_staged`: the
        member, fiscal year, amount in satang, days and days covered, as the check worked them out. COPY on
        PostgreSQL (text built here, each distinct date and amount once), executemany on SQLite."""
        if not rows:
            return 0
        postgres = connection.vendor == "postgresql"
        state = ctx.state
        if "stage_days" not in state:  # dates as the database takes them, amounts in satang, fiscal years
            adapt = datetime.date.isoformat if postgres else connection.ops.adapt_datefield_value
            state["stage_days"] = _Adapted(adapt)
            state["stage_satang"] = _Adapted(lambda amount: int(amount * 100))
            state["stage_fiscal"] = _Adapted(lambda date: fiscal_year_of(date).be_year)
        day, satang, fiscal = state["stage_days"], state["stage_satang"], state["stage_fiscal"]
        base, records = StagedContribution.key_of(ctx.job.pk, 0), []
        append = records.append
        for row in rows:
            values = row.values
            date = values["date"]
            _fund, fund_id, member_id, days, covers_from, covers_to = row.checked
            if days:
                record = (base | row.number, fund_id, member_id, values["receipt_number"], fiscal[date], day[date],
                          satang[values["amount"]], days, day[covers_from], day[covers_to], False)
            else:  # already recorded just so: kept to be counted, never written
                covers = day[date]
                record = (base | row.number, fund_id, member_id, values["receipt_number"], fiscal[date], covers,
                          satang[values["amount"]], 0, covers, covers, True)
            append(record)
        if len(day) > _DAYS_KEPT * 10:  # a few thousand distinct days in a file; bounded whatever it holds
            day.clear()
        table, columns = StagedContribution._meta.db_table, ", ".join(_STAGED_COLUMNS)
        with connection.cursor() as cursor:
            if postgres:
                # COPY's text format, one tab-separated line a row (receipt numbers hold no whitespace:
                # values.code removes it; a backslash is doubled).
                text = "".join([
                    f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3].replace(chr(92), chr(92) * 2)}\t{r[4]}\t{r[5]}\t{r[6]}\t{r[7]}\t"
                    f"{r[8]}\t{r[9]}\t{'t' if r[10] else 'f'}\n" for r in records])
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(text)
            else:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 11)})", records)
        return len(records)

    def staged_left(self, job) -> int:
        return StagedContribution.of_job(job.pk).count()

    def staged_clear(self, job) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {StagedContribution._meta.db_table} WHERE key > %s AND key < %s",
                           list(StagedContribution.key_range(job.pk)))

    def write_staged(self, ctx: Context, after: int) -> "Staged":
        """The next batch of staged rows after file row ``after``, written with set-based SQL — receipts
        (INSERT … SELECT), one journal entry per fund and day, the members' paid-through dates — and taken out
        of the staging table, all in the caller's transaction. First it asks the database whether anything the
        check relied on has changed since (a receipt recorded, a member's paid-through date moved or membership
        ended, a period closed, the fund's daily rate): if so nothing is written and ``changed`` is set, and
        the caller reads and checks the file again from ``after`` (:meth:`check`, :meth:`write`), which names
        the row."""
        batch = _StagedBatch(ctx.job.pk, after, self.staged_batch_size)
        if batch.last is None:
            return Staged(Counts(), None)
        funds = ctx.state.setdefault("funds_by_id", {})
        if ctx.fund is not None:
            funds.setdefault(ctx.fund.pk, ctx.fund)
        fund_ids = batch.fund_ids()
        for fund_id in fund_ids:
            if fund_id not in funds:
                funds[fund_id] = Fund.objects.select_related("organisation__book").get(pk=fund_id)
        if batch.changed(funds, fund_ids):
            return Staged(Counts(), batch.last, changed=True)
        entries = []
        for fund_id, date, satang, receipts, first, last in batch.groups():
            entry = _post(ctx, funds[fund_id], date, Decimal(satang) / 100, receipts, first, last)
            entries.append((fund_id, date, entry.pk))
        recorder = ctx.actor.pk if getattr(ctx.actor, "is_authenticated", False) else None
        written = batch.insert(entries, recorder, timezone.now())
        batch.move_paid_through()
        lapse_notices_settle({fund_id: funds[fund_id].arrears_limit_days for fund_id in fund_ids},
                             RawSQL(f"SELECT membership_id FROM {_BATCH_MEMBERS}", []),  # noqa: S611 (a constant)
                             timezone.localdate())
        counts = Counts(written=written, unchanged=batch.unchanged())
        batch.delete()
        audit_record(actor=ctx.actor, action="dataio.import_contributions", obj=ctx.job,
                     summary=f"rows {after + 1}–{batch.last}: {written} receipts, {len(entries)} entries",
                     organisation=ctx.fund.organisation if ctx.fund else None,
                     data={"written": written, "entries": len(entries)})
        return Staged(counts, batch.last)


_ENTRY_MAP = "temp.dataio_import_entry"  # SQLite: each (fund, date) of a staged batch → its journal entry
_BATCH_MEMBERS = "dataio_import_member"  # TEMP: each member of a staged batch, once (_StagedBatch._members_gather)
_STAGED_COLUMNS = ("key", "fund_id", "membership_id", "receipt_number", "fiscal_year", "date", "satang",
                   "days", "covers_from", "covers_to", "unchanged")


class Staged:
    """What :meth:`Contributions.write_staged` did: the counts, the last file row of the batch (``None`` when no
    staged row was left) and whether the database had changed since the check (then nothing was written)."""

    def __init__(self, counts: Counts, last: int | None, changed: bool = False) -> None:
        self.counts, self.last, self.changed = counts, last, changed


class _StagedBatch:
    """One batch of a job's staged rows (file rows ``after`` < row ≤ ``last``) and the SQL run on it. Every
    statement reads the batch as a range of the staging table's key (job << 32 | row)."""

    def __init__(self, job_id: int, after: int, size: int) -> None:
        self.staged, self.contributions = StagedContribution._meta.db_table, Contribution._meta.db_table
        self.members = Membership._meta.db_table
        self.postgres = connection.vendor == "postgresql"
        # The batch: the file rows from the first staged one after ``after``, ``size`` file rows on (so at most
        # ``size`` staged rows), up to the last staged row among them. Two lookups at the ends of the key.
        self.last = None
        low, end = StagedContribution.key_of(job_id, after), StagedContribution.key_range(job_id)[1]
        last_key = None
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MIN(key) FROM {self.staged} WHERE key > %s AND key < %s", [low, end])
            first = cursor.fetchone()[0]
            if first is not None:
                cursor.execute(f"SELECT MAX(key) FROM {self.staged} WHERE key >= %s AND key < %s",
                               [first, min(first + size, end)])
                last_key = cursor.fetchone()[0]
                self.last = StagedContribution.row_of(last_key)
        self.where = "s.key > %s AND s.key <= %s"
        self.params = [low, last_key]

    def _rows(self, sql: str, params: list | None = None, bare: bool = False) -> list[tuple]:
        """Rows of ``sql``: its own ``params``, then (unless ``bare``) the batch's (for ``self.where``)."""
        with connection.cursor() as cursor:
            cursor.execute(sql, [*(params or []), *(() if bare else self.params)])
            return cursor.fetchall()

    def fund_ids(self) -> list[int]:
        return [r[0] for r in self._rows(f"SELECT DISTINCT s.fund_id FROM {self.staged} s WHERE {self.where}")]

    def changed(self, funds: dict[int, Fund], fund_ids: list[int]) -> bool:
        """Has the database moved on from what the check saw, for any row of the batch?

        On PostgreSQL the batch's members are locked first (``FOR UPDATE``, in id order), as a payment at the
        counter locks its member: a payment committed before sees the import wait and the tests below see it; one
        that comes after waits for the batch and covers the days after it. (SQLite writes one transaction at a
        time: ours began with the write lock.)"""
        staged, where = self.staged, self.where
        self._members_gather()
        if self.postgres:
            self._rows(f"SELECT id FROM {self.members} WHERE id = ANY(ARRAY(SELECT membership_id FROM {_BATCH_MEMBERS}"
                       " ORDER BY 1)) ORDER BY id FOR UPDATE", bare=True)
        # A receipt recorded since. First the ends of the index, as in _recorded: no receipt of the fund between
        # the batch's lowest and highest number, none recorded. Otherwise each number is looked up through the
        # unique (fund, receipt) key (LATERAL on PostgreSQL: the planner must not scan the fund's receipts).
        ends = self._rows(f"SELECT s.fund_id, MIN(s.receipt_number), MAX(s.receipt_number) FROM {staged} s"
                          f" WHERE {where} AND NOT s.unchanged GROUP BY s.fund_id")
        if any(self._rows(f"SELECT 1 FROM {self.contributions} c WHERE c.fund_id = %s AND c.receipt_number >= %s"
                          " AND c.receipt_number <= %s LIMIT 1", [fund_id, lo, hi], bare=True)
               for fund_id, lo, hi in ends) and self._recorded_since():
            return True
        return self._members_moved() or self._rules_changed(funds, fund_ids)

    def _recorded_since(self) -> bool:
        staged, where = self.staged, self.where
        if self.postgres:
            recorded = (f"SELECT 1 FROM {staged} s CROSS JOIN LATERAL (SELECT 1 FROM {self.contributions} c"
                        " WHERE c.fund_id = s.fund_id AND c.receipt_number = s.receipt_number LIMIT 1) AS c"
                        f" WHERE {where} AND NOT s.unchanged LIMIT 1")
        else:
            recorded = (f"SELECT 1 FROM {staged} s WHERE {where} AND NOT s.unchanged AND EXISTS (SELECT 1 FROM"
                        f" {self.contributions} c WHERE c.fund_id = s.fund_id AND c.receipt_number = s.receipt_number)"
                        " LIMIT 1")
        return bool(self._rows(recorded))

    def _members_gather(self) -> None:
        """Each member of the batch once, in a TEMP table: the fund(s) the rows name, the first day the batch
        covers, the earliest and latest date paid and the last day covered. One pass over the batch, then used to
        lock the members, to test them (:meth:`_members_moved`) and to move their paid-through dates."""
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_BATCH_MEMBERS} (membership_id bigint NOT NULL PRIMARY"
                           " KEY, fund_lo bigint NOT NULL, fund_hi bigint NOT NULL, first_from date NOT NULL,"
                           " date_lo date NOT NULL, date_hi date NOT NULL, last_to date NOT NULL)")
            cursor.execute(f"DELETE FROM {_BATCH_MEMBERS}")
            cursor.execute(
                f"INSERT INTO {_BATCH_MEMBERS} SELECT s.membership_id, MIN(s.fund_id), MAX(s.fund_id),"
                " MIN(s.covers_from), MIN(s.date), MAX(s.date), MAX(s.covers_to)"
                f" FROM {self.staged} s WHERE {self.where} AND NOT s.unchanged GROUP BY s.membership_id",
                self.params)
            if self.postgres:
                # Its figures for the planner, so that the members are found through their key (a fund's members
                # are a few thousand of millions), not by reading the member table.
                cursor.execute(f"ANALYZE {_BATCH_MEMBERS}")

    def _members_moved(self) -> bool:
        # Each member: the first day the batch covers must follow the paid-through date the check started from
        # (the import's own earlier batches moved it just so), the dates inside the membership, the member in
        # the same fund and still there.
        next_day = "m.paid_through + 1" if self.postgres else "date(m.paid_through, '+1 day')"
        member = (f"(SELECT m.fund_id, m.joined_on, m.ended_on, m.paid_through FROM {self.members} m"
                  " WHERE m.id = f.membership_id) m ON TRUE") if self.postgres else (
                  f"{self.members} m ON m.id = f.membership_id")
        lateral = "LEFT JOIN LATERAL" if self.postgres else "LEFT JOIN"
        moved = self._rows(
            f"SELECT 1 FROM {_BATCH_MEMBERS} f {lateral} {member}"
            " WHERE m.fund_id IS NULL OR m.fund_id <> f.fund_lo OR m.fund_id <> f.fund_hi OR f.date_lo < m.joined_on"
            " OR (m.ended_on IS NOT NULL AND f.date_hi > m.ended_on)"
            " OR (m.paid_through IS NULL AND f.first_from <> m.joined_on)"
            f" OR (m.paid_through IS NOT NULL AND f.first_from <> {next_day}) LIMIT 1", bare=True)
        return bool(moved)

    def _rules_changed(self, funds: dict[int, Fund], fund_ids: list[int]) -> bool:
        staged, where = self.staged, self.where
        # The fund's daily rate (the days each amount pays for) and its closed periods.
        for fund_id, satang, days in self._rows(
                f"SELECT DISTINCT s.fund_id, s.satang, s.days FROM {staged} s WHERE {where} AND NOT s.unchanged"):
            now, problem = _history_days(funds[fund_id], Decimal(satang) / 100)
            if problem or now != days:
                return True
        for fund_id in fund_ids:
            for start, end in _closed_periods(fund_id):
                if self._rows(f"SELECT 1 FROM {staged} s WHERE s.fund_id = %s AND s.date >= %s AND s.date <= %s"
                              f" AND {where} AND NOT s.unchanged LIMIT 1", [fund_id, start, end]):
                    return True
        return False

    def groups(self) -> list[tuple]:
        """``(fund id, date, satang, receipts, first receipt, last receipt)`` of each fund and day, the first and
        last in file order, as :meth:`Contributions.write` groups them."""
        groups = self._rows(
            f"SELECT s.fund_id, s.date, SUM(s.satang), COUNT(*), MIN(s.key), MAX(s.key) FROM {self.staged} s"
            f" WHERE {self.where} AND NOT s.unchanged GROUP BY s.fund_id, s.date ORDER BY s.fund_id, s.date")
        if not groups:
            return []
        ends = sorted({g[4] for g in groups} | {g[5] for g in groups})
        receipt = dict(self._rows(f"SELECT s.key, s.receipt_number FROM {self.staged} s WHERE s.key IN"
                                  f" ({', '.join(['%s'] * len(ends))}) AND {self.where}", ends))
        return [(fund_id, _date(date), satang, count, receipt[lo], receipt[hi])
                for fund_id, date, satang, count, lo, hi in groups]

    def insert(self, entries: list[tuple], recorder: int | None, created) -> int:
        """The receipts, each with its day's journal entry: one INSERT … SELECT."""
        if not entries:
            return 0
        ops = connection.ops
        columns = ", ".join(_COLUMNS)
        amount = "s.satang::numeric / 100" if self.postgres else "s.satang / 100.0"
        with connection.cursor() as cursor:
            if self.postgres:
                mapping = "unnest(%s::bigint[], %s::date[], %s::bigint[]) AS e(fund_id, date, entry_id)"
                mapping_params = [[e[0] for e in entries], [e[1] for e in entries], [e[2] for e in entries]]
            else:
                # The day's entry looked up through a TEMP table's key (fund, date), the batch read once in row
                # order (CROSS JOIN keeps it the outer loop). An inline mapping (UNION ALL of the entries) has no
                # index: every row compared itself with every entry of the batch, most of the write's time when a
                # batch spans many days (measured: 50,000 rows over 92 days, 0.84 → 0.17 s). The date column is
                # declared ``date`` as the staged one is, so that the comparison can use the key.
                cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_ENTRY_MAP} (fund_id bigint NOT NULL, date date"
                               " NOT NULL, entry_id bigint NOT NULL, PRIMARY KEY (fund_id, date)) WITHOUT ROWID")
                cursor.execute(f"DELETE FROM {_ENTRY_MAP}")
                cursor.executemany(f"INSERT INTO {_ENTRY_MAP} (fund_id, date, entry_id) VALUES (%s, %s, %s)",
                                   [(fund_id, ops.adapt_datefield_value(date), entry_id)
                                    for fund_id, date, entry_id in entries])
                mapping, mapping_params = f"{_ENTRY_MAP} AS e", []
            cursor.execute(
                f"INSERT INTO {self.contributions} ({columns}) SELECT s.fund_id, s.membership_id, s.receipt_number,"
                f" s.fiscal_year, s.date, {amount}, s.days, s.covers_from, s.covers_to, NULL, e.entry_id,"
                " NULL, %s, %s"
                f" FROM {self.staged} s {'JOIN' if self.postgres else 'CROSS JOIN'} {mapping}"
                " ON e.fund_id = s.fund_id AND e.date = s.date"
                f" WHERE {self.where} AND NOT s.unchanged ORDER BY s.key",
                [recorder, ops.adapt_datetimefield_value(created), *mapping_params, *self.params])
            return cursor.rowcount

    def move_paid_through(self) -> None:
        """Each member's paid-through date to the last day the batch covers (never backwards), from the members
        :meth:`changed` gathered (their lapse notices are settled after: ``lapse_notices_settle``)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.members} SET paid_through = v.last_to FROM {_BATCH_MEMBERS} v"
                f" WHERE {self.members}.id = v.membership_id"
                f" AND ({self.members}.paid_through IS NULL OR {self.members}.paid_through < v.last_to)")

    def unchanged(self) -> int:
        return self._rows(f"SELECT COUNT(*) FROM {self.staged} s WHERE {self.where} AND s.unchanged")[0][0]

    def delete(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.staged} WHERE key > %s AND key <= %s", self.params)


def _date(value) -> datetime.date:
    """A date read back by a raw query: a date on PostgreSQL, ISO text on SQLite."""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)
