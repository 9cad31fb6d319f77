"""Registering people, their personal data kept apart, masked, logged when revealed, exportable."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chumchon.core.models import AuditLog
from chumchon.geo.models import Subdistrict
from chumchon.people import services
from chumchon.people.models import Person, PersonalData, PersonalDataAccess
from chumchon.people.selectors import masked_national_id

pytestmark = pytest.mark.django_db

VALID_ID = "1101700230708"  # checksum-valid test number


def _create(actor, **kw):
    kw.setdefault("first_name", "มาลี")
    kw.setdefault("subdistrict", Subdistrict.objects.get(code="500203"))
    return services.person_create(actor=actor, **kw)


def test_create_keeps_personal_data_in_its_own_table(system_user):
    person = _create(system_user, national_id="1-1017-00230-70-8", phone="0812345678")
    personal = PersonalData.objects.get(person=person)
    assert personal.national_id == VALID_ID and personal.pk != person.pk or personal.person_id == person.pk
    assert not hasattr(Person, "national_id")
    assert masked_national_id(Person.objects.select_related("personal_data").get(pk=person.pk)) == "x-xxxx-xxxxx-70-8"
    assert AuditLog.objects.filter(action="people.person_create", object_id=str(person.pk)).exists()


def test_thai_digits_and_spaces_are_normalised(system_user):
    person = _create(system_user, national_id="๑ ๑๐๑๗ ๐๐๒๓๐ ๗๐ ๘")
    assert person.personal_data.national_id == VALID_ID


@pytest.mark.parametrize("bad, word", [("1101700230705", "checksum"), ("12345", "13"), ("0101700230708", "0")])
def test_invalid_national_id_is_refused_naming_the_field(system_user, bad, word):
    with pytest.raises(ValidationError) as exc:
        _create(system_user, national_id=bad)
    assert list(exc.value.message_dict) == ["national_id"]
    assert not Person.objects.filter(first_name="มาลี").exists()


def test_duplicate_national_id_is_refused_and_nothing_is_saved(system_user):
    _create(system_user, national_id=VALID_ID)
    with pytest.raises(ValidationError) as exc:
        _create(system_user, national_id=VALID_ID, first_name="สมศรี")
    message = exc.value.message_dict["national_id"][0]
    assert "มีอยู่ในระบบแล้ว" in message and "already registered" in message
    assert not Person.objects.filter(first_name="สมศรี").exists()


def test_people_without_a_national_id_are_allowed_many_times(system_user):
    _create(system_user, national_id="")
    _create(system_user, national_id=None)
    assert PersonalData.objects.filter(national_id__isnull=True).count() >= 2


def test_birth_date_in_the_future_is_refused(system_user):
    import datetime

    with pytest.raises(ValidationError) as exc:
        _create(system_user, birth_date=datetime.date(2999, 1, 1))
    assert "birth_date" in exc.value.message_dict


def test_committee_cannot_register_people_for_another_fund(world):
    with pytest.raises(PermissionDenied):
        _create(world["users"]["committee_b"], registered_by=world["fund_a"].organisation)


def test_reveal_is_logged_with_purpose(world):
    auditor, person = world["users"]["auditor"], world["a_people"][0]
    personal = services.personal_data_reveal(actor=auditor, person=person, purpose="ตรวจสอบผู้รับสวัสดิการ")
    assert len(personal.national_id) == 13
    log = PersonalDataAccess.objects.get(person=person)
    assert (log.actor, log.kind, log.purpose) == (auditor, "view", "ตรวจสอบผู้รับสวัสดิการ")


def test_reveal_needs_a_reason(world):
    with pytest.raises(ValidationError) as exc:
        services.personal_data_reveal(actor=world["users"]["auditor"], person=world["a_people"][0], purpose=" ")
    assert "purpose" in exc.value.message_dict
    assert not PersonalDataAccess.objects.exists()


def test_reveal_refused_to_roles_without_need(world):
    from django.http import Http404

    for kind in ("member", "committee_b", "province_a"):
        with pytest.raises(Http404):
            services.personal_data_reveal(actor=world["users"][kind], person=world["a_people"][1], purpose="curious")
    assert not PersonalDataAccess.objects.exists()


def test_export_contains_everything_and_is_logged(world):
    from django.core.exceptions import ValidationError

    from chumchon.core.models import AuditLog

    person = world["a_people"][0]
    with pytest.raises(ValidationError):  # why, as for showing the data
        services.person_export(actor=world["users"]["committee_a"], person=person, purpose="")
    data = services.person_export(actor=world["users"]["committee_a"], person=person, purpose="ย้ายกองทุน")
    assert data["person"]["first_name"] == "เอ0"
    assert data["personal_data"]["national_id"] == person.personal_data.national_id
    assert data["memberships"][0]["fund_code"] == "A-001"
    access = PersonalDataAccess.objects.get(person=person, kind="export")
    assert access.purpose == "ย้ายกองทุน"
    assert AuditLog.objects.filter(action="people.person_export", object_id=str(person.pk),
                                   summary="ย้ายกองทุน").count() == 1


def test_a_member_downloads_their_own_data(world):
    """PDPA s.30: the member role may see no one's personal data, yet their own is theirs to have."""
    member = world["users"]["member"]
    data = services.own_data_export(actor=member)
    assert data["person"]["id"] == member.person_id
    assert data["personal_data"]["national_id"] == member.person.personal_data.national_id
    assert PersonalDataAccess.objects.get(person_id=member.person_id, kind="export").purpose.startswith("เจ้าของข้อมูล")


