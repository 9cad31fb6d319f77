"""Assessment pages: the answer sheet refuses bad answers with the engine's message and saves nothing, a submitted
assessment shows its level and its dimensions against last year, lists stay scoped and constant in queries."""

import pytest
from django.urls import reverse

from chumchon.assessments import services
from chumchon.assessments.models import Answer, Assessment

pytestmark = pytest.mark.django_db


def _sheet(instrument, **override):
    data = {"assessors": "คณะทำงาน", "assessed_on": ""}
    for item in instrument.items.all():
        value = {"yes_no": 1, "scale": item.scale_max, "number": item.number_target}[item.answer_type]
        data[f"answer_{item.code}"] = str(value)
        data[f"evidence_{item.code}"] = "ภาพถ่าย"
    data.update(override)
    return data


def _start(world, fy):
    return services.assessment_start(actor=world["users"]["council_a"], instrument_code="strong-community",
                                     fiscal_year=fy, subdistrict=world["sub_a"])


def test_start_then_answer_then_compare_with_last_year(world, client, login):
    login(world["users"]["council_a"])
    last = _start(world, 2568)
    response = client.post(reverse("assessments:assessment_answer", args=[last.pk]),
                           {**_sheet(last.instrument), "action": "submit"})
    assert response.status_code == 302
    response = client.post(reverse("assessments:assessment_start"), {
        "instrument": "strong-community", "fiscal_year": "2569", "subject": "500203", "mode": "self"})
    this = Assessment.objects.get(fiscal_year=2569)
    assert response.url == reverse("assessments:assessment_answer", args=[this.pk])
    client.post(reverse("assessments:assessment_answer", args=[this.pk]),
                {**_sheet(this.instrument, **{"answer_4.1": "0", "answer_1.1": "1"}), "action": "submit"})
    page = client.get(reverse("assessments:assessment_detail", args=[this.pk])).content.decode()
    assert "93.00 %" in page and "ดีเยี่ยม" in page
    assert 'id="dimension-chart"' in page and "2568" in page and "<meter" in page
    assert 'id="dropped"' in page and "4.1" in page


def test_answer_outside_range_on_the_sheet_saves_nothing(world, client, login):
    login(world["users"]["council_a"])
    a = _start(world, 2569)
    response = client.post(reverse("assessments:assessment_answer", args=[a.pk]),
                           {**_sheet(a.instrument, **{"answer_1.4": "150"}), "action": "save"})
    body = response.content.decode()
    assert response.status_code == 200 and "at most 100" in body and "ค่าสูงสุดคือ 100" in body
    assert not Answer.objects.exists()


def test_a_count_too_long_for_an_answer_is_refused_by_its_item_and_saves_nothing(world, client, login):
    """2.1 (organisations registered) has no largest answer, but an answer holds 14 digits, 2 after the point: a
    number of 13 digits before the point (a typo of zeros, a pasted ID) was saved and every later read failed."""
    login(world["users"]["council_a"])
    a = _start(world, 2569)
    assert a.instrument.items.get(code="2.1").number_max is None
    url = reverse("assessments:assessment_answer", args=[a.pk])
    response = client.post(url, {**_sheet(a.instrument, **{"answer_2.1": "1234567890123"}), "action": "save"})
    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].errors["answer_2.1"]] == [
        "ข้อ 2.1: ค่าต้องไม่เกิน 999,999,999,999.99 แต่ได้ 1234567890123 "
        "(item 2.1: the answer can be at most 999,999,999,999.99, not 1234567890123)"]
    assert not Answer.objects.exists()
    assert client.get(url).status_code == 200
    assert client.get(reverse("assessments:assessment_detail", args=[a.pk])).status_code == 200


def test_missing_evidence_on_the_sheet_saves_nothing(world, client, login):
    login(world["users"]["council_a"])
    a = _start(world, 2569)
    response = client.post(reverse("assessments:assessment_answer", args=[a.pk]),
                           {**_sheet(a.instrument, **{"evidence_2.2": ""}), "action": "submit"})
    assert "requires evidence" in response.content.decode()
    a.refresh_from_db()
    assert a.status == "draft" and not Answer.objects.exists()


