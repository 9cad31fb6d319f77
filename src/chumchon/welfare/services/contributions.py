"""Money in: contributions one receipt at a time or a village's collection sheet at once, and grants."""

import datetime
import functools
import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from chumchon.core import changes
from chumchon.core.audit import audit_record, audit_record_many
from chumchon.core.thai.dates import format_date
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.core.thai.money import format_baht, to_baht
from chumchon.ledger import services as ledger
from chumchon.ledger.models import FundSource
from chumchon.welfare.models import (
    CollectionSheet,
    Contribution,
    ContributionRefund,
    ContributionVoid,
    Fund,
    Grant,
    Membership,
)
from chumchon.welfare.selectors import LAPSE_NOTICE_DAYS, lapse_digest, lapse_preview
from chumchon.welfare.services.common import cancel_reason, check_fund_actor, field_error
from chumchon.welfare.services.documents import next_numbers

FREQUENCY_DAYS = {"daily": 1, "weekly": 7, "monthly": 30, "yearly": 365}
GRANT_ACCOUNTS = {FundSource.GOVERNMENT: "4201", FundSource.LOCAL: "4202", FundSource.DONATIONS: "4301",
                  FundSource.OTHER: "4901"}


def owed(membership: Membership, on: datetime.date) -> Decimal:
    """What the member owes up to and including ``on``: days in arrears × the daily rate."""
    return to_baht(membership.days_in_arrears(on) * membership.fund.daily_rate)


def arrears(membership: Membership, on: datetime.date) -> tuple[int, Decimal]:
    """Days behind and baht owed on ``on``, as the member's pages and the API show them: an ended membership owes
    nothing (its arrears stopped with it)."""
    if membership.status != Membership.Status.ACTIVE:
        return 0, Decimal("0.00")
    return membership.days_in_arrears(on), owed(membership, on)


@dataclass(frozen=True)
class Span:
    days: int
    covers_from: datetime.date
    covers_to: datetime.date


def lapse_notices_settle(limits: dict[int, int], members, on: datetime.date) -> int:
    """After payments: the lapse notices of the paying members who are now back within their fund's arrears limit
    on ``on`` are taken back; a member still past it keeps the notice (and its date), so the arrears rule lapses
    them when the notice period ends — a token payment does not start the notice period again. ``limits`` maps
    each fund id to its arrears limit in days; ``members`` is membership ids or a query of them. Returns how many
    notices were taken back."""
    settled = 0
    for fund_id, limit in limits.items():
        settled += Membership.objects.filter(
            pk__in=members, fund_id=fund_id, lapse_notice_on__isnull=False,
            paid_through__gte=on - datetime.timedelta(days=limit)).update(lapse_notice_on=None)
    return settled


def days_for_amount(fund, amount: Decimal) -> tuple[int, tuple[str, str] | None]:
    """The days an amount pays for at the fund's daily rate (whole days, rounded down), and the problem (Thai,
    English) when the fund takes whole days only and the amount is not a whole number of days."""
    days_exact = amount / fund.daily_rate
    if fund.whole_days_only and days_exact != days_exact.to_integral_value():
        rate = format_baht(fund.daily_rate)
        return 0, (f"{format_baht(amount)} บาท ไม่ใช่จำนวนวันเต็ม (วันละ {rate} บาท)",
                   f"{format_baht(amount)} is not a whole number of days at {rate} a day")
    return int(days_exact), None


@functools.lru_cache(maxsize=4096)
def _made_of(days: int, periods: tuple[int, ...]) -> bool:
    """Whether ``days`` is a sum of the fund's periods (each any number of times): a fund taking monthly and yearly
    payments takes 30, 60, 365 and 395 days, not 45."""
    if days % periods[0] == 0:
        return True
    if days > periods[0] * periods[-1]:  # beyond the largest sum they cannot make, every multiple of their gcd
        return days % math.gcd(*periods) == 0
    reachable = bytearray(days + 1)
    reachable[0] = 1
    for n in range(1, days + 1):
        reachable[n] = any(n >= p and reachable[n - p] for p in periods)
    return bool(reachable[days])


