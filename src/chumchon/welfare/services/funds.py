"""Writes for welfare funds: creating a fund, enrolling members, seating the committee."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location
from chumchon.core import changes
from chumchon.core.audit import audit_record
from chumchon.core.errors import bilingual
from chumchon.core.models import Organisation
from chumchon.core.thai.dates import format_date
from chumchon.core.thai.money import to_baht
from chumchon.ledger import services as ledger_services
from chumchon.welfare.models import Claim, CommitteeMember, Contribution, ContributionRefund, Fund, Membership
from chumchon.welfare.services.common import check_fund_actor, field_error
from chumchon.welfare.services.documents import next_numbers


@transaction.atomic
def fund_create(*, actor, code: str, name_th: str, subdistrict, name_en: str = "",
                founded_on: datetime.date | None = None, local_administration=None) -> Fund:
    """Register a community welfare fund in a subdistrict; its organisation row and its book (from the
    welfare-fund chart of accounts) come with it."""
    if not allows_location(actor, Action.CHANGE, subdistrict=subdistrict, kind=Organisation.Kind.WELFARE_FUND):
        raise PermissionDenied("ไม่มีสิทธิ์ตั้งกองทุนในพื้นที่นี้ (not allowed to create a fund here)")
    if Organisation.objects.filter(code=code).exists():
        raise ValidationError({"code": ValidationError(
            f"รหัส {code} มีอยู่แล้ว (code {code} exists already)", code="duplicate")})
    organisation = Organisation.objects.create(
        code=code, kind=Organisation.Kind.WELFARE_FUND, name_th=name_th, name_en=name_en, subdistrict=subdistrict,
        local_administration=local_administration,
    )
    fund = Fund.objects.create(organisation=organisation, founded_on=founded_on)
    ledger_services.book_create(actor=actor, code=code, name_th=f"สมุดบัญชี{name_th}", organisation=organisation,
                                template="welfare_fund")
    audit_record(actor=actor, action="welfare.fund_create", obj=fund, summary=name_th,
                 organisation=organisation, subdistrict=subdistrict)
    changes.organisation_changed(organisation.pk)
    return fund


SETTINGS = ("daily_rate", "allowed_frequencies", "whole_days_only", "arrears_limit_days", "admin_cost_cap_percent",
            "refund_on_resignation")
FREQUENCIES = ("daily", "weekly", "monthly", "yearly")


@transaction.atomic
def fund_settings_update(*, actor, fund: Fund, **values) -> Fund:
    """Change the fund's plan as its regulations set it (ระเบียบกองทุน): the daily rate, the payments it takes,
    whole days only, the arrears limit, the cap on administration costs, refunds on resignation. Every problem
    comes back at once, nothing is written with one; the member's trail of the fund keeps what changed, from what."""
    check_fund_actor(actor, fund)
    unknown = set(values) - set(SETTINGS)
    if unknown:
        raise ValueError(f"not fund settings: {sorted(unknown)}")
    errors = {}
    if "daily_rate" in values and not (Decimal("0.01") <= to_baht(values["daily_rate"]) <= Decimal("1000")):
        errors["daily_rate"] = ("เงินสมทบต่อวันต้องอยู่ระหว่าง 0.01 ถึง 1,000 บาท",
                                "the contribution per day must be between 0.01 and 1,000 baht")
    if "allowed_frequencies" in values:
        chosen = values["allowed_frequencies"]
        chosen = [f.strip() for f in (chosen.split(",") if isinstance(chosen, str) else chosen) if f.strip()]
        if not chosen or set(chosen) - set(FREQUENCIES):
            errors["allowed_frequencies"] = ("เลือกรอบการส่งเงินอย่างน้อยหนึ่งแบบ (รายวัน รายสัปดาห์ รายเดือน รายปี)",
                                             "choose at least one of daily, weekly, monthly, yearly")
        values["allowed_frequencies"] = ",".join(f for f in FREQUENCIES if f in chosen)
    if "arrears_limit_days" in values and not (1 <= int(values["arrears_limit_days"]) <= 3650):
        errors["arrears_limit_days"] = ("จำนวนวันค้างชำระต้องอยู่ระหว่าง 1 ถึง 3,650 วัน",
                                        "the days in arrears must be between 1 and 3,650")
    if "admin_cost_cap_percent" in values and not (0 <= to_baht(values["admin_cost_cap_percent"]) <= 100):
        errors["admin_cost_cap_percent"] = ("เพดานค่าบริหารจัดการต้องอยู่ระหว่าง 0 ถึง 100 เปอร์เซ็นต์",
                                            "the cap on administration costs must be between 0 and 100 percent")
    if errors:
        raise ValidationError({field: ValidationError(bilingual(th, en), code="invalid")
                               for field, (th, en) in errors.items()})
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    changed = {}
    for field, value in values.items():
        if field in ("daily_rate", "admin_cost_cap_percent"):
            value = to_baht(value)
        if getattr(fund, field) != value:
            changed[field] = [str(getattr(fund, field)), str(value)]
            setattr(fund, field, value)
    if changed:
        fund.save(update_fields=list(changed))
        audit_record(actor=actor, action="welfare.fund_settings_update", obj=fund, organisation=fund.organisation,
                     summary=", ".join(f"{k}: {a} → {b}" for k, (a, b) in changed.items())[:200], data=changed)
    return fund