def test_update_changes_only_given_fields_and_audits_names_not_values(world):
    alice, person = world["users"]["committee_a"], world["a_people"][2]
    services.person_update(actor=alice, person=person, last_name="ศรีสุข", phone="0899999999")
    person.refresh_from_db()
    assert person.last_name == "ศรีสุข" and person.personal_data.phone == "0899999999"
    row = AuditLog.objects.filter(action="people.person_update").latest("id")
    assert row.data == {"fields": ["last_name", "phone"]} and "0899999999" not in row.summary


def test_update_by_another_fund_is_404(world):
    from django.http import Http404

    with pytest.raises(Http404):
        services.person_update(actor=world["users"]["committee_b"], person=world["a_people"][2], last_name="x")


def test_bulk_create_refuses_another_area_and_writes_nothing(world):
    from chumchon.core.thai.national_id import make_valid

    before = Person.objects.count()
    stranger = Person(first_name="ต่างถิ่น", subdistrict=world["sub_a"], registered_by=world["fund_a"].organisation)
    with pytest.raises(PermissionDenied):
        services.people_bulk_create(actor=world["users"]["committee_b"],
                                    people=[(stranger, make_valid("377700000001"), "")])
    assert Person.objects.count() == before
    mine = Person(first_name="คนใหม่", subdistrict=world["sub_a"], registered_by=world["fund_a"].organisation)
    services.people_bulk_create(actor=world["users"]["committee_a"],
                                people=[(mine, make_valid("377700000002"), "0812345678")])
    assert Person.objects.count() == before + 1 and mine.personal_data.phone == "0812345678"


def test_bulk_writes_are_allowed_to_an_area_role_in_its_own_area(world):
    """The provincial secretariat of Chiang Mai (50) may register and change people of 500203 in bulk, as it may
    one by one; the batch is refused in another province."""
    from chumchon.core.thai.national_id import make_valid

    prov50 = world["users"]["province_a"]
    before = Person.objects.count()
    newcomer = Person(first_name="คนใหม่", subdistrict=world["sub_a"])
    services.people_bulk_create(actor=prov50, people=[(newcomer, make_valid("377700000011"), "")])
    assert Person.objects.count() == before + 1
    person = world["a_people"][1]
    services.people_bulk_update(actor=prov50, changes=[(person, {"last_name": "แก้หลายคน"})])
    person.refresh_from_db()
    assert person.last_name == "แก้หลายคน"
    with pytest.raises(PermissionDenied):
        services.people_bulk_update(actor=world["users"]["province_other"],
                                    changes=[(person, {"last_name": "ต่างจังหวัด"})])


def test_a_house_number_in_thai_digits_is_kept_as_people_search_for_it(world, system_user):
    """๗๗/๑ typed on the form (or in a file) is 77/1 in the record: a search for 77/1 finds it."""
    from chumchon.people import services as people_services

    person = people_services.person_create(actor=system_user, first_name="มะลิ", subdistrict=world["sub_a"],
                                           house_number=" ๗๗/๑ ")
    assert person.house_number == "77/1"
    people_services.person_update(actor=system_user, person=person, house_number="๑๒/๓")
    person.refresh_from_db()
    assert person.house_number == "12/3"
