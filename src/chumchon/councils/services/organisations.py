"""Writes for community organisations: registering them with a council (จดแจ้ง) and de-registering them."""

import datetime

from django.db import IntegrityError, transaction

from chumchon.core.audit import audit_record
from chumchon.core.models import Organisation
from chumchon.core.thai.dates import format_date
from chumchon.councils.models import CommunityOrganization, Council, Registration
from chumchon.councils.services.common import (
    Problems,
    check_council_actor,
    check_headcount,
    check_not_before_council,
    check_not_future,
    field_error,
)


def _next_code(subdistrict) -> str:
    prefix = f"CO-{subdistrict.code}-"
    taken = set(Organisation.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:04d}" in taken:
        n += 1
    return f"{prefix}{n:04d}"


def _check_registration(council: Council, number: str, registered_on: datetime.date) -> str:
    number = number.strip()
    if not number:
        raise field_error("number", "ต้องระบุเลขที่จดแจ้ง", "the registration number is required", "required")
    if Registration.objects.filter(council=council, number=number).exists():
        raise field_error("number", f"เลขที่จดแจ้ง {number} ถูกใช้แล้วในสภานี้",
                          f"registration number {number} is taken in this council", "duplicate")
    check_not_before_council("registered_on", registered_on, council, "วันจดแจ้ง", "the registration date")
    check_not_future("registered_on", registered_on, "วันจดแจ้ง", "the registration date")
    return number


def _create_registration(*, actor, council, organization, number, registered_on, documents, document_file):
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                council=council, organization=organization, number=number, registered_on=registered_on,
                documents=documents, document_file=document_file or "")
    except IntegrityError:  # a concurrent registration got there first; the database keeps the rule
        raise field_error("organization", "องค์กรนี้จดแจ้งกับสภานี้แล้ว",
                          "this organisation is already registered with this council", "registered_twice") from None
    audit_record(actor=actor, action="councils.registration_create", obj=registration,
                 summary=f"{council.code}/{number} {organization.name}")
    return registration


@transaction.atomic
def organisation_register(*, actor, council: Council, name_th: str, kind: str, number: str,
                          registered_on: datetime.date, code: str = "", village_number: int | None = None,
                          founded_on: datetime.date | None = None, members_count: int = 0, leaders: str = "",
                          contact: str = "", documents: str = "", document_file=None,
                          system: bool = False) -> Registration:
    """A new community organisation comes to the council to register (จดแจ้ง): the organisation is entered in
    the council's subdistrict and registered in one step. ``system`` is the command line without a user (an
    import run by the server's operator)."""
    if not system:
        check_council_actor(actor, council)
    name_th = name_th.strip()
    if not name_th:
        raise field_error("name_th", "ต้องระบุชื่อองค์กร", "the organisation's name is required", "required")
    if kind not in CommunityOrganization.Kind.values:
        raise field_error("kind", f"ไม่รู้จักประเภทองค์กร {kind}", f"unknown kind {kind}", "kind")
    if council.registrations.filter(deregistered_on=None, organization__organisation__name_th=name_th).exists():
        raise field_error("name_th", f"{name_th} จดแจ้งกับสภานี้แล้ว",
                          f"an organisation named {name_th} is already registered with this council",
                          "registered_twice")
    check_headcount("members_count", members_count, "จำนวนสมาชิก", "the number of members")
    if village_number is not None and not 1 <= village_number <= 99:
        raise field_error("village_number", "หมู่ที่ต้องอยู่ระหว่าง 1 ถึง 99", "the village number must be 1 to 99",
                          "village_number")
    number = _check_registration(council, number, registered_on)
    if founded_on is not None and founded_on > registered_on:
        raise field_error("founded_on", "วันก่อตั้งองค์กรหลังวันจดแจ้ง", "the organisation was founded after it "
                          "registered", "founded_after")
    subdistrict = council.organisation.subdistrict
    code = code.strip() or _next_code(subdistrict)
    if Organisation.objects.filter(code=code).exists():
        raise field_error("code", f"รหัส {code} มีอยู่แล้ว", f"code {code} exists already", "duplicate")
    organisation = Organisation.objects.create(code=code, kind=Organisation.Kind.COMMUNITY_ORGANISATION,
                                               name_th=name_th, subdistrict=subdistrict)
    organization = CommunityOrganization.objects.create(
        organisation=organisation, kind=kind, village_number=village_number, founded_on=founded_on,
        members_count=members_count, leaders=leaders, contact=contact)
    audit_record(actor=actor, action="councils.organisation_create", obj=organization, summary=name_th)
    return _create_registration(actor=actor, council=council, organization=organization, number=number,
                                registered_on=registered_on, documents=documents, document_file=document_file)


UPDATABLE = ("kind", "village_number", "founded_on", "members_count", "leaders", "contact")
PERSONAL_FIELDS = ("leaders", "contact")


