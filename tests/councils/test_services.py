"""Council services: registering organisations, meetings, members, proposals and plans — and the bad input that
must be refused with a clear message and nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from chumchon.core.models import AuditLog, Organisation
from chumchon.councils import services
from chumchon.councils.models import CommunityOrganization, Meeting, Registration

pytestmark = pytest.mark.django_db
D = datetime.date


def _register(actor, council, name="กลุ่มออมทรัพย์บ้านหลวง", number="001", on=None):
    return services.organisation_register(actor=actor, council=council, name_th=name, kind="savings",
                                          number=number, registered_on=on or D(2020, 1, 10),
                                          members_count=40)


def test_council_officer_registers_an_organisation(world, councils):
    officer = world["users"]["council_a"]
    reg = _register(officer, councils["a"])
    assert reg.organization.organisation.kind == Organisation.Kind.COMMUNITY_ORGANISATION
    assert reg.organization.organisation.subdistrict == world["sub_a"]
    assert reg.organization.code == "CO-500203-0001"
    assert AuditLog.objects.filter(action="councils.registration_create", actor=officer).exists()


def test_organisation_update_corrects_the_register_and_is_audited(world, councils):
    officer = world["users"]["council_a"]
    reg = _register(officer, councils["a"], "กลุ่มออมทรัพย์บ้านหนองบัว", "001")
    org = services.organisation_update(actor=officer, council=councils["a"], organization=reg.organization,
                                       members_count=42, leaders="นางสมศรี")
    org.refresh_from_db()
    assert (org.members_count, org.leaders) == (42, "นางสมศรี")
    audit = AuditLog.objects.filter(action="councils.organisation_update").latest("id")
    assert audit.data["before"]["members_count"] == "40" and audit.data["after"]["members_count"] == "42"
    assert audit.data["fields"] == ["leaders", "members_count"] and "leaders" not in audit.data["after"]
    with pytest.raises(ValidationError) as bad:
        services.organisation_update(actor=officer, council=councils["a"], organization=reg.organization, kind="club")
    assert "kind" in bad.value.message_dict
    with pytest.raises(ValidationError):
        services.organisation_update(actor=officer, council=councils["a"], organization=reg.organization,
                                     name_th="ชื่อใหม่")
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=world["users"]["committee_b"], council=councils["a"],
                                     organization=reg.organization, members_count=1)
    with pytest.raises(ValidationError):  # registered with A, not with B
        services.organisation_update(actor=world["users"]["admin"], council=councils["b"],
                                     organization=reg.organization, members_count=1)


def test_organisation_registered_twice_in_the_same_council_is_refused(world, councils):
    officer = world["users"]["council_a"]
    reg = _register(officer, councils["a"])
    orgs_before, regs_before = CommunityOrganization.objects.count(), Registration.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=officer, council=councils["a"], organization=reg.organization,
                                     number="002", registered_on=D(2021, 1, 1))
    assert "จดแจ้งกับสภานี้แล้ว" in str(exc.value) and "already registered" in str(exc.value)
    assert exc.value.error_dict["organization"][0].code == "registered_twice"
    with pytest.raises(ValidationError) as exc:  # the same name typed again on the register form
        _register(officer, councils["a"], number="003")
    assert "already registered" in str(exc.value)
    assert (CommunityOrganization.objects.count(), Registration.objects.count()) == (orgs_before, regs_before)


def test_the_database_refuses_a_second_live_registration(world, councils):
    reg = _register(world["users"]["council_a"], councils["a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(council=councils["a"], organization=reg.organization, number="099",
                                    registered_on=D(2021, 1, 1))


def test_deregistered_organisation_may_register_again(world, councils):
    officer = world["users"]["council_a"]
    reg = _register(officer, councils["a"])
    services.registration_end(actor=officer, registration=reg, on=D(2022, 1, 1), reason="ยุบกลุ่ม")
    again = services.registration_create(actor=officer, council=councils["a"], organization=reg.organization,
                                         number="010", registered_on=D(2023, 1, 1))
    assert again.is_live and not Registration.objects.get(pk=reg.pk).is_live


def test_registration_number_unique_in_council(world, councils):
    officer = world["users"]["council_a"]
    _register(officer, councils["a"])
    with pytest.raises(ValidationError, match="taken in this council"):
        _register(officer, councils["a"], name="กลุ่มอาชีพ", number="001")


def test_registration_before_the_council_existed_is_refused(world, councils):
    with pytest.raises(ValidationError, match="before the council was founded"):
        _register(world["users"]["council_a"], councils["a"], on=D(2009, 1, 1))
    assert not CommunityOrganization.objects.exists()


def test_meeting_before_the_council_existed_is_refused(world, councils):
    officer = world["users"]["council_a"]
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(actor=officer, council=councils["a"], date=D(2010, 2, 28), attendees=20,
                                agenda="วาระที่ 1")
    message = str(exc.value)
    assert "ก่อนวันก่อตั้งสภา" in message and "before the council was founded" in message
    assert exc.value.error_dict["date"][0].code == "before_council"
    assert not Meeting.objects.exists()


def test_meeting_recorded_with_minutes(world, councils, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    officer = world["users"]["council_a"]
    minutes = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    meeting = services.meeting_record(actor=officer, council=councils["a"], date=D(2024, 5, 1), attendees=25,
                                      agenda="1. แผนชุมชน", resolutions="เห็นชอบแผน", minutes=minutes)
    assert meeting.minutes.name.startswith("councils/minutes/")


def test_meeting_attendance_cannot_exceed_serving_members(world, councils):
    officer = world["users"]["council_a"]
    for i in range(3):
        services.member_seat(actor=officer, council=councils["a"], name=f"สมาชิก {i}", term_start=D(2023, 1, 1),
                             term_end=D(2026, 12, 31))
    with pytest.raises(ValidationError, match="only 3 members serve"):
        services.meeting_record(actor=officer, council=councils["a"], date=D(2024, 5, 1), attendees=4, agenda="x")


def test_head_counts_beyond_any_tambon_are_refused_naming_the_field(world, councils):
    """35,000,000,000 members (a pasted ID) or 10^20 present would not fit a PostgreSQL integer (SQLite refused
    the second with a 500): each is refused with its field's Thai (English) message, and nothing is written."""
    officer = world["users"]["council_a"]
    with pytest.raises(ValidationError) as exc:
        services.organisation_register(actor=officer, council=councils["a"], name_th="กลุ่มใหญ่เกิน", kind="other",
                                       number="9", registered_on=D(2020, 1, 10), members_count=35_000_000_000)
    assert exc.value.message_dict["members_count"] == [
        "จำนวนสมาชิกต้องไม่เกิน 1,000,000 คน แต่ได้ 35,000,000,000 "
        "(the number of members can be at most 1,000,000, not 35,000,000,000)"]
    assert not CommunityOrganization.objects.exists()
    reg = _register(officer, councils["a"])
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(actor=officer, council=councils["a"], organization=reg.organization,
                                     members_count=35_000_000_000)
    assert exc.value.error_dict["members_count"][0].code == "too_large"
    reg.organization.refresh_from_db()
    assert reg.organization.members_count == 40
    services.organisation_update(actor=officer, council=councils["a"], organization=reg.organization,
                                 members_count=1_000_000)  # the largest taken
    with pytest.raises(ValidationError) as exc:  # a council with no members recorded: no serving count to check
        services.meeting_record(actor=officer, council=councils["a"], date=D(2024, 5, 1), attendees=10**20,
                                agenda="x")
    assert "(the number of members present can be at most 1,000,000" in exc.value.message_dict["attendees"][0]
    assert not Meeting.objects.exists()