def test_other_area_assessments_never_listed(world, client, login):
    services.assessment_start(actor=world["users"]["admin"], instrument_code="strong-community", fiscal_year=2569,
                              subdistrict=world["sub_b"])
    _start(world, 2569)
    login(world["users"]["council_a"])
    body = client.get(reverse("assessments:assessment_list")).content.decode()
    assert world["sub_a"].name_th in body and world["sub_b"].name_th not in body
    other = Assessment.objects.get(subject_key="sub:400101")
    assert client.get(reverse("assessments:assessment_detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("name", ["assessments:assessment_list", "assessments:instrument_list"])
def test_query_count_does_not_grow_with_rows(name, world, client, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chumchon.geo.models import Subdistrict

    login(world["users"]["admin"])
    _start(world, 2569)
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse(name)).status_code == 200
    for sub in Subdistrict.objects.filter(province_id="50").exclude(code="500203")[:6]:
        services.assessment_start(actor=world["users"]["admin"], instrument_code="strong-community",
                                  fiscal_year=2569, subdistrict=sub)
    with django_assert_max_num_queries(len(first)):
        assert client.get(reverse(name)).status_code == 200


def test_national_staff_edit_makes_a_revision_from_the_page(world, client, login):
    a = _start(world, 2569)
    item = a.instrument.items.get(code="1.1")
    login(world["users"]["admin"])
    url = reverse("assessments:instrument_item_edit", args=[a.instrument.pk, item.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"points": "5", "evidence_required": ""})
    response = client.post(url, data)
    assert response.status_code == 302
    assert a.instrument.items.get(code="1.1").points == 4
    assert services.instrument_in_force("strong-community", 2569).items.get(code="1.1").points == 5


def test_the_start_form_offers_the_users_subjects_and_takes_a_ce_year(world, councils, client, login):
    """Chiang Mai's secretariat is offered council A (and its subdistrict) as subjects, never Khon Kaen's; a year
    typed as 2026 starts the assessment of B.E. 2569."""
    login(world["users"]["province_a"])
    page = client.get(reverse("assessments:assessment_start")).content.decode()
    options = page.split('<datalist id="subjects">')[1].split("</datalist>")[0]
    assert 'value="CC-500203"' in options and 'value="500203"' in options
    assert "CC-400101" not in options and "400101" not in options
    response = client.post(reverse("assessments:assessment_start"), {
        "instrument": "strong-community", "fiscal_year": "2026", "subject": "500203", "mode": "self"})
    assert response.status_code == 302
    assert Assessment.objects.get(subdistrict_id="500203").fiscal_year == 2569
    response = client.post(reverse("assessments:assessment_start"), {
        "instrument": "strong-community", "fiscal_year": "2580", "subject": "500203", "mode": "self"})
    assert "ยังไม่มาถึง" in response.context["form"].errors["fiscal_year"][0]  # a year that has not come


def test_the_result_reads_yes_and_no_and_the_sheet_says_what_an_item_is_worth(world, client, login):
    login(world["users"]["council_a"])
    a = _start(world, 2568)
    sheet = client.get(reverse("assessments:assessment_answer", args=[a.pk])).content.decode()
    assert "เต็ม 4 คะแนน" in sheet or "เต็ม 1 คะแนน" in sheet or "เต็ม 2 คะแนน" in sheet  # worth, not earned
    client.post(reverse("assessments:assessment_answer", args=[a.pk]), {**_sheet(a.instrument), "action": "submit"})
    page = client.get(reverse("assessments:assessment_detail", args=[a.pk])).content.decode()
    yes_no = a.instrument.items.filter(answer_type="yes_no").first()
    row = page.split(f"<td>{yes_no.code} ", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">ใช่</td>' in row or '<td class="num">ไม่ใช่</td>' in row, row



def test_an_evidence_file_that_is_not_a_scan_saves_nothing(world, client, login):
    """Evidence files took any file at all (a web page named .pdf included); now as every other upload."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(world["users"]["council_a"])
    a = _start(world, 2569)
    page = SimpleUploadedFile("photo.pdf", b"<html><meta http-equiv=refresh></html>", content_type="application/pdf")
    response = client.post(reverse("assessments:assessment_answer", args=[a.pk]),
                           {**_sheet(a.instrument), "evidence_file_2.2": page, "action": "save"})
    body = response.content.decode()
    assert response.status_code == 200 and "ไฟล์หลักฐานข้อ 2.2" in body
    assert not Answer.objects.exists()


def test_the_sheet_says_how_numbers_and_scales_earn_points(world, client, login):
    """Item 2.1 asked for a count and said only 'worth up to 4 points': which count earns them was nowhere."""
    from chumchon.assessments.models import Item

    login(world["users"]["council_a"])
    a = _start(world, 2569)
    body = client.get(reverse("assessments:assessment_answer", args=[a.pk])).content.decode()
    number = a.instrument.items.filter(answer_type=Item.AnswerType.NUMBER).first()
    target = f"{number.number_target.normalize():f}"
    assert f"คะแนนเต็มเมื่อได้ {target} ขึ้นไป" in body


def test_the_council_page_of_an_officer_scoped_to_the_council_leads_to_its_tambons_assessment(world, councils,
                                                                                               make_user, client,
                                                                                               login):
    """The council's page offers an officer given the council itself the tambon's strong-community
    self-assessment: the button starts it (it led to "no subject in your scope") and, once submitted, the result
    is listed on the council's page."""
    from chumchon.access.roles import Role, ScopeKind

    officer = make_user("council_org_a", Role.COUNCIL_OFFICER, ScopeKind.ORGANISATION, councils["a"].organisation)
    login(officer)
    council_url = reverse("councils:council_detail", kwargs={"code": "CC-500203"})
    assert "instrument=strong-community&amp;subject=500203" in client.get(council_url).content.decode()
    response = client.post(reverse("assessments:assessment_start"), {
        "instrument": "strong-community", "fiscal_year": "2569", "subject": "500203", "mode": "self"})
    a = Assessment.objects.get(subject_key="sub:500203")
    assert response.status_code == 302 and response.url == reverse("assessments:assessment_answer", args=[a.pk])
    detail = client.get(reverse("assessments:assessment_detail", args=[a.pk])).content.decode()
    assert reverse("assessments:assessment_answer", args=[a.pk]) in detail  # a draft it may continue
    response = client.post(reverse("assessments:assessment_answer", args=[a.pk]),
                           {**_sheet(a.instrument), "action": "submit"})
    assert response.status_code == 302
    assert [x.pk for x in client.get(council_url).context["assessments"]] == [a.pk]
    response = client.post(reverse("assessments:assessment_start"), {
        "instrument": "strong-community", "fiscal_year": "2569", "subject": "400101", "mode": "self"})
    assert response.status_code == 200 and "subject" in response.context["form"].errors