@transaction.atomic
def organisation_update(*, actor, council: Council, organization: CommunityOrganization, system: bool = False,
                        **changes) -> CommunityOrganization:
    """Correct what the council's register says about an organisation registered with it (kind, village, founding
    date, members, leaders, contact): the import's updates and the organisation's edit page. Its name and
    registrations are not changed here. Only what differs from the record is written; every problem comes back at
    once and nothing is written with one."""
    if not system:
        check_council_actor(actor, council)
    if not council.registrations.filter(organization=organization).exists():
        raise field_error("organization", "องค์กรนี้ไม่ได้จดแจ้งกับสภานี้", "this organisation is not registered with "
                          "this council", "not_registered")
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise field_error(sorted(unknown)[0], "แก้ไขข้อมูลนี้ไม่ได้", "this field cannot be changed here", "unknown")
    organization = (CommunityOrganization.objects.select_for_update(of=("self",)).select_related("organisation")
                    .get(pk=organization.pk))
    for name in PERSONAL_FIELDS:
        if name in changes:
            changes[name] = str(changes[name] or "").strip()
    changes = {name: value for name, value in changes.items() if value != getattr(organization, name)}
    if not changes:
        return organization
    problems = Problems()
    if changes.get("kind", organization.kind) not in CommunityOrganization.Kind.values:
        problems.add("kind", f"ไม่รู้จักประเภทองค์กร {changes['kind']}", f"unknown kind {changes['kind']}", "kind")
    village = changes.get("village_number")
    if village is not None and not 1 <= village <= 99:
        problems.add("village_number", "หมู่ที่ต้องอยู่ระหว่าง 1 ถึง 99", "the village number must be 1 to 99",
                     "village_number")
    if "members_count" in changes:
        if changes["members_count"] is None:
            problems.add("members_count", "จำนวนสมาชิกต้องเป็น 0 หรือมากกว่า", "the number of members must be 0 or more",
                         "members_count")
        else:
            problems.check(check_headcount, "members_count", changes["members_count"], "จำนวนสมาชิก",
                           "the number of members")
    founded = changes.get("founded_on")
    if founded is not None:
        problems.check(check_not_future, "founded_on", founded, "วันก่อตั้งองค์กร", "the founding date")
        first = (organization.registrations.order_by("registered_on")
                 .values_list("registered_on", flat=True).first())
        if first is not None and founded > first:
            problems.add("founded_on", f"วันก่อตั้งองค์กรหลังวันจดแจ้ง ({format_date(first)})",
                         f"the organisation was founded after it registered on {first}", "founded_after")
    problems.raise_any()
    # Leaders and contacts are people's names and phone numbers: the audit row says they changed, not what to
    # (the log must not become a copy of personal data, as in people.services.person_update).
    shown = [name for name in changes if name not in PERSONAL_FIELDS]
    before = {name: str(getattr(organization, name)) for name in shown}
    for name, value in changes.items():
        setattr(organization, name, value)
    organization.save(update_fields=list(changes))
    audit_record(actor=actor, action="councils.organisation_update", obj=organization,
                 summary=f"{organization.name}: {', '.join(sorted(changes))}",
                 data={"fields": sorted(changes), "before": before,
                       "after": {name: str(changes[name]) for name in shown}})
    return organization


@transaction.atomic
def registration_create(*, actor, council: Council, organization: CommunityOrganization, number: str,
                        registered_on: datetime.date, documents: str = "", document_file=None) -> Registration:
    """Register an organisation that is already known (for example one that was de-registered and came back, or
    one registered with a neighbouring council) with this council."""
    check_council_actor(actor, council)
    if council.registrations.filter(organization=organization, deregistered_on=None).exists():
        raise field_error("organization", f"{organization.name} จดแจ้งกับสภานี้แล้ว",
                          "this organisation is already registered with this council", "registered_twice")
    number = _check_registration(council, number, registered_on)
    return _create_registration(actor=actor, council=council, organization=organization, number=number,
                                registered_on=registered_on, documents=documents, document_file=document_file)


@transaction.atomic
def registration_end(*, actor, registration: Registration, on: datetime.date, reason: str) -> Registration:
    """De-register (เพิกถอน/ยกเลิกการจดแจ้ง) an organisation; the registration is kept as history."""
    registration = (Registration.objects.select_for_update(of=("self",))
                    .select_related("council__organisation", "organization__organisation").get(pk=registration.pk))
    check_council_actor(actor, registration.council)
    if registration.deregistered_on is not None:
        raise field_error("on", "การจดแจ้งนี้ถูกยกเลิกแล้ว", "this registration has ended already",
                          "ended")
    if on < registration.registered_on:
        raise field_error("on", f"วันยกเลิกก่อนวันจดแจ้ง ({format_date(registration.registered_on)})",
                          f"de-registration is before registration ({registration.registered_on})",
                          "before_registration")
    check_not_future("on", on, "วันยกเลิก", "the de-registration date")
    if not reason.strip():
        raise field_error("reason", "ต้องระบุเหตุผล", "a reason is required", "required")
    registration.deregistered_on, registration.deregistration_reason = on, reason.strip()
    registration.save(update_fields=["deregistered_on", "deregistration_reason"])
    audit_record(actor=actor, action="councils.registration_end", obj=registration, summary=f"{on} {reason}")
    return registration
