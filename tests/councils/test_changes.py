"""Correcting a council and a registered organisation, and ending a member's term early: each has a page for those
who may change the council (another area's user gets 404), prefilled from the record; a good POST writes and
audits, a bad one shows every problem at once and writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from chumchon.core.models import AuditLog
from chumchon.core.thai.dates import format_date
from chumchon.councils import selectors, services
from chumchon.councils.models import CommunityOrganization, Council, CouncilMember

pytestmark = pytest.mark.django_db
D = datetime.date


def _be(day: datetime.date) -> str:
    """A date as the officer types it: dd/mm/B.E. year."""
    return format_date(day, "numeric", "th")


def _audits(action: str) -> int:
    return AuditLog.objects.filter(action=action).count()


def _register(world, council, name="กลุ่มออมทรัพย์บ้านหลวง", number="001", **extra):
    return services.organisation_register(actor=world["users"]["admin"], council=council, name_th=name,
                                          kind="savings", number=number, registered_on=D(2021, 3, 12), **extra)


def _seat(world, council, name="นายสมชาย ใจดี", start=None, **extra):
    return services.member_seat(actor=world["users"]["admin"], council=council, name=name,
                                term_start=start or D(2023, 1, 1), **extra)


# --- editing a council ------------------------------------------------------------------------------------------

COUNCIL_GOOD = {"name_th": "สภาองค์กรชุมชนตำบลบ้านหลวง", "kind": "city", "founded_on": "01/01/2553",
                "registration_number": "12/2553", "registered_on": "15/01/2553"}


def test_the_council_page_links_its_edit_page_for_those_who_may_change_it(world, councils, client, login):
    council = councils["a"]
    url = reverse("councils:council_edit", args=[council.code])
    login(world["users"]["council_a"])
    assert url in client.get(reverse("councils:council_detail", args=[council.code])).content.decode()
    login(world["users"]["regional_north"])  # reads the region: sees the council, changes nothing
    page = client.get(reverse("councils:council_detail", args=[council.code]))
    assert page.status_code == 200 and url not in page.content.decode()
    assert client.get(url).status_code == 404


def test_the_council_edit_page_is_prefilled(world, councils, client, login):
    council = councils["a"]
    services.council_update(actor=world["users"]["admin"], council=council, registration_number="7/2553",
                            registered_on=D(2010, 3, 5))
    login(world["users"]["council_a"])
    response = client.get(reverse("councils:council_edit", args=[council.code]))
    assert response.status_code == 200
    form = response.context["form"]
    assert {name: form[name].value() for name in form.fields} == {
        "name_th": "สภาองค์กรชุมชนตำบล A", "kind": "tambon", "founded_on": D(2010, 3, 1),
        "registration_number": "7/2553", "registered_on": D(2010, 3, 5)}
    body = response.content.decode()
    assert 'value="01/03/2553"' in body and 'value="05/03/2553"' in body and 'value="7/2553"' in body
    assert {"label": council.name, "url": reverse("councils:council_detail", args=[council.code])} \
        in response.context["breadcrumbs"]


def test_a_good_council_edit_changes_it_and_is_audited(world, councils, client, login):
    council = councils["a"]
    officer = world["users"]["council_a"]
    login(officer)
    response = client.post(reverse("councils:council_edit", args=[council.code]), COUNCIL_GOOD)
    assert response.status_code == 302 and response["Location"] == reverse("councils:council_detail",
                                                                           args=[council.code])
    council = Council.objects.select_related("organisation").get(pk=council.pk)
    assert (council.name, council.kind, council.founded_on, council.registration_number, council.registered_on) == (
        "สภาองค์กรชุมชนตำบลบ้านหลวง", "city", D(2010, 1, 1), "12/2553", D(2010, 1, 15))
    audit = AuditLog.objects.get(action="councils.council_update")
    assert audit.actor == officer and audit.object_id == str(council.pk)
    assert audit.data["before"] == {"name_th": "สภาองค์กรชุมชนตำบล A", "kind": "tambon", "founded_on": "2010-03-01",
                                    "registration_number": "", "registered_on": "None"}
    assert audit.data["after"]["founded_on"] == "2010-01-01" and audit.data["after"]["kind"] == "city"


def test_saving_the_council_unchanged_writes_no_audit_row(world, councils, client, login):
    council = councils["a"]
    login(world["users"]["council_a"])
    url = reverse("councils:council_edit", args=[council.code])
    unchanged = {"name_th": council.name, "kind": "tambon", "founded_on": "01/03/2553", "registration_number": "",
                 "registered_on": ""}
    assert client.post(url, unchanged).status_code == 302
    assert _audits("councils.council_update") == 0
    assert client.post(url, {**unchanged, "name_th": "  สภาใหม่  "}).status_code == 302
    audit = AuditLog.objects.get(action="councils.council_update")
    assert audit.data["before"] == {"name_th": "สภาองค์กรชุมชนตำบล A"} and audit.data["after"] == {"name_th": "สภาใหม่"}


def test_a_bad_council_edit_shows_every_problem_and_writes_nothing(world, councils, client, login):
    council = councils["a"]
    _seat(world, council, start=D(2012, 1, 1))
    login(world["users"]["council_a"])
    url = reverse("councils:council_edit", args=[council.code])
    # The service's problems: founded after the member's term began, and registered before that founding.
    response = client.post(url, {**COUNCIL_GOOD, "founded_on": "01/01/2557", "registered_on": "01/01/2556"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"founded_on", "registered_on"}, errors
    assert "มีข้อมูลของสภาตั้งแต่ 1 ม.ค. 2555" in errors["founded_on"][0]
    assert "(the council has records from 2012-01-01: it cannot be founded after that)" in errors["founded_on"][0]
    assert errors["registered_on"] == ["วันจดแจ้งจัดตั้งก่อนวันก่อตั้ง (registration is before founding)"]
    assert 'value="01/01/2557"' in response.content.decode()  # what was typed is kept
    # The form's problems, together: no name, a future founding date, a registration date that is no date.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {**COUNCIL_GOOD, "name_th": "", "founded_on": _be(tomorrow),
                                 "registered_on": "32/13/2553"})
    assert set(response.context["form"].errors) == {"name_th", "founded_on", "registered_on"}
    assert "อยู่ในอนาคต" in response.context["form"].errors["founded_on"][0]
    council = Council.objects.select_related("organisation").get(pk=council.pk)
    assert (council.name, council.kind, council.founded_on) == ("สภาองค์กรชุมชนตำบล A", "tambon", D(2010, 3, 1))
    assert _audits("councils.council_update") == 0


def test_the_council_edit_page_of_another_area_is_404(world, councils, client, login):
    council = councils["a"]
    url = reverse("councils:council_edit", args=[council.code])
    for user in ("province_other", "committee_b", "auditor"):
        login(world["users"][user])
        assert client.get(url).status_code == 404, user
        assert client.post(url, COUNCIL_GOOD).status_code == 404, user
    login(world["users"]["council_a"])  # council A's officer, at council B's page
    assert client.get(reverse("councils:council_edit", args=[councils["b"].code])).status_code == 404
    assert Council.objects.get(pk=council.pk).kind == "tambon" and _audits("councils.council_update") == 0


def test_council_update_gives_every_problem_at_once(world, councils):
    admin = world["users"]["admin"]
    _seat(world, councils["a"], start=D(2012, 1, 1))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.council_update(actor=admin, council=councils["a"], name_th=" ", founded_on=D(2013, 1, 1),
                                registered_on=tomorrow, kind="village")
    codes = {field: [e.code for e in errors] for field, errors in refused.value.error_dict.items()}
    assert codes == {"name_th": ["required"], "kind": ["kind"], "founded_on": ["after_records"],
                     "registered_on": ["future"]}


def test_a_subdistrict_keeps_one_tambon_council_when_one_is_edited(world, councils):
    """council_create refused a second tambon council in a subdistrict; changing a city council's kind did not."""
    admin = world["users"]["admin"]
    city = services.council_create(actor=admin, code="CC-500203-M", name_th="สภาองค์กรชุมชนเมือง",
                                   subdistrict=world["sub_a"], founded_on=D(2015, 1, 1), kind="city")
    with pytest.raises(ValidationError) as refused:
        services.council_update(actor=admin, council=city, kind="tambon")
    assert refused.value.error_dict["kind"][0].code == "duplicate_subdistrict"
    assert "CC-500203" in refused.value.message_dict["kind"][0]
    assert Council.objects.get(pk=city.pk).kind == "city"
    assert services.council_update(actor=admin, council=councils["a"], kind="tambon").kind == "tambon"  # unchanged


