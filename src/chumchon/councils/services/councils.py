"""Writes for councils: founding one, seating members and officers, recording meetings, sending proposals."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location
from chumchon.core.audit import audit_record
from chumchon.core.models import Organisation
from chumchon.core.thai.dates import format_date
from chumchon.councils.models import Council, CouncilMember, Meeting, Proposal, ProposalFollowUp
from chumchon.councils.selectors import earliest_record
from chumchon.councils.services.common import (
    HEADCOUNT_MAX,
    Problems,
    check_council_actor,
    check_headcount,
    check_not_before_council,
    check_not_future,
    field_error,
)


@transaction.atomic
def council_create(*, actor, code: str, name_th: str, subdistrict, founded_on: datetime.date,
                   kind: str = Council.Kind.TAMBON, name_en: str = "", local_administration=None,
                   registration_number: str = "", registered_on: datetime.date | None = None,
                   system: bool = False) -> Council:
    """Enter a council (สภาองค์กรชุมชนตำบล) in its subdistrict; its organisation row comes with it. ``system`` is
    the command line without a user."""
    if not system and not allows_location(actor, Action.CHANGE, subdistrict=subdistrict):
        raise PermissionDenied("ไม่มีสิทธิ์บันทึกสภาในพื้นที่นี้ (not allowed to enter a council here)")
    code = code.strip()
    if not code:
        raise field_error("code", "ต้องระบุรหัส", "a code is required", "required")
    if Organisation.objects.filter(code=code).exists():
        raise field_error("code", f"รหัส {code} มีอยู่แล้ว", f"code {code} exists already", "duplicate")
    check_not_future("founded_on", founded_on, "วันก่อตั้ง", "the founding date")
    if registered_on is not None and registered_on < founded_on:
        raise field_error("registered_on", "วันจดแจ้งจัดตั้งก่อนวันก่อตั้ง", "registration is before founding",
                          "before_founding")
    if kind == Council.Kind.TAMBON and local_administration is None:
        # one tambon council to a tambon; where the local administration is known, the check below says it
        held = (Council.objects.filter(organisation__subdistrict=subdistrict, kind=Council.Kind.TAMBON)
                .select_related("organisation").first())
        if held is not None:
            raise field_error("subdistrict", f"ตำบลนี้มีสภาองค์กรชุมชนตำบลแล้ว ({held.code} {held.name})",
                              f"this subdistrict has a tambon council already ({held.code} {held.name})",
                              "duplicate_subdistrict")
    if local_administration is not None and Council.objects.filter(
            organisation__local_administration=local_administration).exists():
        raise field_error("local_administration", f"{local_administration} มีสภาองค์กรชุมชนอยู่แล้ว",
                          "this local administration's area has a council already", "duplicate")
    organisation = Organisation.objects.create(
        code=code, kind=Organisation.Kind.COUNCIL, name_th=name_th, name_en=name_en, subdistrict=subdistrict,
        local_administration=local_administration,
    )
    council = Council.objects.create(organisation=organisation, kind=kind, founded_on=founded_on,
                                     registration_number=registration_number, registered_on=registered_on)
    audit_record(actor=actor, action="councils.council_create", obj=council, summary=name_th)
    return council


COUNCIL_FIELDS = ("name_th", "kind", "founded_on", "registration_number", "registered_on")


def _council_values(council: Council) -> dict:
    return {"name_th": council.organisation.name_th, "kind": council.kind, "founded_on": council.founded_on,
            "registration_number": council.registration_number, "registered_on": council.registered_on}


@transaction.atomic
def council_update(*, actor, council: Council, system: bool = False, **changes) -> Council:
    """Correct a council's name, kind, founding date or founding registration (the import's updates and the
    council's edit page). Only what differs from the record is written; every problem comes back at once and
    nothing is written with one. The founding date cannot move past anything already recorded for the council (a
    registration, a member's term, a meeting); a subdistrict keeps one tambon council. The audit row keeps each
    changed field before and after. ``system`` is the command line without a user."""
    council = (Council.objects.select_for_update(of=("self",))
               .select_related("organisation__subdistrict", "organisation__local_administration").get(pk=council.pk))
    if not system:
        check_council_actor(actor, council)
    unknown = set(changes) - set(COUNCIL_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], "แก้ไขข้อมูลนี้ไม่ได้", "this field cannot be changed here", "unknown")
    for name in ("name_th", "registration_number"):
        if name in changes:
            changes[name] = str(changes[name] or "").strip()
    current = _council_values(council)
    changes = {name: value for name, value in changes.items() if value != current[name]}
    if not changes:
        return council
    problems = Problems()
    if "name_th" in changes and not changes["name_th"]:
        problems.add("name_th", "ต้องระบุชื่อ", "a name is required", "required")
    kind = changes.get("kind", council.kind)
    if kind not in Council.Kind.values:
        problems.add("kind", f"ไม่รู้จักประเภทสภา {kind}", f"unknown kind {kind}", "kind")
    elif "kind" in changes and kind == Council.Kind.TAMBON and council.organisation.local_administration is None:
        held = (Council.objects.filter(organisation__subdistrict=council.organisation.subdistrict,
                                       kind=Council.Kind.TAMBON).exclude(pk=council.pk)
                .select_related("organisation").first())
        if held is not None:
            problems.add("kind", f"ตำบลนี้มีสภาองค์กรชุมชนตำบลแล้ว ({held.code} {held.name})",
                         f"this subdistrict has a tambon council already ({held.code} {held.name})",
                         "duplicate_subdistrict")
    founded = changes.get("founded_on", council.founded_on)
    if founded is None:
        problems.add("founded_on", "ต้องระบุวันก่อตั้ง", "the founding date is required", "required")
    else:
        problems.check(check_not_future, "founded_on", founded, "วันก่อตั้ง", "the founding date")
        earliest = earliest_record(council)
        if earliest is not None and founded > earliest:
            problems.add("founded_on", f"มีข้อมูลของสภาตั้งแต่ {format_date(earliest)} วันก่อตั้งต้องไม่หลังจากนั้น",
                         f"the council has records from {earliest}: it cannot be founded after that",
                         "after_records")
    registered = changes.get("registered_on", council.registered_on)
    if registered is not None:
        if "registered_on" in changes:
            problems.check(check_not_future, "registered_on", registered, "วันจดแจ้งจัดตั้ง", "the registration date")
        if founded is not None and registered < founded:
            problems.add("registered_on", "วันจดแจ้งจัดตั้งก่อนวันก่อตั้ง", "registration is before founding",
                         "before_founding")
    problems.raise_any()
    before = {name: str(current[name]) for name in changes}
    after = {name: str(value) for name, value in changes.items()}
    if "name_th" in changes:
        council.organisation.name_th = changes.pop("name_th")
        council.organisation.save(update_fields=["name_th"])
    for name, value in changes.items():
        setattr(council, name, value)
    if changes:
        council.save(update_fields=list(changes))
    audit_record(actor=actor, action="councils.council_update", obj=council, summary=", ".join(sorted(before)),
                 data={"before": before, "after": after})
    return council


@transaction.atomic
def member_seat(*, actor, council: Council, name: str, term_start: datetime.date,
                term_end: datetime.date | None = None, kind: str = CouncilMember.Kind.REPRESENTATIVE,
                position: str = CouncilMember.Position.MEMBER, represents=None, person=None) -> CouncilMember:
    """Seat a community representative or an expert for a term; an officer is a member with a position."""
    check_council_actor(actor, council)
    if not name.strip():
        raise field_error("name", "ต้องระบุชื่อ", "a name is required", "required")
    check_not_before_council("term_start", term_start, council, "วันเริ่มวาระ", "the term start")
    if term_end is not None and term_end < term_start:
        raise field_error("term_end", "วันสิ้นสุดวาระก่อนวันเริ่มวาระ", "the term ends before it starts", "term_order")
    if represents is not None and not represents.registrations.filter(council=council,
                                                                      deregistered_on=None).exists():
        raise field_error("represents", "องค์กรนี้ไม่ได้จดแจ้งกับสภานี้", "this organisation is not registered "
                          "with this council", "not_registered")
    if position != CouncilMember.Position.MEMBER:
        clash = council.members.filter(position=position, term_start__lte=term_end or datetime.date.max).exclude(
            term_end__lt=term_start)
        held = clash.first()
        if held is not None:  # named, with their term, so the officer knows whose term to end first
            label = CouncilMember.Position(position)
            term = f"{format_date(held.term_start)}–{format_date(held.term_end) if held.term_end else ''}"
            raise field_error("position", f"{held.name} ดำรงตำแหน่ง{label.label}ในช่วงวาระนี้แล้ว ({term})",
                              f"{held.name} already holds the position of {position.replace('_', ' ')} in this "
                              f"term ({held.term_start}–{held.term_end or ''})", "position_taken")
    member = CouncilMember.objects.create(council=council, name=name.strip(), kind=kind, position=position,
                                          represents=represents, person=person, term_start=term_start,
                                          term_end=term_end)
    audit_record(actor=actor, action="councils.member_seat", obj=member, summary=f"{council.code} {member.name}")
    return member


@transaction.atomic
def member_term_end(*, actor, member: CouncilMember, on: datetime.date, reason: str) -> CouncilMember:
    """End a member's term before it was due (resignation, death, removal): ``on`` is the last day they served — a
    day that has come, not before their term started — and the reason goes on the audit trail. A term that has
    ended already is refused. Every problem comes back at once and nothing is written with one."""
    member = (CouncilMember.objects.select_for_update(of=("self",))
              .select_related("council__organisation__subdistrict").get(pk=member.pk))
    check_council_actor(actor, member.council)
    problems = Problems()
    if member.term_end is not None and member.term_end < timezone.localdate():
        problems.add("on", f"วาระของ {member.name} สิ้นสุดแล้วเมื่อ {format_date(member.term_end)}",
                     f"the term of {member.name} ended already on {member.term_end}", "ended")
    elif on is None:
        problems.add("on", "ต้องระบุวันสิ้นสุดวาระ", "the term end is required", "required")
    else:
        if on < member.term_start:
            problems.add("on", f"วันสิ้นสุดวาระก่อนวันเริ่มวาระ ({format_date(member.term_start)})",
                         f"the term end is before the term started on {member.term_start}", "before_term_start")
        problems.check(check_not_future, "on", on, "วันสิ้นสุดวาระ", "the term end")
    reason = (reason or "").strip()
    if not reason:
        problems.add("reason", "ต้องระบุเหตุผล", "a reason is required", "required")
    problems.raise_any()
    planned = member.term_end
    member.term_end = on
    member.save(update_fields=["term_end"])
    audit_record(actor=actor, action="councils.member_term_end", obj=member,
                 summary=f"{member.council.code} {member.name}: {on} {reason}",
                 data={"on": str(on), "planned_end": str(planned) if planned else "", "reason": reason})
    return member


@transaction.atomic
def meeting_record(*, actor, council: Council, date: datetime.date, attendees: int | None, agenda: str,
                   resolutions: str = "", kind: str = Meeting.Kind.ORDINARY, minutes=None,
                   present=None) -> Meeting:
    """Record a council meeting: who came (a count, or the members ticked by name — then the count is theirs),
    what was on the agenda, what was resolved, and the minutes file. Every problem at once."""
    check_council_actor(actor, council)
    problems = Problems()
    problems.check(check_not_before_council, "date", date, council, "วันประชุม", "the meeting date")
    problems.check(check_not_future, "date", date, "วันประชุม", "the meeting date")
    present = list(present or [])
    serving_members = [m for m in council.members.all() if m.serves_on(date)]
    serving = len(serving_members)
    if present:
        strangers = [m.name for m in present if m.council_id != council.pk or not m.serves_on(date)]
        if strangers:
            problems.add("present", f"ไม่ได้อยู่ในวาระสมาชิกสภาในวันประชุม: {', '.join(strangers)}",
                         f"not serving on the council on the meeting date: {', '.join(strangers)}", "not_serving")
        if attendees not in (None, len(present)):
            problems.add("attendees", f"ระบุผู้เข้าประชุม {attendees} คน แต่เลือกรายชื่อ {len(present)} คน",
                         f"{attendees} present, but {len(present)} names ticked", "count_names")
        attendees = len(present)
    if attendees is None or attendees < 1:
        problems.add("attendees", "จำนวนผู้เข้าประชุมต้องมากกว่า 0", "at least one member must be present", "attendees")
    elif attendees > HEADCOUNT_MAX:
        problems.check(check_headcount, "attendees", attendees, "จำนวนผู้เข้าประชุม", "the number of members present")
    elif serving and attendees > serving:
        problems.add("attendees", f"ผู้เข้าประชุม {attendees} คน มากกว่าสมาชิกในวาระ {serving} คน",
                     f"{attendees} present but only {serving} members serve on that date", "attendees")
    if not agenda.strip():
        problems.add("agenda", "ต้องระบุวาระการประชุม", "the agenda is required", "required")
    problems.raise_any()
    meeting = Meeting.objects.create(council=council, date=date, kind=kind, attendees=attendees, agenda=agenda,
                                     resolutions=resolutions, minutes=minutes or "",
                                     recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
    if present:
        meeting.present.set(present)
    audit_record(actor=actor, action="councils.meeting_record", obj=meeting, summary=f"{council.code} {date}")
    return meeting


@transaction.atomic
def proposal_send(*, actor, council: Council, title: str, agency: str, sent_on: datetime.date,
                  meeting: Meeting | None = None) -> Proposal:
    """Record a proposal the council sent to an agency (its follow-up comes with :func:`proposal_follow_up`)."""
    check_council_actor(actor, council)
    check_not_before_council("sent_on", sent_on, council, "วันที่ส่งข้อเสนอ", "the date sent")
    check_not_future("sent_on", sent_on, "วันที่ส่งข้อเสนอ", "the date sent")
    if meeting is not None and meeting.council_id != council.pk:
        raise field_error("meeting", "การประชุมนี้ไม่ใช่ของสภานี้", "the meeting is another council's", "meeting")
    if meeting is not None and sent_on < meeting.date:
        raise field_error("sent_on", f"วันที่ส่งข้อเสนออยู่ก่อนวันประชุมที่มีมติ ({format_date(meeting.date)})",
                          f"the proposal was sent before the meeting that resolved it ({meeting.date})",
                          "before_meeting")
    proposal = Proposal.objects.create(council=council, meeting=meeting, title=title, agency=agency,
                                       sent_on=sent_on)
    audit_record(actor=actor, action="councils.proposal_send", obj=proposal, summary=f"{council.code} {title}")
    return proposal


@transaction.atomic
def proposal_follow_up(*, actor, proposal: Proposal, date: datetime.date, status: str,
                       note: str = "") -> ProposalFollowUp:
    """Add one follow-up step to a proposal; the proposal takes the step's status."""
    proposal = (Proposal.objects.select_for_update(of=("self",))
                .select_related("council__organisation__subdistrict").get(pk=proposal.pk))
    check_council_actor(actor, proposal.council)
    if date < proposal.sent_on:
        raise field_error("date", "วันติดตามก่อนวันส่งข้อเสนอ", "the follow-up is before the proposal was sent",
                          "before_sent")
    check_not_future("date", date, "วันติดตาม", "the follow-up date")
    if status not in Proposal.Status.values:
        raise field_error("status", f"ไม่รู้จักสถานะ {status}", f"unknown status {status}", "status")
    step = ProposalFollowUp.objects.create(proposal=proposal, date=date, status=status, note=note)
    proposal.status = status
    proposal.save(update_fields=["status"])
    audit_record(actor=actor, action="councils.proposal_follow_up", obj=proposal, summary=f"{status} {date}")
    return step