@transaction.atomic
def membership_enrol(*, actor, fund: Fund, person, member_number: str, joined_on: datetime.date) -> Membership:
    """Enrol a person as a member of a fund. A person belongs to one fund at a time."""
    if not allows_location(actor, Action.CHANGE, organisation=fund.organisation,
                           subdistrict=fund.organisation.subdistrict):
        raise PermissionDenied("ไม่มีสิทธิ์รับสมาชิกของกองทุนนี้ (not allowed to enrol members of this fund)")
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": ValidationError(
            "วันที่เข้าเป็นสมาชิกอยู่ในอนาคต: รับสมาชิกในวันที่สมัครจริง (the joining date is in the future: enrol "
            "members on the day they join)", code="future")})
    if Membership.objects.filter(fund=fund, member_number=member_number).exists():
        raise ValidationError({"member_number": ValidationError(
            f"เลขสมาชิก {member_number} มีอยู่แล้วในกองทุนนี้ (member number {member_number} is taken in this fund)",
            code="duplicate")})
    current = Membership.objects.filter(person=person, status=Membership.Status.ACTIVE).select_related(
        "fund__organisation").first()
    if current is not None:
        raise ValidationError({"person": ValidationError(
            f"บุคคลนี้เป็นสมาชิกกองทุน {current.fund.name} อยู่แล้ว: ให้ย้ายกองทุนแทน "
            f"(already an active member of {current.fund.code}: transfer instead)", code="active_elsewhere")})
    left = (Membership.objects.filter(person=person, ended_on__isnull=False).order_by("-ended_on")
            .values_list("ended_on", flat=True).first())
    if left is not None and joined_on < left:
        # one fund at a time, also in the past: joining before the earlier membership ended would make the person
        # a member of both funds on the days between (and counted twice in the area's figures)
        raise ValidationError({"joined_on": ValidationError(
            f"วันที่สมัครอยู่ก่อนวันที่สมาชิกภาพเดิมสิ้นสุด ({format_date(left)}): เป็นสมาชิกได้ครั้งละหนึ่งกองทุน "
            f"(the joining date is before the person's earlier membership ended on {left}: one fund at a time)",
            code="joined_before_left")})
    membership = Membership.objects.create(fund=fund, person=person, member_number=member_number,
                                           joined_on=joined_on, village_number=person.village_number)
    audit_record(actor=actor, action="welfare.membership_enrol", obj=membership,
                 summary=f"{fund.code}/{member_number}")
    changes.organisation_changed(fund.pk)
    return membership