# --- editing a registered organisation ---------------------------------------------------------------------------

ORG_GOOD = {"kind": "occupation", "village_number": "5", "founded_on": "01/06/2560", "members_count": "52",
            "leaders": "นางสมศรี มีสุข (ประธาน)", "contact": "0812345678"}


def test_the_organisation_page_links_its_edit_page_for_those_who_may_change_it(world, councils, client, login):
    organization = _register(world, councils["a"]).organization
    edit = reverse("councils:organisation_edit", args=[councils["a"].code, organization.code])
    page = reverse("councils:organisation_detail", args=[organization.code])
    login(world["users"]["council_a"])
    assert edit in client.get(page).content.decode()
    login(world["users"]["regional_north"])
    assert client.get(page).status_code == 200 and edit not in client.get(page).content.decode()
    assert client.get(edit).status_code == 404


def test_the_organisation_edit_page_is_prefilled_contact_included(world, councils, client, login):
    """Only those who may change the organisation reach the page, and they see its contact anyway."""
    organization = _register(world, councils["a"], village_number=4, founded_on=D(2015, 6, 1), members_count=40,
                             leaders="นางสาวใจดี (ประธาน)", contact="0864452597").organization
    officer = world["users"]["council_a"]
    assert selectors.shows_contact(officer, organization)
    login(officer)
    response = client.get(reverse("councils:organisation_edit", args=[councils["a"].code, organization.code]))
    assert response.status_code == 200
    form = response.context["form"]
    assert {name: form[name].value() for name in form.fields} == {
        "kind": "savings", "village_number": 4, "founded_on": D(2015, 6, 1), "members_count": 40,
        "leaders": "นางสาวใจดี (ประธาน)", "contact": "0864452597"}
    body = response.content.decode()
    assert 'value="0864452597"' in body and 'value="01/06/2558"' in body and "กลุ่มออมทรัพย์บ้านหลวง" in body
    labels = [c["label"] for c in response.context["breadcrumbs"]]
    assert labels[-3:] == [councils["a"].name, "กลุ่มออมทรัพย์บ้านหลวง", response.context["title"]]


