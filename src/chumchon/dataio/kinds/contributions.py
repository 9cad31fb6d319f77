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
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.dataio import values as v
from chumchon.dataio.kinds.base import Column, Context, Counts, Kind, Row
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Period
from chumchon.welfare.models import Contribution, Membership

ONE_DAY = datetime.timedelta(days=1)
_COLUMNS = ("fund_id", "membership_id", "receipt_number", "fiscal_year", "date", "amount", "days", "covers_from",
            "covers_to", "sheet_id", "entry_id", "idempotency_key", "recorded_by_id", "created")


class Contributions(Kind):
    name = "contributions"
    title_th = "ประวัติการจ่ายเงินสมทบ"
    title_en = "contribution history"
    batch_size = 5000
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
        for row in rows:
            fund = ctx.fund_for(row)
            if fund is not None and row.values.get("member_number") and row.values.get("receipt_number"):
                row.values["_fund"] = fund
                by_fund[fund.pk].append(row)
        members = ctx.state.setdefault("members", {})
        paid = ctx.state.setdefault("paid", {})
        seen = ctx.seen.setdefault("receipt", {})
        for fund_id, fund_rows in by_fund.items():
            wanted = {r.values["member_number"] for r in fund_rows} - {n for f, n in members if f == fund_id}
            for m in (Membership.objects.filter(fund_id=fund_id, member_number__in=wanted)
                      .values("id", "member_number", "joined_on", "ended_on", "paid_through")):
                members[(fund_id, m["member_number"])] = m
                paid[m["id"]] = m["paid_through"] or (m["joined_on"] - ONE_DAY)
            recorded = {c.receipt_number: c for c in Contribution.objects.filter(
                fund_id=fund_id, receipt_number__in=[r.values["receipt_number"] for r in fund_rows])}
            for row in fund_rows:
                self._check_row(ctx, row, fund_rows[0].values["_fund"], members, paid, seen, recorded)

    def _check_row(self, ctx, row: Row, fund, members, paid, seen, recorded) -> None:
        values = row.values
        number, receipt, date, amount = (values["member_number"], values["receipt_number"], values.get("date"),
                                         values.get("amount"))
        member = members.get((fund.pk, number))
        if member is None:
            row.problem("member_number", "unknown_member", f"ไม่พบสมาชิกเลขที่ {number} ในกองทุน {fund.code} "
                        "(นำเข้ารายชื่อสมาชิกก่อน)", f"no member {number} in fund {fund.code} (import the members first)")
            return
        content = hash((member["id"], amount, date)) & 0xFFFFFFFF
        key = hash((fund.pk, receipt))
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
            if (existing.membership_id, existing.amount, existing.date) == (member["id"], amount, date):
                values["_unchanged"] = True
                return
            row.problem("receipt_number", "receipt_recorded",
                        f"ใบเสร็จ {receipt} บันทึกไว้แล้ว ({existing.amount:,.2f} บาท วันที่ {existing.date:%d/%m}/"
                        f"{existing.date.year + 543}) ข้อมูลในไฟล์ต่างออกไป: แก้ด้วยการกลับรายการ ไม่ใช่นำเข้าซ้ำ",
                        f"receipt {receipt} is already recorded ({existing.amount:,.2f} on {existing.date}); the file "
                        "differs: correct it by a reversal, not by importing again")
            return
        if date < member["joined_on"]:
            row.problem("date", "before_joining", "วันที่จ่ายอยู่ก่อนวันที่สมัครเป็นสมาชิก", "paid before joining the fund")
            return
        if member["ended_on"] and date > member["ended_on"]:
            row.problem("date", "after_leaving", "วันที่จ่ายอยู่หลังวันที่สิ้นสุดสมาชิกภาพ", "paid after the membership ended")
            return
        for start, end in self._closed(ctx, fund):
            if start <= date <= end:
                row.problem("date", "closed_period", "วันที่จ่ายอยู่ในงวดบัญชีที่ปิดแล้ว", "the date is in a closed period")
                return
        rate = fund.daily_rate
        days_exact = amount / rate
        if fund.whole_days_only and days_exact != days_exact.to_integral_value():
            row.problem("amount", "whole_days", f"{amount:,.2f} บาท ไม่ใช่จำนวนวันเต็ม (วันละ {rate:,.2f} บาท)",
                        f"{amount:,.2f} is not a whole number of days at {rate:,.2f} a day")
            return
        days = max(1, int(days_exact))
        covers_from = paid[member["id"]] + ONE_DAY
        covers_to = covers_from + datetime.timedelta(days=days - 1)
        paid[member["id"]] = covers_to
        values.update(_membership_id=member["id"], _days=days, _from=covers_from, _to=covers_to)

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
        recorder = ctx.actor.pk if getattr(ctx.actor, "is_authenticated", False) else None
        records, through = [], {}
        job = ctx.job.pk if ctx.job else 0
        for (_, date), group in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1])):
            fund = group[0].values["_fund"]
            total = sum((r.values["amount"] for r in group), Decimal("0.00"))
            entry = ledger.receipt_post(
                actor=ctx.actor, book=fund.organisation.book, date=date, amount=total, income_account="4101",
                memo=f"นำเข้าเงินสมทบ {len(group)} ใบเสร็จ ({ctx.job.filename if ctx.job else 'import'})"[:300],
                idempotency_key=f"import-{job}-{group[0].number}-{date.isoformat()}-{fund.pk}",
                reference=f"{group[0].values['receipt_number']}–{group[-1].values['receipt_number']}"[:64],
            )
            fiscal_year = fiscal_year_of(date).be_year
            for row in group:
                values = row.values
                records.append((
                    fund.pk, values["_membership_id"], values["receipt_number"], fiscal_year,
                    ops.adapt_datefield_value(date), ops.adapt_decimalfield_value(values["amount"], 16, 2),
                    values["_days"], ops.adapt_datefield_value(values["_from"]),
                    ops.adapt_datefield_value(values["_to"]),
                    None, entry.pk, f"import-{fund.pk}-{values['receipt_number']}", recorder,
                    ops.adapt_datetimefield_value(now)))
                mid = values["_membership_id"]
                if mid not in through or through[mid] < values["_to"]:
                    through[mid] = values["_to"]
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
            cursor.executemany(
                f"UPDATE {Membership._meta.db_table} SET paid_through = %s, lapse_notice_on = NULL"
                " WHERE id = %s AND (paid_through IS NULL OR paid_through < %s)",
                [(ops.adapt_datefield_value(d), mid, ops.adapt_datefield_value(d)) for mid, d in through.items()])
        counts.written = len(records)
        audit_record(actor=ctx.actor, action="dataio.import_contributions", obj=ctx.job,
                     summary=f"rows {rows[0].number}–{rows[-1].number}: {len(records)} receipts, {len(groups)} entries",
                     organisation=ctx.fund.organisation if ctx.fund else None,
                     data={"written": len(records), "entries": len(groups)})
        return counts
