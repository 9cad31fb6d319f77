"""Council pages: other areas' rows never show, list pages keep a constant number of queries, forms refuse bad
input with the service's message, and minutes are served only in scope."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from chumchon.councils import services
from chumchon.councils.models import Meeting

pytestmark = pytest.mark.django_db
D = datetime.date
LISTS = ["councils:council_list", "councils:organisation_list", "councils:plan_list", "councils:area_summary"]


def _fill(world, councils, n: int, prefix: str):
    admin = world["users"]["admin"]
    for key in ("a", "b"):
        council = councils[key]
        for i in range(n):
            reg = services.organisation_register(actor=admin, council=council, name_th=f"{prefix}กลุ่ม{key}{i}",
                                                 kind="savings", number=f"{prefix}{i}", registered_on=D(2020, 1, 1))
            services.member_seat(actor=admin, council=council, name=f"{prefix}สมาชิก{key}{i}",
                                 term_start=D(2024, 1, 1), represents=reg.organization)
        plan = council.plans.first() or services.plan_create(
            actor=admin, subdistrict=council.organisation.subdistrict, fiscal_year=2569, title=f"แผน {key}",
            council=council)
        for i in range(n):
            item = services.plan_item_add(actor=admin, plan=plan, issue="x", activity=f"{prefix}{i}",
                                          budget_needed=Decimal(100))
            services.plan_item_link(actor=admin, item=item, agency_kind="agency", agency_name="พช.",
                                    amount=Decimal(50), fiscal_year=2569)


@pytest.mark.parametrize("name", LISTS)
def test_other_area_rows_never_listed(name, world, councils, client, login):
    _fill(world, councils, 2, "x")
    login(world["users"]["council_a"])
    body = client.get(reverse(name) + "?fy=2569").content.decode()
    if name == "councils:area_summary":
        assert client.get(reverse(name) + "?fy=2569").context["figures"]["councils"] == 1
        return
    assert "กลุ่มb" not in body and "สภาองค์กรชุมชนตำบล B" not in body and "แผน b" not in body
    assert ("กลุ่มa" in body) or ("สภาองค์กรชุมชนตำบล A" in body) or ("แผน a" in body)


@pytest.mark.parametrize("name", LISTS)
def test_query_count_does_not_grow_with_rows(name, world, councils, client, login, django_assert_max_num_queries):
    _fill(world, councils, 1, "a")
    login(world["users"]["admin"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse(name)).status_code == 200
    _fill(world, councils, 6, "b")
    with django_assert_max_num_queries(len(first)):
        assert client.get(reverse(name)).status_code == 200


def test_council_page_of_another_area_is_404(world, councils, client, login):
    login(world["users"]["council_a"])
    assert client.get(reverse("councils:council_detail", args=["CC-500203"])).status_code == 200
    assert client.get(reverse("councils:council_detail", args=["CC-400101"])).status_code == 404


def test_meeting_before_the_council_existed_shows_the_message(world, councils, client, login):
    login(world["users"]["council_a"])
    url = reverse("councils:meeting_create", args=["CC-500203"])
    response = client.post(url, {"date": "01/01/2552", "kind": "ordinary", "attendees": "5", "agenda": "วาระ"})
    assert response.status_code == 200
    assert "ก่อนวันก่อตั้งสภา" in response.content.decode()
    assert not Meeting.objects.exists()


def test_register_twice_in_the_browser_form_shows_the_message(world, councils, client, login):
    login(world["users"]["council_a"])
    url = reverse("councils:organisation_register", args=["CC-500203"])
    data = {"name_th": "กลุ่มทอผ้า", "kind": "occupation", "members_count": "10", "number": "1",
            "registered_on": "10/01/2563"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "number": "2"})
    assert "จดแจ้งกับสภานี้แล้ว" in response.content.decode()


def test_head_counts_too_large_on_the_forms_show_the_message(world, councils, client, login):
    login(world["users"]["council_a"])
    response = client.post(reverse("councils:organisation_register", args=["CC-500203"]), {
        "name_th": "กลุ่มทอผ้า", "kind": "occupation", "members_count": "35,000,000,000", "number": "1",
        "registered_on": "10/01/2563"})
    assert response.status_code == 200 and "members_count" in response.context["form"].errors
    assert "จำนวนสมาชิกต้องไม่เกิน 1,000,000 คน" in response.content.decode()
    response = client.post(reverse("councils:meeting_create", args=["CC-500203"]), {
        "date": "01/05/2567", "kind": "ordinary", "attendees": "1" + "0" * 20, "agenda": "วาระ"})
    assert response.status_code == 200 and "attendees" in response.context["form"].errors
    assert "จำนวนผู้เข้าประชุมต้องไม่เกิน 1,000,000 คน" in response.content.decode()
    assert not Meeting.objects.exists()


MINUTES_PDF = b"%PDF-1.4\n% minutes of the council meeting\ntrailer <<>>\n%%EOF\n"
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def _record_meeting(client, minutes):
    return client.post(reverse("councils:meeting_create", args=["CC-500203"]), {
        "date": "05/05/2567", "kind": "ordinary", "attendees": "12", "agenda": "แผน", "minutes": minutes})


def test_minutes_served_in_scope_only(world, councils, client, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    login(world["users"]["council_a"])
    response = _record_meeting(client, SimpleUploadedFile("m.pdf", MINUTES_PDF, content_type="application/pdf"))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    url = reverse("councils:meeting_minutes", args=["CC-500203", meeting.pk])
    served = client.get(url)
    assert b"".join(served.streaming_content) == MINUTES_PDF
    # The type the upload was validated as, never sniffed; inline (a PDF); a name the app makes.
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == 'inline; filename="minutes-CC-500203-20240505.pdf"'
    client.logout()
    login(world["users"]["province_other"])
    assert client.get(url).status_code == 404


def test_minutes_must_be_pdf_or_image(world, councils, client, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(world["users"]["council_a"])
    response = _record_meeting(client, SimpleUploadedFile("m.exe", b"MZ....", content_type="application/octet-stream"))
    assert "JPEG, PNG or PDF" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("name", "th", "en"), [
    ("minutes.html", "ชื่อไฟล์รายงานการประชุมต้องลงท้ายด้วย .pdf",
     "the file name of the minutes must end in .pdf, as it is a PDF file, but it ends in &quot;.html&quot;"),
    ("minutes.pdf", "ไฟล์รายงานการประชุมเป็นไฟล์ PDF ที่ไม่สมบูรณ์", "the minutes is an incomplete PDF file"),
])
def test_a_web_page_that_starts_like_a_pdf_is_refused(world, councils, client, login, name, th, en):
    """The reviewer's file: ``%PDF-1.4`` then HTML, named minutes.html (and the same named .pdf)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(world["users"]["council_a"])
    response = _record_meeting(client, SimpleUploadedFile(name, POLYGLOT, content_type="text/html"))
    page = response.content.decode()
    assert response.status_code == 200 and th in page and en in page
    assert not Meeting.objects.exists()