def test_meeting_attendance_by_name_and_the_quorum(world, councils, client, login):
    """Five members serve on 1 May 2024 (one left in 2023, one starts in 2025). Three ticked by name: the count is
    three, at least half of five — a quorum; two would not be. A name not serving that day is refused, as is a count
    that differs from the names; every problem at once, nothing written."""
    from django.urls import reverse

    officer = world["users"]["council_a"]
    council = councils["a"]
    seat = lambda name, start, end: services.member_seat(  # noqa: E731
        actor=officer, council=council, name=name, term_start=start, term_end=end)
    serving = [seat(f"สมาชิก {i}", D(2023, 1, 1), D(2026, 12, 31)) for i in range(5)]
    gone = seat("ออกแล้ว", D(2019, 1, 1), D(2023, 3, 31))
    later = seat("ยังไม่เริ่ม", D(2025, 1, 1), D(2028, 12, 31))
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(actor=officer, council=council, date=D(2024, 5, 1), attendees=4, agenda="",
                                present=[serving[0], gone, later])
    assert set(exc.value.error_dict) == {"present", "attendees", "agenda"}
    assert "ออกแล้ว" in exc.value.message_dict["present"][0] and "ยังไม่เริ่ม" in exc.value.message_dict["present"][0]
    assert not Meeting.objects.exists()
    meeting = services.meeting_record(actor=officer, council=council, date=D(2024, 5, 1), attendees=None,
                                      agenda="วาระที่ 1", present=serving[:3])
    assert meeting.attendees == 3 and set(meeting.present.all()) == set(serving[:3])
    assert meeting.quorum() == (5, True)
    two = services.meeting_record(actor=officer, council=council, date=D(2024, 6, 1), attendees=2, agenda="วาระ")
    assert two.quorum() == (5, False) and not two.present.exists()
    login(officer)
    page = client.get(reverse("councils:meeting_detail", args=[council.code, meeting.pk]))
    assert page.context["quorate"] and "สมาชิก 0" in page.content.decode()
    form = client.get(reverse("councils:meeting_create", args=[council.code])).context["form"]
    names = [m.name for m in form.fields["present"].queryset]
    assert "สมาชิก 0" in names and "ยังไม่เริ่ม" in names
    response = client.post(reverse("councils:meeting_create", args=[council.code]), {
        "date": "1/7/2567", "kind": "ordinary", "agenda": "วาระ", "present": [serving[3].pk, serving[4].pk]})
    assert response.status_code == 302
    assert Meeting.objects.get(date=D(2024, 7, 1)).attendees == 2


