"""Benefit payout history: the vouchers a fund paid before it used Chumchon, one row each.

Natural key: fund + voucher number. A voucher already recorded with the same member, benefit, date and amount is
left as it is; with anything different it is refused (money already in the books is corrected by reversal). Each
row becomes a paid claim (marked as imported history: the rules of the time are not re-judged) with its own
payment entry (Dr the benefit's expense account / Cr cash), because a claim and its entry go one to one. A row is
refused when the fund's cash would go below zero: the opening balances and contributions come in first.
A member's own funeral ends the membership on the date of death, as paying it in the app does.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.core.audit import audit_record
from chumchon.dataio import values as v
from chumchon.dataio.kinds.base import Column, Context, Counts, Kind, Row, field_length
from chumchon.ledger.models import Account, Period
from chumchon.people.models import Person, PersonalData
from chumchon.welfare.models import BenefitKind, Claim, Membership
from chumchon.welfare.services.claims import claim_history_record, history_claim_key

_key = history_claim_key


def _benefit(value) -> str:
    return v.text(value)


class Payouts(Kind):
    name = "payouts"
    title_th = "ประวัติการจ่ายสวัสดิการ"
    title_en = "benefit payout history"
    batch_size = 2000
    columns = [
        Column("fund_code", "รหัสกองทุน", "fund_code", v.code, example="CM-500203",
               help_th="ไม่กรอกได้เมื่อเลือกกองทุนแล้ว", help_en="may be blank when a fund is chosen"),
        Column("member_number", "เลขที่สมาชิก", "member_number", v.code, required=True, example="0001",
               aliases=("เลขสมาชิก", "รหัสสมาชิก", "member no"), max_length=field_length(Membership, "member_number")),
        Column("voucher_number", "เลขที่ใบสำคัญจ่าย", "voucher_number", v.code, required=True, example="2565/0007",
               aliases=("เลขที่ใบจ่าย", "ใบสำคัญจ่ายเลขที่", "voucher no", "voucher"),
               max_length=field_length(Claim, "voucher_number")),
        Column("benefit", "ประเภทสวัสดิการ", "benefit", _benefit, required=True, example="นอนโรงพยาบาล",
               help_th="ชื่อหรือรหัสประเภทสวัสดิการ", help_en="the benefit's name or code",
               aliases=("สวัสดิการ", "benefit kind", "kind")),
        Column("date", "วันที่จ่าย", "date", v.date, required=True, example="20/01/2566",
               aliases=("วันที่", "date paid", "paid on")),
        Column("amount", "จำนวนเงิน", "amount", v.amount, required=True, example="500.00",
               aliases=("จำนวนเงิน (บาท)", "ยอดเงิน", "baht")),
        Column("event_date", "วันที่เกิดเหตุ", "event_date", v.date, example="18/01/2566",
               help_th="ไม่กรอก = วันที่จ่าย", help_en="blank = the date paid",
               aliases=("วันที่เกิดเหตุการณ์", "event date")),
        # Keyed as the export writes it and as the check reads it: the national ID of who received the money.
        Column("beneficiary_national_id", "เลขประจำตัวประชาชนผู้รับสวัสดิการ", "beneficiary_national_id", v.nid,
               example="", help_th="ไม่กรอก = ตัวสมาชิกเอง", help_en="blank = the member",
               aliases=("ผู้รับสวัสดิการ", "beneficiary", "beneficiary_id")),
    ]

    def _kinds(self, ctx: Context) -> dict[str, BenefitKind]:
        if "kinds" not in ctx.state:
            found = {}
            for kind in BenefitKind.objects.all():
                for name in (kind.code, kind.name_th, kind.name_en):
                    found[name.casefold().replace(" ", "")] = kind
            ctx.state["kinds"] = found
        return ctx.state["kinds"]

    def _fund_state(self, ctx: Context, fund) -> dict:
        funds = ctx.state.setdefault("funds", {})
        if fund.pk not in funds:
            book = fund.organisation.book
            accounts = {a.code: a for a in Account.objects.filter(book=book)}
            funds[fund.pk] = {
                "accounts": accounts,
                "cash": accounts["1101"].balance if "1101" in accounts else Decimal("0.00"),
                "closed": list(Period.objects.filter(book=book, status=Period.Status.CLOSED)
                               .values_list("start", "end")),
            }
        return funds[fund.pk]

    def check(self, ctx: Context, rows: list[Row]) -> None:
        kinds = self._kinds(ctx)
        by_fund: dict[int, list[Row]] = defaultdict(list)
        for row in rows:
            fund = ctx.fund_for(row)
            benefit = row.values.get("benefit")
            if benefit:
                kind = kinds.get(benefit.casefold().replace(" ", ""))
                if kind is None:
                    row.problem("benefit", "unknown_benefit", f"ไม่รู้จักประเภทสวัสดิการ \"{benefit}\"",
                                f'unknown benefit "{benefit}"')
                row.values["_kind"] = kind
            if fund is not None and row.values.get("member_number") and row.values.get("voucher_number"):
                row.values["_fund"] = fund
                by_fund[fund.pk].append(row)
        named = PersonalData.objects.filter(national_id__in={r.values["beneficiary_national_id"] for r in rows
                                                             if r.values.get("beneficiary_national_id")})
        if not ctx.system:  # as on the claim form: only people the importer may see (else an ID would say whose)
            named = named.filter(person__in=restrict(Person.objects.all(), ctx.actor, Action.VIEW))
        people = {pd.national_id: pd.person_id for pd in named}
        seen = ctx.seen.setdefault("voucher", {})
        for fund_id, fund_rows in by_fund.items():
            fund = fund_rows[0].values["_fund"]
            members = {m.member_number: m for m in Membership.objects.filter(
                fund_id=fund_id, member_number__in={r.values["member_number"] for r in fund_rows})}
            vouchers = {r.values["voucher_number"] for r in fund_rows}
            recorded = {c.idempotency_key: c for c in Claim.objects.select_related("entry").filter(
                fund_id=fund_id, idempotency_key__in=[_key(voucher) for voucher in vouchers])}
            # A claim paid at the counter (not imported) has a key of its own: it is found by its voucher number,
            # so that the fund's own export, imported again, is recognised as already there.
            for claim in Claim.objects.select_related("entry").filter(
                    fund_id=fund_id, status=Claim.Status.PAID, voucher_number__in=vouchers):
                recorded.setdefault(_key(claim.voucher_number), claim)
            state = self._fund_state(ctx, fund)
            for row in fund_rows:
                self._check_row(row, fund, state, members, recorded, people, seen)

    def _check_row(self, row: Row, fund, state, members, recorded, people, seen) -> None:
        values = row.values
        number, voucher = values["member_number"], values["voucher_number"]
        member = members.get(number)
        if member is None:
            row.problem("member_number", "unknown_member", f"ไม่พบสมาชิกเลขที่ {number} ในกองทุน {fund.code} "
                        "(นำเข้ารายชื่อสมาชิกก่อน)", f"no member {number} in fund {fund.code} (import the members first)")
            return
        earlier = seen.get((fund.pk, voucher))
        if earlier is not None:
            row.problem("voucher_number", "repeated_voucher", f"ใบสำคัญจ่าย {voucher} ซ้ำกับแถวที่ {earlier}",
                        f"voucher {voucher} repeats row {earlier}")
            return
        seen[(fund.pk, voucher)] = row.number
        kind, date, amount = values.get("_kind"), values.get("date"), values.get("amount")
        if kind is None or date is None or amount is None or not row.ok:
            return
        event = values.get("event_date") or date
        beneficiary = member.person_id
        if values.get("beneficiary_national_id"):
            beneficiary = people.get(values["beneficiary_national_id"])
            if beneficiary is None:
                row.problem("beneficiary_national_id", "unknown_person",
                            "เลขประจำตัวประชาชนผู้รับสวัสดิการ: ไม่พบบุคคลที่มีเลขนี้ในระบบ (นำเข้ารายชื่อบุคคลก่อน "
                            "หรือเว้นว่างเมื่อสมาชิกรับเอง)",
                            "beneficiary_national_id: no person has this national ID (import the people first, or "
                            "leave it blank when the member received the benefit)")
                return
        existing = recorded.get(_key(voucher))
        if existing is not None:
            if (existing.membership_id, existing.kind_id, existing.amount, existing.entry.date if existing.entry_id
                    else None) == (member.pk, kind.pk, amount, date):
                values["_unchanged"] = True
                return
            row.problem("voucher_number", "voucher_recorded",
                        f"ใบสำคัญจ่าย {voucher} บันทึกไว้แล้ว ({existing.amount:,.2f} บาท) ข้อมูลในไฟล์ต่างออกไป: "
                        "แก้ด้วยการกลับรายการ ไม่ใช่นำเข้าซ้ำ",
                        f"voucher {voucher} is already recorded ({existing.amount:,.2f}); the file differs: correct it "
                        "by a reversal, not by importing again")
            return
        if event > date:
            row.problem("event_date", "event_after_payment", "วันที่เกิดเหตุอยู่หลังวันที่จ่าย",
                        "the event is after the payment")
            return
        if event < member.joined_on:
            row.problem("event_date" if values.get("event_date") else "date", "before_joining",
                        "เหตุการณ์เกิดก่อนวันที่สมัครเป็นสมาชิก", "the event is before the member joined")
            return
        for start, end in state["closed"]:
            if start <= date <= end:
                row.problem("date", "closed_period", "วันที่จ่ายอยู่ในงวดบัญชีที่ปิดแล้ว", "the date is in a closed period")
                return
        if kind.expense_account not in state["accounts"]:
            row.problem("benefit", "no_account", f"ผังบัญชีของกองทุนไม่มีบัญชี {kind.expense_account} ของสวัสดิการนี้",
                        f"the fund's chart has no account {kind.expense_account} for this benefit")
            return
        if state["cash"] < amount:
            row.problem("amount", "insufficient_cash",
                        f"เงินสดของกองทุนคงเหลือ {state['cash']:,.2f} บาท ไม่พอจ่าย {amount:,.2f} บาท "
                        "(นำเข้ายอดยกมาและเงินสมทบก่อน)",
                        f"the fund's cash ({state['cash']:,.2f}) does not cover {amount:,.2f} (import the opening "
                        "balances and contributions first)")
            return
        state["cash"] -= amount
        values.update(_membership=member, _beneficiary=beneficiary, _event=event)

    @transaction.atomic
    def write(self, ctx: Context, rows: list[Row]) -> Counts:
        counts = Counts(unchanged=sum(1 for r in rows if r.values.get("_unchanged")))
        ended = 0
        for row in rows:
            values = row.values
            if values.get("_unchanged"):
                continue
            _, membership_ended = claim_history_record(
                actor=ctx.actor, fund=values["_fund"], membership=values["_membership"], kind=values["_kind"],
                beneficiary_id=values["_beneficiary"], event_date=values["_event"], date=values["date"],
                amount=values["amount"], voucher=values["voucher_number"], system=ctx.system)
            ended += membership_ended
            counts.written += 1
        if counts.written:
            audit_record(actor=ctx.actor, action="dataio.import_payouts", obj=ctx.job,
                         summary=f"rows {rows[0].number}–{rows[-1].number}: {counts.written} payouts",
                         organisation=ctx.fund.organisation if ctx.fund else None,
                         data={"written": counts.written, "memberships_ended": ended})
        return counts