def test_a_scan_photo_is_served_as_its_image_type(world, councils, client, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    login(world["users"]["council_a"])
    photo = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR minutes \x00\x00\x00\x00IEND\xaeB`\x82"
    assert _record_meeting(client, SimpleUploadedFile("หน้า1.png", photo, content_type="text/html")).status_code == 302
    served = client.get(reverse("councils:meeting_minutes", args=["CC-500203", Meeting.objects.get().pk]))
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == 'inline; filename="minutes-CC-500203-20240505.png"'


def test_minutes_stored_before_the_checks_are_only_a_download(world, councils, client, login, settings, tmp_path):
    """A polyglot saved before the checks were tightened is served as a download, never as text/html."""
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    admin = world["users"]["admin"]
    meeting = services.meeting_record(actor=admin, council=councils["a"], date=datetime.date(2024, 5, 5),
                                      attendees=12, agenda="แผน")
    meeting.minutes.save("minutes.html", ContentFile(POLYGLOT))
    login(world["users"]["council_a"])
    served = client.get(reverse("councils:meeting_minutes", args=["CC-500203", meeting.pk]))
    assert served["Content-Type"] == "application/octet-stream"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == 'attachment; filename="minutes-CC-500203-20240505.bin"'


def test_plan_for_a_christian_era_year_says_what_a_be_year_is(world, councils, client, login):
    from chumchon.councils.models import DevelopmentPlan

    login(world["users"]["council_a"])
    response = client.post(reverse("councils:plan_create", args=["CC-500203"]),
                           {"fiscal_year": "2026", "title": "แผนพัฒนาชุมชน"})
    body = response.content.decode()
    assert response.status_code == 200 and "ให้ใช้ปี พ.ศ." in body and "not a B.E. year" in body
    assert not DevelopmentPlan.objects.exists()


def test_the_area_page_lists_levels_from_the_best_down(world, councils, client, login, monkeypatch):
    """ดีเยี่ยม, ดีมาก, ดี, then below every level — by the instrument's thresholds, not by the levels' codes."""
    from chumchon.councils import selectors as council_selectors

    real = council_selectors.area_figures

    def with_levels(*args, **kwargs):
        figures = real(*args, **kwargs)
        labels = {"excellent": ("ดีเยี่ยม", "Excellent"), "very_good": ("ดีมาก", "Very good"), "good": ("ดี", "Good")}
        figures["assessed"] = {"strong-community": {"levels": {"good": 1, "-": 1, "very_good": 1, "excellent": 1},
                                                    "labels": labels, "passed": 3, "assessed": 4}}
        return figures

    monkeypatch.setattr(council_selectors, "area_figures", with_levels)
    login(world["users"]["council_a"])
    assessed = client.get(reverse("councils:area_summary") + "?fy=2569").context["assessed"]
    assert [level for level, _ in assessed[0]["levels"]] == ["ดีเยี่ยม", "ดีมาก", "ดี", "-"]


def test_de_registering_is_a_page_that_keeps_what_was_typed(world, councils, client, login):
    """The council page links each live registration to its own de-registration page (no form squeezed into a
    table cell); a blank reason comes back by its field with the date kept; then it ends the registration."""
    import datetime

    from chumchon.councils import services as council_services

    reg = council_services.organisation_register(
        actor=world["users"]["admin"], council=councils["a"], name_th="กลุ่มเลิกแล้ว", kind="savings", number="0009",
        registered_on=datetime.date(2021, 3, 12))
    login(world["users"]["council_a"])
    url = reverse("councils:registration_end", args=[councils["a"].code, reg.pk])
    assert url in client.get(reverse("councils:council_detail", args=[councils["a"].code])).content.decode()
    response = client.post(url, {"on": "01/06/2566", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert 'value="01/06/2566"' in response.content.decode() and "กลุ่มเลิกแล้ว" in response.content.decode()
    early = client.post(url, {"on": "01/01/2564", "reason": "ยุบกลุ่ม"})  # before it registered: named by its field
    assert "วันยกเลิกก่อนวันจดแจ้ง (12 มี.ค. 2564)" in early.context["form"].errors["on"][0]
    response = client.post(url, {"on": "01/06/2566", "reason": "ยุบกลุ่ม"})
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.deregistered_on == datetime.date(2023, 6, 1)


def test_a_councils_plan_leads_back_through_its_council(world, councils, client, login):
    from chumchon.councils import services as council_services

    plan = council_services.plan_create(actor=world["users"]["admin"], subdistrict=world["sub_a"], fiscal_year=2569,
                                        title="แผน", council=councils["a"])
    login(world["users"]["council_a"])
    crumbs = client.get(reverse("councils:plan_detail", args=[plan.pk])).context["breadcrumbs"]
    assert {"label": councils["a"].name, "url": reverse("councils:council_detail", args=[councils["a"].code])} in crumbs


def test_an_item_given_more_than_it_needs_is_pointed_out(world, councils, client, login):
    from decimal import Decimal

    from django.contrib.messages import get_messages

    from chumchon.councils import services as council_services

    admin = world["users"]["admin"]
    plan = council_services.plan_create(actor=admin, subdistrict=world["sub_a"], fiscal_year=2569, title="แผน",
                                        council=councils["a"])
    item = council_services.plan_item_add(actor=admin, plan=plan, issue="น้ำ", activity="ขุดลอก",
                                          budget_needed=Decimal("1250000.50"))
    login(world["users"]["council_a"])
    url = reverse("councils:plan_item_link", args=[plan.pk, item.pk])
    response = client.post(url, {"agency_kind": "agency", "agency_name": "กรมทรัพยากรน้ำ", "amount": "2,000,000",
                                 "fiscal_year": "2569"})
    assert response.status_code == 302
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("2,000,000.00" in m and "1,250,000.50" in m for m in said), said


def test_an_organisations_contact_is_for_those_who_keep_it(world, councils, client, login):
    """The leader's phone was on the page for every reader while the export left it out as personal data."""
    from chumchon.councils import services as council_services

    reg = council_services.organisation_register(
        actor=world["users"]["admin"], council=councils["a"], name_th="กลุ่มติดต่อ", kind="savings", number="0031",
        registered_on=datetime.date(2021, 3, 12), leaders="นางสาวใจดี (ประธาน)", contact="0864452597")
    url = reverse("councils:organisation_detail", args=[reg.organization.organisation.code])
    login(world["users"]["council_a"])  # keeps the council's records
    assert "0864452597" in client.get(url).content.decode()
    login(world["users"]["regional_north"])  # reads the area
    page = client.get(url).content.decode()
    assert "0864452597" not in page and "นางสาวใจดี" in page


def test_the_area_page_says_when_it_counts_only_part_of_an_area(world, councils, client, login):
    """Chiang Mai's secretariat asking for Khon Kaen was shown 'Khon Kaen: 0 councils' as if those were its figures;
    an unknown code silently showed the whole scope."""
    login(world["users"]["province_a"])
    url = reverse("councils:area_summary")
    assert "alert-warning" not in client.get(url, {"province": "50"}).content.decode()
    assert "alert-warning" in client.get(url, {"province": "40"}).content.decode()
    assert client.get(url, {"province": "99"}).status_code == 404


def test_council_and_organisation_lists_search_by_name_code_or_place(world, councils, client, login):
    """At national scale the lists were pages of 50 with no search. A search never reaches past the user's scope."""
    from chumchon.councils import services as council_services

    council_services.organisation_register(
        actor=world["users"]["admin"], council=councils["a"], name_th="กลุ่มทอผ้าบ้านหลวง", kind="savings",
        number="0041", registered_on=datetime.date(2021, 3, 12))
    council_services.organisation_register(
        actor=world["users"]["admin"], council=councils["b"], name_th="กลุ่มทอผ้าขอนแก่น", kind="savings",
        number="0042", registered_on=datetime.date(2021, 3, 12))
    login(world["users"]["province_a"])
    councils_page = client.get(reverse("councils:council_list"), {"q": "CC-5002"}).content.decode()
    assert councils["a"].name in councils_page
    assert "CC-400101" not in client.get(reverse("councils:council_list"), {"q": "CC-4001"}).content.decode()
    orgs = client.get(reverse("councils:organisation_list"), {"q": "ทอผ้า"}).content.decode()
    assert "กลุ่มทอผ้าบ้านหลวง" in orgs and "กลุ่มทอผ้าขอนแก่น" not in orgs  # the other province's, never
    assert "กลุ่มทอผ้าบ้านหลวง" in client.get(reverse("councils:organisation_list"),
                                              {"q": world["sub_a"].name_th}).content.decode()