def test_other_area_officer_cannot_write(world, councils):
    with pytest.raises(PermissionDenied):
        services.meeting_record(actor=world["users"]["council_a"], council=councils["b"], date=D(2024, 5, 1),
                                attendees=5, agenda="x")
    with pytest.raises(PermissionDenied):
        _register(world["users"]["committee_a"], councils["a"])


def test_officer_position_held_once_per_term(world, councils):
    officer = world["users"]["council_a"]
    services.member_seat(actor=officer, council=councils["a"], name="ประธาน 1", position="chair",
                         term_start=D(2023, 1, 1), term_end=D(2026, 12, 31))
    with pytest.raises(ValidationError, match="already holds the position") as caught:
        services.member_seat(actor=officer, council=councils["a"], name="ประธาน 2", position="chair",
                             term_start=D(2024, 1, 1))
    assert "ประธาน 1 ดำรงตำแหน่งประธาน" in caught.value.messages[0]  # who holds it, and their term


def test_members_listed_chair_first_then_vice_chair_secretary_treasurer_members(world, councils):
    from chumchon.councils import selectors

    officer = world["users"]["council_a"]
    for name, position in [("ก สมาชิก", "member"), ("ข เหรัญญิก", "treasurer"), ("ค รองประธาน", "vice_chair"),
                           ("ง เลขานุการ", "secretary"), ("จ ประธาน", "chair")]:
        services.member_seat(actor=officer, council=councils["a"], name=name, position=position,
                             term_start=D(2023, 1, 1))
    listed = [m.position for m in selectors.council_members(officer, councils["a"])]
    assert listed == ["chair", "vice_chair", "secretary", "treasurer", "member"]