@transaction.atomic
def memberships_bulk_enrol(*, actor, memberships: list[Membership], system: bool = False) -> list[Membership]:
    """Enrol many members at once (an import's write pass), already checked row by row by the caller (member
    numbers free, one active fund per person — the database's unique indexes guard both anyway). A membership may
    carry the fund register's ``paid_through`` from before Chumchon (as :func:`opening_paid_through_set` sets it
    one at a time), not before the day before joining. One INSERT; the caller writes the audit row of its batch."""
    for m in memberships:
        if m.paid_through is not None and m.paid_through < m.joined_on - datetime.timedelta(days=1):
            raise ValidationError({"paid_through": ValidationError(
                f"สมาชิก {m.member_number}: ส่งเงินสมทบถึงวันที่ก่อนสมัคร "
                f"(member {m.member_number}: paid up to a day before joining)", code="before_joining")})
    if not system:
        for fund in {m.fund for m in memberships}:
            if not allows_location(actor, Action.CHANGE, organisation=fund.organisation,
                                   subdistrict=fund.organisation.subdistrict):
                raise PermissionDenied("ไม่มีสิทธิ์รับสมาชิกของกองทุนนี้ (not allowed to enrol members of this fund)")
    made = Membership.objects.bulk_create(memberships)
    changes.organisation_changed({m.fund_id for m in made})
    return made


@transaction.atomic
def membership_joined_on_correct(*, actor, membership: Membership, joined_on: datetime.date,
                                 system: bool = False) -> Membership:
    """Correct a joining date typed wrong, while no contribution has been counted from it."""
    if not system and not allows_location(actor, Action.CHANGE, organisation=membership.fund.organisation,
                                          subdistrict=membership.fund.organisation.subdistrict):
        raise PermissionDenied("ไม่มีสิทธิ์แก้ไขสมาชิกของกองทุนนี้ (not allowed to change this fund's members)")
    if membership.paid_through is not None:
        raise ValidationError({"joined_on": ValidationError(
            "มีการรับเงินสมทบนับจากวันที่สมัครเดิมแล้ว แก้วันที่สมัครไม่ได้ "
            "(contributions already count from the old joining date: it cannot change)", code="paid")})
    before = membership.joined_on
    Membership.objects.filter(pk=membership.pk).update(joined_on=joined_on)
    membership.joined_on = joined_on
    audit_record(actor=actor, action="welfare.membership_joined_on_correct", obj=membership,
                 summary=f"{before} → {joined_on}")
    changes.organisation_changed(membership.fund_id)
    return membership


@transaction.atomic
def committee_seat(*, actor, fund: Fund, person, position: str, term_start: datetime.date,
                   term_end: datetime.date | None = None) -> CommitteeMember:
    if not allows_location(actor, Action.CHANGE, organisation=fund.organisation,
                           subdistrict=fund.organisation.subdistrict):
        raise PermissionDenied("ไม่มีสิทธิ์แต่งตั้งกรรมการกองทุนนี้ (not allowed to seat this fund's committee)")
    seat = CommitteeMember(fund=fund, person=person, position=position, term_start=term_start, term_end=term_end)
    seat.full_clean()
    seat.save()
    audit_record(actor=actor, action="welfare.committee_seat", obj=seat, summary=str(seat),
                 organisation=fund.organisation)
    return seat


