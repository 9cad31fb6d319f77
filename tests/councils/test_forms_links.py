"""What the council reviewer missed on the forms and pages: a member says which organisation they represent, a
proposal which meeting resolved it, the registration form offers the next number, and the organisation and
subdistrict pages lead to their council."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chumchon.councils import selectors, services
from chumchon.councils.models import CouncilMember, Proposal

pytestmark = pytest.mark.django_db
D = datetime.date


def _register(council, name, number, officer):
    return services.organisation_register(actor=officer, council=council, name_th=name, kind="savings",
                                          number=number, registered_on=D(2020, 1, 10), members_count=40)


def test_a_member_represents_an_organisation_chosen_from_the_councils(world, councils, client, login):
    officer = world["users"]["council_a"]
    reg = _register(councils["a"], "กลุ่มออมทรัพย์บ้านหลวง", "001", officer)
    login(officer)
    url = reverse("councils:member_add", args=[councils["a"].code])
    assert "กลุ่มออมทรัพย์บ้านหลวง" in client.get(url).content.decode()
    response = client.post(url, {"name": "นายผู้แทน", "kind": "representative", "position": "member",
                                 "represents": reg.organization.pk, "term_start": "01/01/2566"})
    assert response.status_code == 302
    assert CouncilMember.objects.get(name="นายผู้แทน").represents == reg.organization


def test_a_proposal_names_the_meeting_that_resolved_it(world, councils, client, login):
    officer = world["users"]["council_a"]
    for i in range(3):
        services.member_seat(actor=officer, council=councils["a"], name=f"สมาชิก {i}", term_start=D(2023, 1, 1))
    meeting = services.meeting_record(actor=officer, council=councils["a"], date=D(2024, 5, 1), attendees=3,
                                      agenda="1. ถนน", resolutions="เสนอ อบต.")
    with pytest.raises(ValidationError) as caught:  # sent before the meeting that resolved it
        services.proposal_send(actor=officer, council=councils["a"], title="ถนน", agency="อบต.",
                               sent_on=D(2024, 4, 1), meeting=meeting)
    assert caught.value.error_dict["sent_on"][0].code == "before_meeting"
    login(officer)
    url = reverse("councils:proposal_create", args=[councils["a"].code])
    assert "1 พ.ค. 2567" in client.get(url).content.decode()
    assert client.post(url, {"title": "ขอถนน", "agency": "อบต.", "sent_on": "02/05/2567",
                             "meeting": meeting.pk}).status_code == 302
    assert Proposal.objects.get(title="ขอถนน").meeting == meeting


def test_the_registration_form_offers_the_next_number(world, councils, client, login):
    officer = world["users"]["council_a"]
    assert selectors.next_registration_number(councils["a"]) == "001"
    for number in ("001", "012", "ก-3"):
        _register(councils["a"], f"กลุ่ม {number}", number, officer)
    assert selectors.next_registration_number(councils["a"]) == "013"
    login(officer)
    page = client.get(reverse("councils:organisation_register", args=[councils["a"].code])).content.decode()
    assert 'value="013"' in page


def test_the_organisation_and_subdistrict_pages_lead_to_the_council(world, councils, client, login):
    officer = world["users"]["council_a"]
    reg = _register(councils["a"], "กลุ่มออมทรัพย์บ้านหลวง", "001", officer)
    login(world["users"]["province_a"])
    council_url = reverse("councils:council_detail", args=[councils["a"].code])
    org_page = client.get(reverse("councils:organisation_detail", args=[reg.organization.organisation.code]))
    assert f'href="{council_url}"' in org_page.content.decode()
    sub_page = client.get(reverse("geo:subdistrict", args=["500203"])).content.decode()
    assert f'href="{council_url}"' in sub_page