def test_proposal_and_follow_up(world, councils):
    officer = world["users"]["council_a"]
    proposal = services.proposal_send(actor=officer, council=councils["a"], title="ขอถนนเข้าหมู่บ้าน",
                                      agency="อบต.", sent_on=D(2024, 2, 1))
    services.proposal_follow_up(actor=officer, proposal=proposal, date=D(2024, 6, 1), status="accepted",
                                note="บรรจุในแผน")
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.follow_ups.count() == 1
    with pytest.raises(ValidationError, match="before the proposal was sent"):
        services.proposal_follow_up(actor=officer, proposal=proposal, date=D(2024, 1, 1), status="done")


def test_plan_items_and_links(world, councils):
    from chumchon.geo import services as geo_services

    officer = world["users"]["council_a"]
    sao = geo_services.local_administration_create(actor=world["users"]["admin"], subdistrict=world["sub_a"],
                                                   name_th="อบต.ทดสอบ", kind="sao")
    plan = services.plan_create(actor=officer, subdistrict=world["sub_a"], fiscal_year=2569, title="แผน 2569",
                                council=councils["a"])
    item = services.plan_item_add(actor=officer, plan=plan, issue="น้ำ", activity="ขุดลอกคลอง",
                                  budget_needed=Decimal("150000"))
    second = services.plan_item_add(actor=officer, plan=plan, issue="อาชีพ", activity="อบรม",
                                    budget_needed=Decimal("20000"))
    assert (item.number, second.number) == (1, 2)
    link = services.plan_item_link(actor=officer, item=item, agency_kind="local", local_administration=sao,
                                   amount=Decimal("120000"), fiscal_year=2569)
    assert link.agency_name == "อบต.ทดสอบ"
    with pytest.raises(ValidationError, match="choose the local administration"):
        services.plan_item_link(actor=officer, item=item, agency_kind="local", amount=Decimal(1), fiscal_year=2569)
    with pytest.raises(ValidationError, match="has a plan for FY 2569 already"):
        services.plan_create(actor=officer, subdistrict=world["sub_a"], fiscal_year=2569, title="ซ้ำ")
    with pytest.raises(ValidationError, match="not a B.E. year"):
        services.plan_create(actor=officer, subdistrict=world["sub_a"], fiscal_year=2026, title="ค.ศ.")


def test_a_tambon_has_one_tambon_council(world, councils):
    """A second council entered in a subdistrict that has one made the area count two (and the report 125 % of
    local administrations covered)."""
    from django.core.exceptions import ValidationError

    from chumchon.councils import services

    with pytest.raises(ValidationError) as caught:
        services.council_create(actor=world["users"]["admin"], code="CC-500299", name_th="สภาซ้ำ",
                                subdistrict=world["sub_a"], founded_on=datetime.date(2020, 1, 1))
    error = caught.value.error_dict["subdistrict"][0]
    assert error.code == "duplicate_subdistrict" and "CC-500203" in error.message


def test_a_plan_looks_at_most_five_years_ahead(world, councils):
    from django.utils import timezone

    from chumchon.core.thai.fiscal import fiscal_year_of

    running = fiscal_year_of(timezone.localdate()).be_year
    admin = world["users"]["admin"]
    with pytest.raises(ValidationError) as caught:
        services.plan_create(actor=admin, subdistrict=world["sub_a"], fiscal_year=2700, title="แผนไกล",
                             council=councils["a"])
    assert caught.value.error_dict["fiscal_year"][0].code == "too_far_ahead"
    assert services.plan_create(actor=admin, subdistrict=world["sub_a"], fiscal_year=running + 5, title="แผน 5 ปี",
                                council=councils["a"]).fiscal_year == running + 5


@pytest.mark.parametrize("village", [0, 100])
def test_a_village_number_outside_1_to_99_is_refused_at_registration(world, councils, village):
    """The update already refused it; registering took หมู่ 0 or 100 as given."""
    officer = world["users"]["council_a"]
    with pytest.raises(ValidationError) as exc:
        services.organisation_register(actor=officer, council=councils["a"], name_th="กลุ่มออมทรัพย์", kind="other",
                                       number="9", registered_on=D(2020, 1, 10), village_number=village)
    assert exc.value.message_dict["village_number"] == ["หมู่ที่ต้องอยู่ระหว่าง 1 ถึง 99 (the village number must be 1 to 99)"]
    assert not CommunityOrganization.objects.exists()