@transaction.atomic
def membership_end(*, actor, membership: Membership, status: str, on: datetime.date, reason: str = "",
                   system: bool = False) -> Membership:
    """End a membership: resigned, deceased, or transferred out (history is kept). ``system`` is the command line
    without a user (an import run by the server's operator). ``reason`` goes on the member's trail."""
    if status not in (Membership.Status.RESIGNED, Membership.Status.DECEASED, Membership.Status.TRANSFERRED,
                      Membership.Status.LAPSED):
        raise ValidationError({"status": ValidationError(f"สถานะ {status} ใช้ปิดสมาชิกภาพไม่ได้ (cannot end as {status})",
                                                         code="status")})
    if not system and not allows_location(actor, Action.CHANGE, organisation=membership.fund.organisation,
                                          subdistrict=membership.fund.organisation.subdistrict):
        raise PermissionDenied("ไม่มีสิทธิ์แก้ไขสมาชิกของกองทุนนี้ (not allowed to change this fund's members)")
    now = Membership.objects.select_for_update(of=("self",)).only("status").get(pk=membership.pk)
    if now.status != Membership.Status.ACTIVE:
        raise ValidationError({"status": ValidationError(
            f"สมาชิกภาพสิ้นสุดแล้ว ({now.get_status_display()}) (the membership has already ended: {now.status})",
            code="ended")})
    if on < membership.joined_on:
        raise ValidationError({"on": ValidationError("วันที่สิ้นสุดอยู่ก่อนวันที่สมัคร (the end date is before joining)",
                                                     code="before_joining")})
    if not system and on > timezone.localdate():
        raise ValidationError({"on": ValidationError(
            f"วันที่สิ้นสุด {format_date(on)} ยังมาไม่ถึง (the end date {on} has not come yet)", code="future")})
    membership.status, membership.ended_on = status, on
    membership.save(update_fields=["status", "ended_on"])
    reason = " ".join((reason or "").split())
    audit_record(actor=actor, action="welfare.membership_end", obj=membership,
                 summary=f"{status} {on}{': ' + reason if reason else ''}"[:200])
    changes.organisation_changed(membership.fund_id)
    return membership


def refund_due(membership: Membership) -> tuple[Decimal, int, tuple[str, str] | None]:
    """What a resigning member would be paid back — their standing receipts' total and count — and why nothing is
    due (Thai, English) when the fund's regulations give nothing: the fund does not refund, the member did not
    resign, a benefit was paid under the membership, it was refunded already, or there is nothing to refund."""
    standing = Contribution.objects.standing().filter(membership=membership).aggregate(total=Sum("amount"),
                                                                                        n=Count("id"))
    total, count = to_baht(standing["total"] or 0), standing["n"]
    if not membership.fund.refund_on_resignation:
        return total, count, ("ระเบียบกองทุนไม่คืนเงินสมทบ", "the fund's regulations do not refund contributions")
    if membership.status != Membership.Status.RESIGNED:
        return total, count, ("คืนเงินสมทบเฉพาะสมาชิกที่ลาออก", "contributions are refunded only to a member who resigned")
    if ContributionRefund.objects.filter(membership=membership).exists():
        return total, count, ("คืนเงินสมทบแล้ว", "the contributions were refunded already")
    if Claim.objects.paid().filter(membership=membership).exists():
        return total, count, ("เคยได้รับสวัสดิการจากกองทุนแล้ว ไม่คืนเงินสมทบ",
                              "a benefit was paid under this membership: no refund")
    if Claim.objects.filter(membership=membership, status__in=[Claim.Status.SUBMITTED, Claim.Status.APPROVED]).exists():
        return total, count, ("มีคำขอรับสวัสดิการที่ยังไม่ได้จ่ายหรือยังไม่ได้พิจารณา ต้องพิจารณาให้เสร็จก่อนคืนเงินสมทบ",
                              "a benefit claim is still pending: decide it (or reject it) before refunding")
    if total <= 0:
        return total, count, ("ไม่มีเงินสมทบที่บันทึกในระบบให้คืน", "no contributions recorded to refund")
    return total, count, None