def contribution_span(membership: Membership, amount: Decimal) -> Span:
    """The days a payment covers, from the first unpaid day. Checks the fund's plan: whole days, made of the
    periods it takes (a fund that takes only monthly payments takes 30, 60, 90… days; monthly and yearly also 365
    and 395)."""
    fund = membership.fund
    if membership.status != Membership.Status.ACTIVE:
        raise field_error("membership", f"สมาชิก {membership.member_number} สถานะ{membership.get_status_display()} "
                     "รับเงินสมทบไม่ได้", f"member {membership.member_number} is {membership.status}: no contributions",
                     "not_active")
    if amount <= 0:
        raise field_error("amount", "จำนวนเงินต้องมากกว่าศูนย์", "the amount must be above zero", "not_positive")
    days, problem = days_for_amount(fund, amount)
    if problem:
        raise field_error("amount", *problem, "whole_days")
    allowed = tuple(sorted({FREQUENCY_DAYS[f.strip()] for f in fund.allowed_frequencies.split(",")
                            if f.strip() in FREQUENCY_DAYS})) or (1,)
    if days < 1 or not _made_of(days, allowed):
        th = " หรือ ".join(f"{n} วัน ({format_baht(n * fund.daily_rate)} บาท)" for n in allowed)
        en = " or ".join(f"{n} days ({format_baht(n * fund.daily_rate)})" for n in allowed)
        raise field_error("amount", f"กองทุนรับเงินสมทบเป็นงวดละ {th} หรือหลายงวดรวมกัน",
                          f"this fund takes payments of {en}, or several of them together", "frequency")
    start = (membership.paid_through or membership.joined_on - datetime.timedelta(days=1)) + datetime.timedelta(days=1)
    return Span(days, start, start + datetime.timedelta(days=days - 1))


AHEAD_DAYS = 365  # a payment covering days this far past the day it is taken is pointed out before posting


def check_paid_on(membership: Membership, date: datetime.date) -> None:
    """Money is received on a day that has happened, once the person is a member (a receipt dated a year before
    the member joined was accepted, and counted as that year's income)."""
    if date > timezone.localdate():
        raise field_error("date", f"วันที่รับเงิน {format_date(date)} อยู่ในอนาคต",
                          f"the date received {date} is in the future", "future")
    if date < membership.joined_on:
        raise field_error("date", f"วันที่รับเงิน {format_date(date)} อยู่ก่อนวันที่สมาชิก {membership.member_number} "
                          f"สมัคร ({format_date(membership.joined_on)})",
                          f"the date received {date} is before member {membership.member_number} joined "
                          f"({membership.joined_on})", "before_joining")


def paid_far_ahead(membership: Membership, amount: Decimal, on: datetime.date) -> datetime.date | None:
    """The last day ``amount`` would pay for when that is more than :data:`AHEAD_DAYS` after ``on`` (1,000 baht
    typed for 67 owed), else None. Refused as :func:`contribution_span` refuses (not whole days, a step the fund
    does not take): the collection sheet says so before it is posted."""
    covers_to = contribution_span(membership, amount).covers_to
    return covers_to if (covers_to - on).days > AHEAD_DAYS else None