def test_a_good_organisation_edit_changes_it_and_is_audited(world, councils, client, login):
    organization = _register(world, councils["a"], members_count=40).organization
    officer = world["users"]["council_a"]
    login(officer)
    response = client.post(reverse("councils:organisation_edit", args=[councils["a"].code, organization.code]),
                           ORG_GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("councils:organisation_detail", args=[organization.code])
    organization = CommunityOrganization.objects.get(pk=organization.pk)
    assert (organization.kind, organization.village_number, organization.founded_on, organization.members_count,
            organization.leaders, organization.contact) == ("occupation", 5, D(2017, 6, 1), 52,
                                                            "นางสมศรี มีสุข (ประธาน)", "0812345678")
    audit = AuditLog.objects.get(action="councils.organisation_update")
    assert audit.actor == officer
    assert audit.data["fields"] == ["contact", "founded_on", "kind", "leaders", "members_count", "village_number"]
    assert audit.data["after"] == {"kind": "occupation", "village_number": "5", "founded_on": "2017-06-01",
                                   "members_count": "52"}  # the leaders' names and phone are not copied
    assert "0812345678" not in str(audit.data) + audit.summary


def test_a_bad_organisation_edit_shows_every_problem_and_writes_nothing(world, councils, client, login):
    organization = _register(world, councils["a"], members_count=40).organization
    login(world["users"]["council_a"])
    url = reverse("councils:organisation_edit", args=[councils["a"].code, organization.code])
    response = client.post(url, {**ORG_GOOD, "village_number": "120", "members_count": "-3", "founded_on": "ไม่รู้"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"village_number", "members_count", "founded_on"}
    # Founded after it registered (12 Mar 2021): the service's problem, by its field, the rest not written.
    response = client.post(url, {**ORG_GOOD, "founded_on": "01/06/2565"})
    assert response.context["form"].errors["founded_on"] == [
        "วันก่อตั้งองค์กรหลังวันจดแจ้ง (12 มี.ค. 2564) (the organisation was founded after it registered on 2021-03-12)"]
    assert 'value="52"' in response.content.decode()
    organization = CommunityOrganization.objects.get(pk=organization.pk)
    assert (organization.kind, organization.members_count, organization.founded_on) == ("savings", 40, None)
    assert _audits("councils.organisation_update") == 0


def test_the_organisation_edit_page_of_another_area_is_404(world, councils, client, login):
    a = _register(world, councils["a"]).organization
    b = _register(world, councils["b"], name="กลุ่มขอนแก่น", number="002").organization
    url = reverse("councils:organisation_edit", args=[councils["a"].code, a.code])
    for user in ("province_other", "committee_b", "auditor"):
        login(world["users"][user])
        assert client.get(url).status_code == 404, user
        assert client.post(url, ORG_GOOD).status_code == 404, user
    login(world["users"]["council_a"])
    # council B's organisation, under council A's address (not registered with A), or under council B's
    assert client.get(reverse("councils:organisation_edit", args=[councils["a"].code, b.code])).status_code == 404
    assert client.get(reverse("councils:organisation_edit", args=[councils["b"].code, b.code])).status_code == 404
    assert CommunityOrganization.objects.get(pk=a.pk).kind == "savings"
    assert _audits("councils.organisation_update") == 0


def test_organisation_update_gives_every_problem_at_once(world, councils):
    reg = _register(world, councils["a"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.organisation_update(actor=world["users"]["council_a"], council=councils["a"],
                                     organization=reg.organization, kind="club", village_number=0, members_count=-1,
                                     founded_on=tomorrow)
    codes = {field: [e.code for e in errors] for field, errors in refused.value.error_dict.items()}
    assert codes == {"kind": ["kind"], "village_number": ["village_number"], "members_count": ["members_count"],
                     "founded_on": ["future", "founded_after"]}


# --- ending a member's term early --------------------------------------------------------------------------------


def test_the_council_page_lists_members_serving_and_former_and_links_the_end_of_a_term(world, councils, client,
                                                                                         login):
    council = councils["a"]
    today = timezone.localdate()
    serving = _seat(world, council, "นายยังอยู่")
    former = _seat(world, council, "นายพ้นวาระ", start=D(2019, 1, 1), term_end=D(2022, 12, 31))
    coming = _seat(world, council, "นายรอวาระ", start=today + datetime.timedelta(days=30))
    login(world["users"]["council_a"])
    response = client.get(reverse("councils:council_detail", args=[council.code]))
    assert ([m.name for m in response.context["members_serving"]], [m.name for m in response.context["members_past"]],
            [m.name for m in response.context["members_coming"]]) == (["นายยังอยู่"], ["นายพ้นวาระ"], ["นายรอวาระ"])
    body = response.content.decode()
    assert reverse("councils:member_term_end", args=[council.code, serving.pk]) in body
    for member in (former, coming):
        assert reverse("councils:member_term_end", args=[council.code, member.pk]) not in body
    assert "นายพ้นวาระ" in body.split("อดีตสมาชิก")[1]
    login(world["users"]["regional_north"])
    assert "/members/" not in client.get(reverse("councils:council_detail", args=[council.code])).content.decode()


def test_the_term_end_page_names_the_member_and_ends_the_term(world, councils, client, login):
    council = councils["a"]
    member = _seat(world, council, "นางสาวลาออก", position="secretary")
    officer = world["users"]["council_a"]
    login(officer)
    url = reverse("councils:member_term_end", args=[council.code, member.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "นางสาวลาออก" in page.context["title"] and "1 ม.ค. 2566" in page.content.decode()
    assert page.context["form"]["on"].value() is None and page.context["form"]["reason"].value() is None
    response = client.post(url, {"on": "30/06/2567", "reason": "ลาออก"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.term_end == D(2024, 6, 30)
    audit = AuditLog.objects.get(action="councils.member_term_end")
    assert audit.actor == officer and audit.object_id == str(member.pk)
    assert audit.data == {"on": "2024-06-30", "planned_end": "", "reason": "ลาออก"} and "ลาออก" in audit.summary
    body = client.get(reverse("councils:council_detail", args=[council.code])).content.decode()
    assert "นางสาวลาออก" in body.split("อดีตสมาชิก")[1]
    # The secretary's seat is free from the next day.
    _seat(world, council, "นายเลขาคนใหม่", start=D(2024, 7, 1), position="secretary")
    assert client.get(url).status_code == 404  # ended: no second time


def test_a_bad_term_end_shows_every_problem_and_writes_nothing(world, councils, client, login):
    member = _seat(world, councils["a"], term_end=D(2027, 12, 31))
    login(world["users"]["council_a"])
    url = reverse("councils:member_term_end", args=[councils["a"].code, member.pk])
    response = client.post(url, {"on": "", "reason": " "})  # the form's problems together
    assert response.status_code == 200 and set(response.context["form"].errors) == {"on", "reason"}
    response = client.post(url, {"on": "31/12/2565", "reason": "ลาออก"})  # before the term started
    assert response.context["form"].errors == {"on": [
        "วันสิ้นสุดวาระก่อนวันเริ่มวาระ (1 ม.ค. 2566) (the term end is before the term started on 2023-01-01)"]}
    assert 'value="31/12/2565"' in response.content.decode() and 'value="ลาออก"' in response.content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert "อยู่ในอนาคต" in client.post(url, {"on": _be(tomorrow), "reason": "ลาออก"}).context["form"].errors["on"][0]
    member.refresh_from_db()
    assert member.term_end == D(2027, 12, 31) and _audits("councils.member_term_end") == 0


def test_the_term_end_page_of_another_area_is_404(world, councils, client, login):
    member = _seat(world, councils["a"])
    url = reverse("councils:member_term_end", args=[councils["a"].code, member.pk])
    for user in ("province_other", "committee_b", "auditor", "regional_north"):
        login(world["users"][user])
        assert client.get(url).status_code == 404, user
        assert client.post(url, {"on": "30/06/2567", "reason": "ลาออก"}).status_code == 404, user
    login(world["users"]["council_a"])  # council A's member under council B's address
    assert client.get(reverse("councils:member_term_end", args=[councils["b"].code, member.pk])).status_code == 404
    member.refresh_from_db()
    assert member.term_end is None and _audits("councils.member_term_end") == 0


def test_member_term_end_rules(world, councils):
    officer = world["users"]["council_a"]
    member = _seat(world, councils["a"])
    today = timezone.localdate()

    def refused(**kwargs) -> dict:
        with pytest.raises(ValidationError) as caught:
            services.member_term_end(actor=officer, member=member, **{"on": today, "reason": "ลาออก", **kwargs})
        return {field: [e.code for e in errors] for field, errors in caught.value.error_dict.items()}

    assert refused(on=today + datetime.timedelta(days=1)) == {"on": ["future"]}  # a day that has not come
    assert refused(on=D(2022, 12, 31), reason=" ") == {"on": ["before_term_start"], "reason": ["required"]}
    with pytest.raises(PermissionDenied):
        services.member_term_end(actor=world["users"]["committee_b"], member=member, on=today, reason="ลาออก")
    ended = services.member_term_end(actor=officer, member=member, on=D(2025, 5, 31), reason="เสียชีวิต")
    assert ended.term_end == D(2025, 5, 31) and not ended.serves_on(today)
    assert refused(on=D(2025, 6, 30)) == {"on": ["ended"]}  # twice
    with pytest.raises(ValidationError) as twice:
        services.member_term_end(actor=officer, member=member, on=D(2025, 4, 30), reason="ลาออก")
    assert twice.value.message_dict["on"] == ["วาระของ นายสมชาย ใจดี สิ้นสุดแล้วเมื่อ 31 พ.ค. 2568 (the term of "
                                              "นายสมชาย ใจดี ended already on 2025-05-31)"]
    assert CouncilMember.objects.get(pk=member.pk).term_end == D(2025, 5, 31)
    assert _audits("councils.member_term_end") == 1


def test_the_audit_log_links_a_member_to_the_councils_members(world, councils):
    from types import SimpleNamespace

    from chumchon.core.audit_links import urls_for

    member = _seat(world, councils["a"])
    rows = [SimpleNamespace(object_type="councils.councilmember", object_id=str(member.pk))]
    url = reverse("councils:council_detail", args=[councils["a"].code]) + "#members"
    assert urls_for(rows, world["users"]["council_a"]) == {("councils.councilmember", str(member.pk)): url}
    assert urls_for(rows, world["users"]["province_other"]) == {}
