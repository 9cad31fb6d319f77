"""People pages: bad input gets a Thai-first message naming the field, and nothing is saved."""

import pytest
from django.urls import reverse

from chumchon.people.models import Person, PersonalDataAccess

pytestmark = pytest.mark.django_db


def _form(**over):
    data = {"title": "นาย", "first_name": "ทดสอบ", "last_name": "ระบบ", "national_id": "", "birth_date": "1/1/2530",
            "sex": "M", "house_number": "9", "village_number": "3", "subdistrict": "500203", "phone": "", "email": ""}
    data.update(over)
    return data


def test_committee_registers_a_person_with_a_be_birth_date(world, client, login):
    login(world["users"]["committee_a"])
    response = client.post(reverse("people:person_create"), _form(national_id="1-1017-00230-70-8"))
    assert response.status_code == 302
    person = Person.objects.get(first_name="ทดสอบ")
    assert person.birth_date.isoformat() == "1987-01-01"
    assert person.registered_by == world["fund_a"].organisation
    # The new person is visible to the fund that registered them.
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("field, value, th, en", [
    ("national_id", "1101700230705", "เลขประจำตัวประชาชน", "national ID"),
    ("birth_date", "31/2/2530", "กุมภาพันธ์", "February"),
    ("birth_date", "1/1/2300", "", "year"),
    ("subdistrict", "999999", "ไม่พบรหัสตำบล", "unknown subdistrict code"),
])
def test_bad_input_names_the_field_and_saves_nothing(world, client, login, field, value, th, en):
    login(world["users"]["committee_a"])
    response = client.post(reverse("people:person_create"), _form(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert th in errors[field][0] and en in errors[field][0]
    assert not Person.objects.filter(first_name="ทดสอบ").exists()


def test_duplicate_person_is_refused_on_the_form(world, client, login):
    login(world["users"]["committee_a"])
    existing = world["a_people"][0].personal_data.national_id
    response = client.post(reverse("people:person_create"), _form(national_id=existing))
    assert "already registered" in response.context["form"].errors["national_id"][0]


def test_detail_shows_masked_id_and_reveal_logs(world, client, login):
    person = world["a_people"][1]
    nid = person.personal_data.national_id
    login(world["users"]["committee_a"])
    body = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert nid not in body and f"{nid[-3:-1]}-{nid[-1]}" in body
    response = client.post(reverse("people:person_reveal", args=[person.pk]), {"purpose": "จ่ายสวัสดิการ"})
    assert nid[:1] in response.content.decode() and response.status_code == 200
    assert PersonalDataAccess.objects.filter(person=person, actor=world["users"]["committee_a"]).count() == 1
    from chumchon.core.models import AuditLog

    assert AuditLog.objects.filter(action="people.personal_data_reveal", object_id=str(person.pk)).count() == 1


def test_export_is_json_and_asks_why(world, client, login):
    login(world["users"]["auditor"])
    url = reverse("people:person_export", args=[world["a_people"][0].pk])
    assert client.get(url).status_code == 405  # a link exported without a reason
    refused = client.post(url, {"purpose": ""}, follow=True)
    assert "เหตุผล" in refused.content.decode() and not PersonalDataAccess.objects.exists()
    response = client.post(url, {"purpose": "ตรวจสอบบัญชี"})
    assert response["Content-Type"] == "application/json"
    assert response.json()["format"] == "chumchon.person.v1"


def test_a_member_downloads_their_own_data_from_my_record(world, client, login):
    member = world["users"]["member"]
    login(member)
    page = client.get(reverse("welfare:my_record")).content.decode()
    assert reverse("people:my_data_export") in page
    response = client.post(reverse("people:my_data_export"))
    assert response.json()["person"]["id"] == member.person_id
    assert client.get(reverse("people:my_data_export")).status_code == 405


def test_a_full_national_id_finds_a_person_only_for_those_who_may_see_personal_data(world, client, login):
    """The provincial secretariat could type an ID and learn whose it is (name and address): the ID search is
    reading personal data. By name they still find the people of their area."""
    from django.urls import reverse

    person = world["a_people"][1]
    nid = person.personal_data.national_id
    login(world["users"]["province_a"])
    by_id = client.get(reverse("people:person_list"), {"q": nid}).content.decode()
    assert person.first_name not in by_id
    assert person.first_name in client.get(reverse("people:person_list"), {"q": person.first_name}).content.decode()
    login(world["users"]["committee_a"])
    assert person.first_name in client.get(reverse("people:person_list"), {"q": nid}).content.decode()
    # typed in Thai digits with dashes, as on a paper form: the same person
    thai = "-".join([nid[0], nid[1:5], nid[5:10], nid[10:12], nid[12]]).translate(str.maketrans("0123456789",
                                                                                                "๐๑๒๓๔๕๖๗๘๙"))
    assert person.first_name in client.get(reverse("people:person_list"), {"q": thai}).content.decode()


def test_the_person_page_lists_only_the_memberships_the_user_may_see(world, client, login, system_user):
    """A member of fund B who moved to fund A: fund B's committee sees its own (ended) membership on the person's
    page, not the membership of fund A (fund A's record, whose page is 404 for it); fund A's committee the other
    way round, and the provincial secretariat of Khon Kaen (where the person lives) only fund B's."""
    import datetime

    from chumchon.welfare import services as welfare

    person = world["b_people"][1]
    welfare.membership_end(actor=system_user, membership=person.memberships.get(), status="transferred",
                           on=datetime.date(2021, 5, 31))
    welfare.membership_enrol(actor=system_user, fund=world["fund_a"], person=person, member_number="A-777",
                             joined_on=datetime.date(2021, 6, 1))
    url = reverse("people:person_detail", kwargs={"pk": person.pk})

    def funds(user):
        login(user)
        response = client.get(url)
        assert response.status_code == 200
        return sorted(m.fund.code for m in response.context["memberships"]), response.content.decode()

    codes, body = funds(world["users"]["committee_b"])
    assert codes == ["B-001"] and "กองทุนสวัสดิการชุมชน A" not in body and "A-777" not in body
    assert funds(world["users"]["committee_a"])[0] == ["A-001"]
    assert funds(world["users"]["province_other"])[0] == ["B-001"]
    assert funds(world["users"]["auditor"])[0] == ["A-001", "B-001"]
