"""Every write to people and households, and every unmasked read of personal data (PDPA)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location, get_scoped_or_404
from chumchon.core.audit import audit_record
from chumchon.core.thai import national_id as nid
from chumchon.core.thai.digits import to_arabic_digits
from chumchon.core.thai.errors import NationalIdError
from chumchon.people.models import Household, Person, PersonalData, PersonalDataAccess

PERSON_FIELDS = ("title", "first_name", "last_name", "birth_date", "sex", "house_number", "village_number",
                 "subdistrict", "household")
CONTACT_FIELDS = ("phone", "email", "line_id")


def _normalised_national_id(value: str | None, *, person: Person | None = None) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        normalised = nid.validate(value)
    except NationalIdError as exc:
        raise ValidationError({"national_id": ValidationError(str(exc), code=exc.code)}) from exc
    taken = PersonalData.objects.filter(national_id=normalised)
    if person is not None and person.pk:
        taken = taken.exclude(person=person)
    if taken.exists():
        raise ValidationError({"national_id": ValidationError(
            "เลขประจำตัวประชาชนนี้มีอยู่ในระบบแล้ว: บุคคลนี้อาจลงทะเบียนไว้ก่อนแล้ว "
            "(this national ID is already registered: the person may exist already)",
            code="duplicate",
        )})
    return normalised


def _house_number(value: str | None) -> str:
    """บ้านเลขที่ as it is searched for: Thai digits written as Arabic (๗๗/๑ → 77/1), no spaces at its ends."""
    return to_arabic_digits((value or "").strip())


def _check_dates(birth_date: datetime.date | None) -> None:
    if birth_date and birth_date > timezone.localdate():
        raise ValidationError({"birth_date": ValidationError(
            "วันเกิดอยู่ในอนาคต (birth date is in the future)", code="future")})


@transaction.atomic
def person_create(
    *, actor, first_name: str, subdistrict, last_name: str = "", title: str = "", birth_date=None,
    sex: str = "U", house_number: str = "", village_number: int | None = None, household=None,
    national_id: str | None = None, phone: str = "", email: str = "", line_id: str = "",
    registered_by=None,
) -> Person:
    """Register a person with their personal data. The actor must be allowed to change records in the
    person's subdistrict, or in the organisation registering them."""
    if not allows_location(actor, Action.CHANGE, subdistrict=subdistrict, organisation=registered_by):
        raise PermissionDenied("ไม่มีสิทธิ์ลงทะเบียนบุคคลในพื้นที่นี้ (not allowed to register people here)")
    _check_dates(birth_date)
    normalised = _normalised_national_id(national_id)
    person = Person(
        title=title, first_name=first_name.strip(), last_name=last_name.strip(), birth_date=birth_date, sex=sex,
        house_number=_house_number(house_number), village_number=village_number, subdistrict=subdistrict,
        household=household, registered_by=registered_by,
    )
    person.full_clean()
    person.save()
    PersonalData.objects.create(
        person=person, national_id=normalised, phone=phone.strip(), email=email.strip(), line_id=line_id.strip()
    )
    audit_record(actor=actor, action="people.person_create", obj=person, summary=person.full_name,
                 organisation=registered_by)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    """Change a person's names, address or personal data. Only the fields given change; the audit row lists
    which (not their values: the log must not become a copy of personal data)."""
    person = get_scoped_or_404(Person.objects.select_for_update(), actor, Action.CHANGE, pk=person.pk)
    personal = PersonalData.objects.select_for_update().get_or_create(person=person)[0]
    unknown = set(changes) - set(PERSON_FIELDS) - set(CONTACT_FIELDS) - {"national_id"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if "subdistrict" in changes and changes["subdistrict"] != person.subdistrict and not allows_location(
        actor, Action.CHANGE, subdistrict=changes["subdistrict"], organisation=person.registered_by
    ):
        raise ValidationError({"subdistrict": ValidationError(
            "ไม่มีสิทธิ์ย้ายบุคคลไปตำบลนี้ (not allowed to move the person to this subdistrict)", code="scope")})
    _check_dates(changes.get("birth_date"))
    if "house_number" in changes:
        changes = {**changes, "house_number": _house_number(changes["house_number"])}
    changed = []
    for field in PERSON_FIELDS:
        if field in changes and getattr(person, field) != changes[field]:
            setattr(person, field, changes[field])
            changed.append(field)
    if "national_id" in changes:
        normalised = _normalised_national_id(changes["national_id"], person=person)
        if normalised != personal.national_id:
            personal.national_id = normalised
            changed.append("national_id")
    for field in CONTACT_FIELDS:
        if field in changes and getattr(personal, field) != changes[field]:
            setattr(personal, field, changes[field])
            changed.append(field)
    if not changed:
        return person
    person.full_clean()
    person.save()
    personal.save()
    audit_record(actor=actor, action="people.person_update", obj=person, summary=", ".join(changed),
                 data={"fields": changed})
    return person


def _check_bulk_actor(actor, people, system: bool) -> None:
    """Refuse the whole batch unless the actor may change records in every (subdistrict, organisation) it
    touches. The subdistricts are read from the database (one query): an area role is checked against their
    district and province."""
    if system:
        return
    from chumchon.geo.models import Subdistrict

    places = {(p.subdistrict_id, p.registered_by) for p in people}
    subdistricts = Subdistrict.objects.in_bulk({subdistrict_id for subdistrict_id, _ in places})
    for subdistrict_id, organisation in places:
        if not allows_location(actor, Action.CHANGE, subdistrict=subdistricts.get(subdistrict_id),
                               organisation=organisation):
            raise PermissionDenied("ไม่มีสิทธิ์ลงทะเบียนบุคคลในพื้นที่นี้ (not allowed to register people here)")


@transaction.atomic
def people_bulk_create(*, actor, people: list[tuple[Person, str, str]], system: bool = False) -> list[Person]:
    """Register many people at once (an import's write pass): ``(person, national ID, phone)`` each, already
    checked row by row by the caller (names, dates, national ID checksums, duplicates). Two INSERTs whatever the
    number; the caller writes the audit row of its batch. ``system`` is the command line without a user."""
    persons = [p for p, _, _ in people]
    _check_bulk_actor(actor, persons, system)
    Person.objects.bulk_create(persons)
    PersonalData.objects.bulk_create([PersonalData(person=p, national_id=n, phone=phone) for p, n, phone in people])
    return persons


@transaction.atomic
def people_bulk_update(*, actor, changes: list[tuple[Person, dict]], system: bool = False) -> None:
    """Apply checked changes to known people (an import's updated rows): only the fields of ``PERSON_FIELDS``."""
    _check_bulk_actor(actor, [p for p, _ in changes], system)
    for person, fields in changes:
        unknown = set(fields) - set(PERSON_FIELDS)
        if unknown:
            raise TypeError(f"unknown fields: {sorted(unknown)}")
        Person.objects.filter(pk=person.pk).update(**fields)


EXPORT_PURPOSE_MIN = 5


def export_purpose_checked(purpose: str, *, what_th: str = "ไฟล์นี้", what_en: str = "this file") -> str:
    """The purpose of taking personal data out of the system (PDPA), stripped; refused when too short to say
    anything."""
    purpose = (purpose or "").strip()
    if len(purpose) < EXPORT_PURPOSE_MIN:
        raise ValidationError({"purpose": ValidationError(
            f"{what_th}มีข้อมูลส่วนบุคคล: กรุณาระบุวัตถุประสงค์ (อย่างน้อย {EXPORT_PURPOSE_MIN} ตัวอักษร) "
            f"({what_en} holds personal data: give the purpose, at least {EXPORT_PURPOSE_MIN} characters)",
            code="purpose")})
    return purpose


def personal_data_exports_record(*, actor, person_ids, purpose: str, fields: str) -> int:
    """Log that these people's personal data left the system in a file (each can see who took it and why).
    Call inside the exporting transaction; returns how many people were logged."""
    if not getattr(actor, "is_authenticated", False):
        return 0  # the system (shell) has no account to name
    ids = list(dict.fromkeys(person_ids))
    PersonalDataAccess.objects.bulk_create([
        PersonalDataAccess(actor=actor, person_id=pk, kind=PersonalDataAccess.Kind.EXPORT, purpose=purpose[:200],
                           fields=fields[:200]) for pk in ids], batch_size=2000)
    return len(ids)


@transaction.atomic
def personal_data_reveal(*, actor, person: Person, purpose: str) -> PersonalData:
    """Show a person's unmasked personal data to an actor whose role needs it, and log who, whose, why, when."""
    purpose = (purpose or "").strip()
    if len(purpose) < 3:
        raise ValidationError({"purpose": ValidationError(
            "โปรดระบุเหตุผลที่ต้องดูข้อมูล (please say why you need to see this data)", code="required")})
    person = get_scoped_or_404(Person, actor, Action.VIEW_PERSONAL, pk=person.pk)
    personal = PersonalData.objects.get_or_create(person=person)[0]
    PersonalDataAccess.objects.create(
        actor=actor, person=person, kind=PersonalDataAccess.Kind.VIEW, purpose=purpose[:200],
        fields="national_id,phone,email,line_id",
    )
    audit_record(actor=actor, action="people.personal_data_reveal", obj=person, summary=purpose[:200],
                 organisation=person.registered_by, subdistrict=person.subdistrict)
    return personal


OWN_DATA = "เจ้าของข้อมูลขอข้อมูลของตนเอง (พ.ร.บ.คุ้มครองข้อมูลฯ ม.30) (the data subject's own request, PDPA s.30)"


@transaction.atomic
def person_export(*, actor, person: Person, purpose: str) -> dict:
    """Everything Chumchon holds about a person, as JSON-ready data (PDPA right of access and portability), for
    someone who may see their personal data and says why (as for showing it). Logged with the reason, in the
    personal-data access log and the audit log."""
    purpose = (purpose or "").strip()
    if len(purpose) < 3:
        raise ValidationError({"purpose": ValidationError(
            "โปรดระบุเหตุผลที่ต้องส่งออกข้อมูล (please say why you need to export this data)", code="required")})
    person = get_scoped_or_404(Person, actor, Action.VIEW_PERSONAL, pk=person.pk)
    return _export(actor, person, purpose)


@transaction.atomic
def own_data_export(*, actor) -> dict:
    """Everything Chumchon holds about the user themselves (PDPA s.30: a member's right to a copy of their own
    data), whatever their role; logged like any other export."""
    person = Person.objects.filter(pk=getattr(actor, "person_id", None)).first()
    if person is None:
        raise PermissionDenied("บัญชีนี้ไม่ได้ผูกกับบุคคลในระบบ (this account is not linked to a person)")
    return _export(actor, person, OWN_DATA)


def _export(actor, person: Person, purpose: str) -> dict:
    personal = PersonalData.objects.filter(person=person).first()
    PersonalDataAccess.objects.create(
        actor=actor, person=person, kind=PersonalDataAccess.Kind.EXPORT, purpose=purpose[:200], fields="all"
    )
    audit_record(actor=actor, action="people.person_export", obj=person, summary=purpose[:200],
                 organisation=person.registered_by, subdistrict=person.subdistrict)
    memberships = [
        {"fund_code": m.fund.code, "fund_name": m.fund.name, "member_number": m.member_number,
         "joined_on": m.joined_on.isoformat(), "status": m.status,
         "ended_on": m.ended_on.isoformat() if m.ended_on else None}
        for m in person.memberships.select_related("fund__organisation")
    ]
    return {
        "format": "chumchon.person.v1",
        "exported_at": timezone.now().isoformat(),
        "person": {
            "id": person.pk, "title": person.title, "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "sex": person.sex, "house_number": person.house_number, "village_number": person.village_number,
            "subdistrict_code": person.subdistrict_id, "household_code": person.household.code
            if person.household else None,
        },
        "personal_data": {
            "national_id": personal.national_id if personal else None,
            "phone": personal.phone if personal else "", "email": personal.email if personal else "",
            "line_id": personal.line_id if personal else "",
            "consent_health_data": personal.consent_health_data.isoformat()
            if personal and personal.consent_health_data else None,
        },
        "memberships": memberships,
        "personal_data_accesses": [
            {"at": a.at.isoformat(), "by": a.actor.username, "kind": a.kind, "purpose": a.purpose}
            for a in person.personal_data_accesses.select_related("actor").order_by("at")
        ],
    }


@transaction.atomic
def household_create(*, actor, code: str, subdistrict, house_number: str = "", village_number=None,
                     registered_by=None) -> Household:
    if not allows_location(actor, Action.CHANGE, subdistrict=subdistrict, organisation=registered_by):
        raise PermissionDenied("ไม่มีสิทธิ์ลงทะเบียนครัวเรือนในพื้นที่นี้ (not allowed to register households here)")
    if Household.objects.filter(code=code).exists():
        raise ValidationError({"code": ValidationError(
            "รหัสครัวเรือนนี้มีอยู่แล้ว (this household code exists already)", code="duplicate")})
    household = Household.objects.create(code=code, subdistrict=subdistrict, house_number=_house_number(house_number),
                                         village_number=village_number, registered_by=registered_by)
    audit_record(actor=actor, action="people.household_create", obj=household, summary=code,
                 organisation=registered_by)
    return household
