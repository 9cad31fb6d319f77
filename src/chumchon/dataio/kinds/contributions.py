"""Contribution history: the receipts a fund wrote before it used Chumchon, one row each.

Natural key: fund + receipt number. A receipt already recorded with the same member, date and amount is left as it
is; with anything different it is refused (money already in the books is corrected by reversal, never by
overwriting). Each receipt covers days from the member's first unpaid day, in the order of the file. The money
posts to the fund's books as one entry per fund and day per batch (Dr cash / Cr contributions), with every ledger
rule checked by the database; the receipts are written with COPY on PostgreSQL and executemany on SQLite.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from chumchon.core.audit import audit_record
from chumchon.core.thai.dates import format_date
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.dataio import values as v
from chumchon.dataio.kinds.base import Column, Context, Counts, Kind, Row
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Period
from chumchon.welfare.models import Contribution, Membership
from chumchon.welfare.services.contributions import days_for_amount

ONE_DAY = datetime.timedelta(days=1)
_IN_CHUNK = 10_000  # values in one IN (…) on SQLite, well below its limit of 32,766 parameters
_DAYS_KEPT = 10_000  # amounts whose number of days is remembered (a file has a few dozen distinct amounts)
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
    array parameter element by element in Python."""
    table = Contribution._meta.db_table
    found = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            joined = "\n".join(receipts)
            numbers = ("string_to_array(%s, E'\\n')::varchar[]" if joined.count("\n") == len(receipts) - 1
                       else "%s::varchar[]")
            cursor.execute(
                f"SELECT found.receipt_number FROM unnest({numbers}) AS wanted(receipt) CROSS JOIN LATERAL"
                f" (SELECT receipt_number FROM {table} WHERE fund_id = %s AND receipt_number = wanted.receipt"
                " LIMIT 1) AS found", [joined if numbers.startswith("string") else receipts, fund_id])
            found = [r[0] for r in cursor.fetchall()]
        else:
            for i in range(0, len(receipts), _IN_CHUNK):
                chunk = receipts[i:i + _IN_CHUNK]
                cursor.execute(f"SELECT receipt_number FROM {table} WHERE fund_id = %s AND receipt_number IN"
                               f" ({', '.join(['%s'] * len(chunk))})", [fund_id, *chunk])
                found += [r[0] for r in cursor.fetchall()]
    if not found:
        return {}
    return {c[0]: c[1:] for c in Contribution.objects.filter(fund_id=fund_id, receipt_number__in=found)
            .values_list("receipt_number", "membership_id", "amount", "date")}