@transaction.atomic
def contribution_refund(*, actor, membership: Membership, date: datetime.date, idempotency_key: str,
                        cash_account: str = "1101"):
    """Pay a resigned member's contributions back, as the fund's regulations allow (:func:`refund_due`): every
    standing receipt recorded in Chumchon, with a payment voucher (PV number), Dr 5303 refunds / Cr cash, dated
    ``date`` (on or after the resignation, not to come). Once a membership; refused when the cash is short."""
    membership = Membership.objects.select_for_update(of=("self",)).select_related(
        "fund__organisation__book", "person").get(pk=membership.pk)
    fund = membership.fund
    check_fund_actor(actor, fund)
    existing = ContributionRefund.objects.filter(fund=fund, idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.membership_id != membership.pk:
            raise field_error("idempotency_key", "คีย์นี้ใช้กับการคืนเงินอื่นไปแล้ว", "key already used for another refund",
                              "key_reused")
        return existing
    total, count, refusal = refund_due(membership)
    if refusal:
        raise field_error("membership", *refusal, "no_refund")
    if date > timezone.localdate():
        raise field_error("date", f"วันที่จ่าย {format_date(date)} ยังมาไม่ถึง", f"the date paid {date} has not come yet",
                          "future")
    if membership.ended_on and date < membership.ended_on:
        raise field_error("date", f"วันที่จ่ายอยู่ก่อนวันที่ลาออก ({format_date(membership.ended_on)})",
                          f"the date paid is before the member resigned ({membership.ended_on})", "before_end")
    from chumchon.welfare.selectors import money_by_source

    members_money = money_by_source(fund)["members"]
    if members_money < total:  # a refund is members' money going back: never out of the matching money
        raise field_error("membership", f"เงินกองทุนส่วนเงินสมทบสมาชิกคงเหลือ {members_money:,.2f} บาท ไม่พอคืน "
                          f"{total:,.2f} บาท", f"the members' money ({members_money:,.2f}) does not cover the refund "
                          f"({total:,.2f})", "insufficient_source")
    book = fund.organisation.book
    ledger_services.template_account(book, "5303")
    voucher = next_numbers(fund, "PV", date)[0]
    entry = ledger_services.payment_post(
        actor=actor, book=book, date=date, amount=total, expense_account="5303", cash_account=cash_account,
        memo=f"คืนเงินสมทบ สมาชิก {membership.member_number} (ลาออก {count} ใบเสร็จ)",
        idempotency_key=ledger_services.derived_key("refund", idempotency_key), reference=voucher)
    refund = ContributionRefund.objects.create(
        membership=membership, fund=fund, date=date, amount=total, receipts=count, voucher_number=voucher,
        entry=entry, idempotency_key=idempotency_key,
        paid_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action="welfare.contribution_refund", obj=membership,
                 summary=f"{voucher} {total} ({count} receipts)", organisation=fund.organisation)
    return refund


@transaction.atomic
def opening_paid_through_set(*, actor, membership: Membership, paid_through: datetime.date) -> Membership:
    """Bring in a member's history from before Chumchon: contributions paid up to a date, as the fund's own
    register shows (the money itself comes in with the book's opening balance)."""
    if not allows_location(actor, Action.CHANGE, organisation=membership.fund.organisation,
                           subdistrict=membership.fund.organisation.subdistrict):
        raise PermissionDenied("ไม่มีสิทธิ์แก้ไขสมาชิกของกองทุนนี้ (not allowed to change this fund's members)")
    if membership.contributions.exists():
        raise ValidationError({"paid_through": ValidationError(
            "มีการรับเงินสมทบในระบบแล้ว ใช้ยอดยกมาไม่ได้ (contributions already recorded: no opening figure)",
            code="has_contributions")})
    if paid_through < membership.joined_on - datetime.timedelta(days=1):
        raise ValidationError({"paid_through": ValidationError(
            f"สมาชิก {membership.member_number}: ส่งเงินสมทบถึงวันที่ก่อนสมัคร ({format_date(membership.joined_on)}) "
            f"(member {membership.member_number}: paid up to a day before joining on {membership.joined_on})",
            code="before_joining")})
    membership.paid_through = paid_through
    membership.save(update_fields=["paid_through"])
    audit_record(actor=actor, action="welfare.opening_paid_through_set", obj=membership,
                 summary=f"paid through {paid_through}")
    return membership


@transaction.atomic
def report_download_record(*, actor, fund: Fund, kind: str, fmt: str, rows: int) -> None:
    """A file of a report naming members (the register, arrears) leaves the system: who took which, how many rows."""
    audit_record(actor=actor, action="welfare.report_download", obj=fund, summary=f"{kind} {fmt}: {rows} rows")
