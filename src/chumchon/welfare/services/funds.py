"""Writes for welfare funds: creating a fund, enrolling members, seating the committee."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location
from chumchon.core import changes
from chumchon.core.audit import audit_record
from chumchon.core.models import Organisation
from chumchon.ledger import services as ledger_services
from chumchon.welfare.models import CommitteeMember, Fund, Membership


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
def membership_end(*, actor, membership: Membership, status: str, on: datetime.date,
                   system: bool = False) -> Membership:
    """End a membership: resigned, deceased, or transferred out (history is kept). ``system`` is the command line
    without a user (an import run by the server's operator)."""
    if status not in (Membership.Status.RESIGNED, Membership.Status.DECEASED, Membership.Status.TRANSFERRED,
                      Membership.Status.LAPSED):
        raise ValidationError({"status": ValidationError(f"สถานะ {status} ใช้ปิดสมาชิกภาพไม่ได้ (cannot end as {status})",
                                                         code="status")})
    if not system and not allows_location(actor, Action.CHANGE, organisation=membership.fund.organisation,
                                          subdistrict=membership.fund.organisation.subdistrict):
        raise PermissionDenied("ไม่มีสิทธิ์แก้ไขสมาชิกของกองทุนนี้ (not allowed to change this fund's members)")
    if on < membership.joined_on:
        raise ValidationError({"on": ValidationError("วันที่สิ้นสุดอยู่ก่อนวันที่สมัคร (the end date is before joining)",
                                                     code="before_joining")})
    membership.status, membership.ended_on = status, on
    membership.save(update_fields=["status", "ended_on"])
    audit_record(actor=actor, action="welfare.membership_end", obj=membership, summary=f"{status} {on}")
    changes.organisation_changed(membership.fund_id)
    return membership


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
    membership.paid_through = paid_through
    membership.save(update_fields=["paid_through"])
    audit_record(actor=actor, action="welfare.opening_paid_through_set", obj=membership,
                 summary=f"paid through {paid_through}")
    return membership


@transaction.atomic
def report_download_record(*, actor, fund: Fund, kind: str, fmt: str, rows: int) -> None:
    """A file of a report naming members (the register, arrears) leaves the system: who took which, how many rows."""
    audit_record(actor=actor, action="welfare.report_download", obj=fund, summary=f"{kind} {fmt}: {rows} rows")