def _record(*, actor, membership: Membership, amount: Decimal, date: datetime.date, receipt: str, entry,
            key: str, sheet=None) -> Contribution:
    span = contribution_span(membership, amount)
    contribution = Contribution.objects.create(
        fund=membership.fund, membership=membership, receipt_number=receipt, fiscal_year=fiscal_year_of(date).be_year,
        date=date, amount=amount, days=span.days, covers_from=span.covers_from, covers_to=span.covers_to,
        sheet=sheet, entry=entry, idempotency_key=key,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Membership.objects.filter(pk=membership.pk).update(paid_through=span.covers_to)
    membership.paid_through = span.covers_to
    if membership.lapse_notice_on is not None and lapse_notices_settle(
            {membership.fund_id: membership.fund.arrears_limit_days}, [membership.pk], date):
        membership.lapse_notice_on = None
    return contribution


@transaction.atomic
def contribution_receive(*, actor, membership: Membership, amount, date: datetime.date, idempotency_key: str,
                         cash_account: str = "1101") -> Contribution:
    """One receipt: a member pays; the payment covers the next unpaid days and posts Dr cash / Cr contributions."""
    membership = Membership.objects.select_for_update().select_related("fund__organisation", "person").get(
        pk=membership.pk)
    fund = membership.fund
    check_fund_actor(actor, fund)
    amount = to_baht(amount)
    existing = Contribution.objects.filter(fund=fund, idempotency_key=idempotency_key).first()
    if existing is not None:
        if (existing.membership_id, existing.amount, existing.date) != (membership.pk, amount, date):
            raise field_error("idempotency_key", "คีย์นี้ใช้กับการรับเงินอื่นไปแล้ว", "key already used for another payment",
                         "key_reused")
        return existing
    check_paid_on(membership, date)
    contribution_span(membership, amount)  # validate before numbering
    receipt = next_numbers(fund, "RC", date)[0]
    entry = ledger.receipt_post(
        actor=actor, book=fund.organisation.book, date=date, amount=amount, income_account="4101",
        cash_account=cash_account, memo=f"เงินสมทบ {membership.member_number} {membership.person.full_name}",
        idempotency_key=f"contribution-{idempotency_key}", reference=receipt,
    )
    contribution = _record(actor=actor, membership=membership, amount=amount, date=date, receipt=receipt,
                           entry=entry, key=idempotency_key)
    audit_record(actor=actor, action="welfare.contribution_receive", obj=contribution,
                 summary=f"{receipt} {membership.member_number} {amount}", organisation=fund.organisation)
    return contribution


def void_refusal(contribution: Contribution) -> tuple[str, str] | None:
    """Why the receipt cannot be cancelled now (Thai, English), or None. Shown on the receipt's page before the
    treasurer types a reason, and checked again, under lock, by :func:`contribution_void`."""
    if ContributionVoid.objects.filter(contribution=contribution).exists():
        return "ใบเสร็จนี้ถูกยกเลิกแล้ว", "this receipt is already cancelled"
    if ContributionRefund.objects.filter(membership_id=contribution.membership_id).exists():
        return ("เงินสมทบของสมาชิกนี้คืนไปแล้วเมื่อลาออก ยกเลิกใบเสร็จไม่ได้",
                "the member's contributions were refunded on resignation: the receipt cannot be cancelled")
    later = (Contribution.objects.standing().filter(membership_id=contribution.membership_id,
                                                    covers_to__gt=contribution.covers_to)
             .order_by("-covers_to").values_list("receipt_number", flat=True))
    if later:
        numbers = ", ".join(later[:5])
        return (f"มีใบเสร็จที่ชำระต่อจากใบนี้ ({numbers}) ต้องยกเลิกใบหลังสุดก่อน",
                f"later receipts continue from this one ({numbers}): cancel the latest first")
    if ledger.date_in_closed_period(contribution.fund.organisation.book, contribution.date):
        return (f"ใบเสร็จลงวันที่ {format_date(contribution.date)} อยู่ในงวดที่ปิดบัญชีแล้ว ยกเลิกได้เมื่อเปิดงวดนั้น "
                "หรือบันทึกรายการปรับปรุงในงวดปัจจุบัน",
                f"the receipt's date {contribution.date} is in a closed period: reopen it, or post a correcting "
                "entry in the current period")
    return None


@transaction.atomic
def contribution_void(*, actor, contribution: Contribution, reason: str, idempotency_key: str) -> ContributionVoid:
    """Cancel a receipt issued by mistake (ยกเลิกใบเสร็จ). Its money leaves the books by a correcting entry on the
    receipt's own day — Dr contributions (4101), Cr the cash or bank account it went to — so that day, month and
    year read as if it had never been taken; the member's paid-through date goes back to the day before the receipt
    covered from. Only a member's latest receipt can be cancelled (later ones continue from it: cancel them first),
    and only while its period is open. The receipt keeps its number and its row, marked cancelled; the right one
    is then taken as a new receipt."""
    membership = Membership.objects.select_for_update(of=("self",)).select_related("fund__organisation__book").get(
        pk=contribution.membership_id)
    fund = membership.fund
    check_fund_actor(actor, fund)
    contribution = Contribution.objects.select_related("entry").get(pk=contribution.pk)
    existing = ContributionVoid.objects.filter(fund=fund, idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.contribution_id != contribution.pk:
            raise field_error("idempotency_key", "คีย์นี้ใช้กับการยกเลิกใบเสร็จอื่นไปแล้ว",
                              "key already used to cancel another receipt", "key_reused")
        return existing
    reason = cancel_reason(reason)
    refusal = void_refusal(contribution)
    if refusal:
        raise field_error("receipt", *refusal, "not_voidable")
    cash = contribution.entry.lines.filter(debit__gt=0).select_related("account").first().account
    if cash.balance < contribution.amount:
        raise field_error("receipt", f"เงินในบัญชี {cash.code} {cash.name_th} คงเหลือ {format_baht(cash.balance)} บาท "
                          f"น้อยกว่าใบเสร็จ ({format_baht(contribution.amount)} บาท) ยกเลิกแล้วจะติดลบ",
                          f"{cash.code} {cash.name_en} holds {format_baht(cash.balance)}, less than the receipt "
                          f"({format_baht(contribution.amount)}): cancelling it would take it below zero",
                          "insufficient")
    entry = ledger.entry_post(
        actor=actor, book=fund.organisation.book, date=contribution.date,
        memo=f"ยกเลิกใบเสร็จ {contribution.receipt_number} สมาชิก {membership.member_number}",  # the reason: on the record
        lines=[ledger.LineSpec("4101", debit=contribution.amount), ledger.LineSpec(cash, credit=contribution.amount)],
        idempotency_key=ledger.derived_key("void", idempotency_key),
        reference=contribution.receipt_number,
    )
    before = membership.paid_through
    after = contribution.covers_from - datetime.timedelta(days=1)
    after = None if after < membership.joined_on else after
    void = ContributionVoid.objects.create(
        contribution=contribution, fund=fund, reason=reason[:200], entry=entry, paid_through_before=before,
        paid_through_after=after, idempotency_key=idempotency_key,
        voided_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Membership.objects.filter(pk=membership.pk).update(paid_through=after)
    audit_record(actor=actor, action="welfare.contribution_void", obj=contribution,
                 summary=f"{contribution.receipt_number} {membership.member_number} {contribution.amount}: {reason}"[
                     :200], organisation=fund.organisation)
    return void


@dataclass(frozen=True)
class SheetPayment:
    membership: Membership
    amount: Decimal


@transaction.atomic
def collection_sheet_post(*, actor, fund: Fund, date: datetime.date, payments: list[SheetPayment],
                          idempotency_key: str, village_number: int | None = None,
                          cash_account: str = "1101") -> CollectionSheet:
    """Collection day: all of a village's payments checked first, then posted together — one receipt each and
    one journal entry for the sheet. Any bad row refuses the whole sheet, naming the member and the problem."""
    check_fund_actor(actor, fund)
    payments = [p for p in payments if p.amount]
    existing = CollectionSheet.objects.filter(fund=fund, idempotency_key=idempotency_key).first()
    if existing is not None:
        recorded = sorted((c.membership_id, c.amount) for c in existing.contributions.all())
        if recorded != sorted((p.membership.pk, to_baht(p.amount)) for p in payments) or existing.date != date:
            raise field_error("idempotency_key", "คีย์นี้ใช้กับใบเก็บเงินอื่นไปแล้ว", "key already used for another sheet",
                         "key_reused")
        return existing
    if not payments:
        raise field_error("payments", "ไม่มีรายการรับเงิน", "no payments on the sheet", "empty")
    ids = [p.membership.pk for p in payments]
    if len(set(ids)) != len(ids):
        raise field_error("payments", "มีสมาชิกซ้ำในใบเก็บเงิน", "a member appears twice on the sheet", "duplicate")
    locked = {m.pk: m for m in Membership.objects.select_for_update()
              .only("id", "fund_id", "member_number", "status", "joined_on", "paid_through", "lapse_notice_on",
                    "person_id")
              .filter(pk__in=ids, fund=fund)}
    errors = []
    amounts = []
    for p in payments:
        membership = locked.get(p.membership.pk)
        if membership is None:
            errors.append(f"{p.membership.member_number}: ไม่ใช่สมาชิกกองทุนนี้ (not a member of this fund)")
            continue
        membership.fund = fund
        try:
            check_paid_on(membership, date)
            amount = to_baht(p.amount)
            amounts.append((membership, amount, contribution_span(membership, amount)))
        except (ValidationError, TypeError, ValueError) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            errors.append(f"{membership.member_number} {membership.person.full_name}: {message}")
    if errors:
        raise ValidationError({"payments": errors})
    total = sum((a for _, a, _ in amounts), Decimal("0.00"))
    receipts = next_numbers(fund, "RC", date, count=len(amounts))
    entry = ledger.receipt_post(
        actor=actor, book=fund.organisation.book, date=date, amount=total, income_account="4101",
        cash_account=cash_account, memo=f"ใบเก็บเงินสมทบ หมู่ {village_number or '-'} ({len(amounts)} ราย)",
        idempotency_key=f"sheet-{idempotency_key}", reference=f"{receipts[0]}–{receipts[-1]}",
    )
    sheet = CollectionSheet.objects.create(
        fund=fund, village_number=village_number, date=date, entry=entry, idempotency_key=idempotency_key,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # One multi-row INSERT for the sheet's contributions and one UPDATE per distinct paid-through date, so posting a
    # village of 300 costs a handful of statements, not 600 (the database's constraints check every row all the same).
    recorder = actor.pk if getattr(actor, "is_authenticated", False) else None
    ops = connection.ops
    fiscal_year, now = fiscal_year_of(date).be_year, timezone.now()
    rows, through = [], {}
    for (membership, amount, span), receipt in zip(amounts, receipts, strict=True):
        rows.append((
            fund.pk, membership.pk, receipt, fiscal_year, ops.adapt_datefield_value(date),
            ops.adapt_decimalfield_value(amount, 16, 2), span.days, ops.adapt_datefield_value(span.covers_from),
            ops.adapt_datefield_value(span.covers_to), sheet.pk, entry.pk, f"{idempotency_key}-{membership.pk}",
            recorder, ops.adapt_datetimefield_value(now)))
        through.setdefault(span.covers_to, []).append(membership.pk)
        membership.paid_through = span.covers_to
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO welfare_contribution (fund_id, membership_id, receipt_number, fiscal_year, date, amount, days,"
            " covers_from, covers_to, sheet_id, entry_id, idempotency_key, recorded_by_id, created)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
    for covers_to, ids in through.items():
        Membership.objects.filter(pk__in=ids).update(paid_through=covers_to)
    if any(m.lapse_notice_on is not None for m, _, _ in amounts):
        lapse_notices_settle({fund.pk: fund.arrears_limit_days},
                             [m.pk for m, _, _ in amounts if m.lapse_notice_on is not None], date)
    audit_record(actor=actor, action="welfare.collection_sheet_post", obj=sheet,
                 summary=f"{len(amounts)} payments, {total}", organisation=fund.organisation)
    return sheet


@transaction.atomic
def grant_receive(*, actor, fund: Fund, source: str, amount, date: datetime.date, idempotency_key: str,
                  members_covered: int = 0, reference: str = "", bank_account: str = "1102") -> Grant:
    """Matching money in, posted under its source (government via the institute, local administration, donor)."""
    check_fund_actor(actor, fund)
    if source not in GRANT_ACCOUNTS:
        raise field_error("source", "แหล่งเงินไม่ถูกต้อง", f"unknown source {source!r}", "source")
    amount = to_baht(amount)
    if amount <= 0:
        raise field_error("amount", "จำนวนเงินต้องมากกว่าศูนย์", "the amount must be above zero", "not_positive")
    existing = Grant.objects.filter(fund=fund, idempotency_key=idempotency_key).first()
    if existing is not None:
        if (existing.amount, existing.source, existing.date) != (amount, source, date):
            raise field_error("idempotency_key", "คีย์นี้ใช้กับรายการอื่นไปแล้ว", "key already used", "key_reused")
        return existing
    if members_covered:
        # a grant matches members the fund had: never more than were members on the day it came
        members = Membership.objects.filter(fund=fund, joined_on__lte=date).exclude(ended_on__lt=date).count()
        if members_covered > members:
            raise field_error("members_covered", f"จำนวนสมาชิกที่สมทบ {members_covered:,} คน มากกว่าสมาชิกของกองทุน "
                              f"ณ วันที่ {format_date(date)} ({members:,} คน)",
                              f"the grant matches {members_covered:,} members, more than the fund had on {date} "
                              f"({members:,})", "more_than_members")
    entry = ledger.receipt_post(
        actor=actor, book=fund.organisation.book, date=date, amount=amount, income_account=GRANT_ACCOUNTS[source],
        cash_account=bank_account, memo=f"เงินสมทบ: {FundSource(source).label}", reference=reference,
        idempotency_key=f"grant-{idempotency_key}",
    )
    grant = Grant.objects.create(fund=fund, source=source, date=date, amount=amount, members_covered=members_covered,
                                 fiscal_year=fiscal_year_of(date).be_year, reference=reference, entry=entry,
                                 idempotency_key=idempotency_key)
    audit_record(actor=actor, action="welfare.grant_receive", obj=grant, summary=f"{source} {amount}",
                 organisation=fund.organisation)
    return grant


@transaction.atomic
def memberships_lapse(*, actor, fund: Fund, on: datetime.date, notice_days: int = LAPSE_NOTICE_DAYS,
                      expected: str | None = None, history: bool = False) -> dict[str, int]:
    """Apply the fund's arrears limit (:func:`chumchon.welfare.selectors.lapse_step`): a member past it is first
    sent a notice; one still past it ``notice_days`` after the notice lapses, ended on ``on``. ``on`` is a day that
    is today: a notice recorded on a past day would shorten the notice period (``history``: a past day, for records
    brought in from before and for tests).
    ``expected`` is the fingerprint of the list the page showed (:func:`~chumchon.welfare.selectors.lapse_digest`):
    if payments or cancellations since changed who is on it, or what happens to them, nothing is written and the
    page is shown again. Returns how many were noticed and lapsed."""
    check_fund_actor(actor, fund)
    if on > timezone.localdate():
        raise field_error("on", f"วันที่ {format_date(on)} ยังมาไม่ถึง", f"{on} has not come yet", "future")
    if not history and on != timezone.localdate():
        raise field_error("on", "ดำเนินการตามระเบียบได้เฉพาะ ณ วันนี้ (วันอื่นดูได้อย่างเดียว)",
                          "the rule is applied as of today; another day can only be looked at", "not_today")
    steps = lapse_preview(fund, on, notice_days, Membership.objects.select_for_update(of=("self",)).filter(fund=fund))
    if expected is not None and expected != lapse_digest(steps):
        raise field_error("on", f"รายชื่อเปลี่ยนไปตั้งแต่เปิดหน้านี้ (ตอนนี้ {len(steps):,} คน) กรุณาตรวจรายชื่ออีกครั้ง",
                          f"the list changed since the page was shown ({len(steps):,} now): check it again", "changed")
    noticed = [s.membership.pk for s in steps if s.action == "notice"]
    lapsed = [s.membership.pk for s in steps if s.action == "lapse"]
    Membership.objects.filter(pk__in=noticed).update(lapse_notice_on=on)
    Membership.objects.filter(pk__in=lapsed).update(status=Membership.Status.LAPSED, ended_on=on)
    # each member's own trail says it (the notice, with the days in arrears; the lapse)
    audit_record_many(actor=actor, action="welfare.memberships_lapse", organisation=fund.organisation, items=[
        (s.membership, f"notice {on}: {s.days_in_arrears} days in arrears" if s.action == "notice"
         else f"lapsed {on}: {s.days_in_arrears} days in arrears, noticed {s.noticed_on}") for s in steps])
    if lapsed:
        changes.organisation_changed(fund.pk)
    return {"noticed": len(noticed), "lapsed": len(lapsed)}