class Contributions(Kind):
    name = "contributions"
    title_th = "ประวัติการจ่ายเงินสมทบ"
    title_en = "contribution history"
    batch_size = 10_000
    columns = [
        Column("fund_code", "รหัสกองทุน", "fund_code", v.code, example="A-001",
               help_th="ไม่กรอกได้เมื่อเลือกกองทุนแล้ว", help_en="may be blank when a fund is chosen"),
        Column("member_number", "เลขที่สมาชิก", "member_number", v.code, required=True, example="0001",
               aliases=("เลขสมาชิก", "รหัสสมาชิก", "member no")),
        Column("receipt_number", "เลขที่ใบเสร็จ", "receipt_number", v.code, required=True, example="2565/0001",
               aliases=("ใบเสร็จเลขที่", "เลขใบเสร็จ", "receipt no", "receipt")),
        Column("date", "วันที่จ่าย", "date", v.date, required=True, example="15/11/2565",
               aliases=("วันที่", "วันที่ชำระ", "date paid", "paid on")),
        Column("amount", "จำนวนเงิน", "amount", v.amount, required=True, example="365.00",
               aliases=("จำนวนเงิน (บาท)", "ยอดเงิน", "เงินสมทบ", "baht")),
    ]

    def _closed(self, ctx: Context, fund) -> list[tuple[datetime.date, datetime.date]]:
        closed = ctx.state.setdefault("closed", {})
        if fund.pk not in closed:
            closed[fund.pk] = list(Period.objects.filter(book__organisation_id=fund.pk, status=Period.Status.CLOSED)
                                   .values_list("start", "end"))
        return closed[fund.pk]

    def check(self, ctx: Context, rows: list[Row]) -> None:
        by_fund: dict[int, list[Row]] = defaultdict(list)
        fund_for = ctx.fund_for
        for row in rows:
            fund = fund_for(row)
            values = row.values
            if fund is not None and values.get("member_number") and values.get("receipt_number"):
                values["_fund"] = fund
                by_fund[fund.pk].append(row)
        members = ctx.state.setdefault("members", {})
        paid = ctx.state.setdefault("paid", {})
        seen = ctx.seen.setdefault("receipt", {})
        for fund_id, fund_rows in by_fund.items():
            wanted = {n for n in {r.values["member_number"] for r in fund_rows} if (fund_id, n) not in members}
            if wanted:
                for m in (Membership.objects.filter(fund_id=fund_id, member_number__in=wanted)
                          .values("id", "member_number", "joined_on", "ended_on", "paid_through")):
                    members[(fund_id, m["member_number"])] = m
                    paid[m["id"]] = m["paid_through"] or (m["joined_on"] - ONE_DAY)
            recorded = _recorded(fund_id, [r.values["receipt_number"] for r in fund_rows])
            fund = fund_rows[0].values["_fund"]
            days_of = ctx.state.setdefault(("days", fund_id), {})
            closed = self._closed(ctx, fund)
            for row in fund_rows:
                self._check_row(row, fund, fund_id, members, paid, seen, recorded, closed, days_of)

    def _check_row(self, row: Row, fund, fund_id: int, members, paid, seen, recorded, closed, days_of) -> None:
        values = row.values
        number, receipt, date, amount = (values["member_number"], values["receipt_number"], values.get("date"),
                                         values.get("amount"))
        member = members.get((fund_id, number))
        if member is None:
            row.problem("member_number", "unknown_member", f"ไม่พบสมาชิกเลขที่ {number} ในกองทุน {fund.code} "
                        "(นำเข้ารายชื่อสมาชิกก่อน)", f"no member {number} in fund {fund.code} (import the members first)")
            return
        member_id = member["id"]
        content = hash((member_id, amount, date)) & 0xFFFFFFFF
        key = hash((fund_id, receipt))
        earlier = seen.get(key)
        if earlier is not None:
            row_number, earlier_content = earlier & 0xFFFFFFFF, earlier >> 32
            if earlier_content == content:
                row.problem("receipt_number", "repeated_row", f"ใบเสร็จ {receipt} ซ้ำกับแถวที่ {row_number} (ข้อมูลเหมือนกัน)",
                            f"receipt {receipt} repeats row {row_number}")
            else:
                row.problem("receipt_number", "receipt_conflict",
                            f"ใบเสร็จ {receipt} อยู่ในแถวที่ {row_number} ด้วย แต่ข้อมูลไม่ตรงกัน (สมาชิก วันที่ หรือจำนวนเงิน)",
                            f"receipt {receipt} is also on row {row_number} with a different member, date or amount")
            return
        seen[key] = (content << 32) | row.number
        if date is None or amount is None:
            return
        existing = recorded.get(receipt)
        if existing is not None:
            if existing == (member_id, amount, date):
                values["_unchanged"] = True
                return
            recorded_amount, recorded_date = existing[1], existing[2]
            row.problem("receipt_number", "receipt_recorded",
                        f"ใบเสร็จ {receipt} บันทึกไว้แล้ว ({recorded_amount:,.2f} บาท วันที่ "
                        f"{format_date(recorded_date, 'numeric')}) ข้อมูลในไฟล์ต่างออกไป: แก้ด้วยการกลับรายการ ไม่ใช่นำเข้าซ้ำ",
                        f"receipt {receipt} is already recorded ({recorded_amount:,.2f} on {recorded_date}); the file "
                        "differs: correct it by a reversal, not by importing again")
            return
        if date < member["joined_on"]:
            row.problem("date", "before_joining", "วันที่จ่ายอยู่ก่อนวันที่สมัครเป็นสมาชิก", "paid before joining the fund")
            return
        if member["ended_on"] and date > member["ended_on"]:
            row.problem("date", "after_leaving", "วันที่จ่ายอยู่หลังวันที่สิ้นสุดสมาชิกภาพ", "paid after the membership ended")
            return
        for start, end in closed:
            if start <= date <= end:
                row.problem("date", "closed_period", "วันที่จ่ายอยู่ในงวดบัญชีที่ปิดแล้ว", "the date is in a closed period")
                return
        days = days_of.get(amount)
        if days is None:
            days, problem = days_for_amount(fund, amount)
            if problem:
                row.problem("amount", "whole_days", *problem)
                return
            days = max(1, days)  # history is taken as paid, whatever the fund's payment steps
            if len(days_of) < _DAYS_KEPT:
                days_of[amount] = days
        covers_from = paid[member_id] + ONE_DAY
        covers_to = covers_from + datetime.timedelta(days=days - 1)
        paid[member_id] = covers_to
        values.update(_membership_id=member_id, _days=days, _from=covers_from, _to=covers_to)

    @transaction.atomic
    def write(self, ctx: Context, rows: list[Row]) -> Counts:
        counts = Counts(unchanged=sum(1 for r in rows if r.values.get("_unchanged")))
        rows = [r for r in rows if not r.values.get("_unchanged")]
        if not rows:
            return counts
        groups: dict[tuple, list[Row]] = defaultdict(list)
        for row in rows:
            groups[(row.values["_fund"].pk, row.values["date"])].append(row)
        ops, now = connection.ops, timezone.now()
        created = ops.adapt_datetimefield_value(now)
        day = _Adapted(ops.adapt_datefield_value)  # a batch holds a few hundred distinct dates
        recorder = ctx.actor.pk if getattr(ctx.actor, "is_authenticated", False) else None
        records, through = [], {}
        for (fund_id, date), group in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1])):
            fund = group[0].values["_fund"]
            total = sum((r.values["amount"] for r in group), Decimal("0.00"))
            entry = ledger.receipt_post(
                actor=ctx.actor, book=fund.organisation.book, date=date, amount=total, income_account="4101",
                memo=f"นำเข้าเงินสมทบ {len(group)} ใบเสร็จ ({ctx.job.filename if ctx.job else 'import'})"[:300],
                # The group's first receipt names it for good (a receipt is written once per fund): a retried
                # batch finds its entry again, and no database id of this instance is in the key (funds move).
                idempotency_key=ledger.derived_key("import", f"{date.isoformat()}-{group[0].values['receipt_number']}"),
                reference=f"{group[0].values['receipt_number']}–{group[-1].values['receipt_number']}"[:64],
            )
            fiscal_year, entry_id, paid_on = fiscal_year_of(date).be_year, entry.pk, day[date]
            key_prefix = f"import-{fund_id}-"
            for row in group:
                values = row.values
                receipt, mid, covers_to = values["receipt_number"], values["_membership_id"], values["_to"]
                records.append((
                    fund_id, mid, receipt, fiscal_year, paid_on,
                    ops.adapt_decimalfield_value(values["amount"], 16, 2), values["_days"], day[values["_from"]],
                    day[covers_to], None, entry_id, key_prefix + receipt, recorder, created))
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
                    f"UPDATE {Membership._meta.db_table} AS m SET paid_through = v.paid_through, lapse_notice_on = NULL"
                    " FROM (SELECT unnest(string_to_array(%s, ',')::bigint[]) AS id,"
                    " unnest(string_to_array(%s, ',')::date[]) AS paid_through) AS v"
                    " WHERE m.id = v.id AND (m.paid_through IS NULL OR m.paid_through < v.paid_through)",
                    [",".join(map(str, through)), ",".join(map(datetime.date.isoformat, through.values()))])
            else:
                cursor.executemany(
                    f"UPDATE {Membership._meta.db_table} SET paid_through = %s, lapse_notice_on = NULL"
                    " WHERE id = %s AND (paid_through IS NULL OR paid_through < %s)",
                    [(day[d], mid, day[d]) for mid, d in through.items()])
        counts.written = len(records)
        audit_record(actor=ctx.actor, action="dataio.import_contributions", obj=ctx.job,
                     summary=f"rows {rows[0].number}–{rows[-1].number}: {len(records)} receipts, {len(groups)} entries",
                     organisation=ctx.fund.organisation if ctx.fund else None,
                     data={"written": len(records), "entries": len(groups)})
        return counts
