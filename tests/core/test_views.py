"""The core views: a form sent without its security token (CSRF) gets the site's own page, Thai first."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_a_form_without_its_token_is_refused_with_a_way_back():
    browser = Client(enforce_csrf_checks=True, headers={"accept-language": "th"})
    response = browser.post("/accounts/login/", {"username": "treasurer", "password": "x"},
                            headers={"referer": "http://testserver/accounts/login/"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "ส่งแบบฟอร์มไม่สำเร็จ" in page and "ยังไม่ได้บันทึกสิ่งใด" in page
    assert 'id="csrf-back" href="http://testserver/accounts/login/"' in page
    assert "CSRF verification failed" not in page  # not Django's bare page
    assert response.cookies.get("csrftoken"), "a fresh token, so that the form can be sent again"


@pytest.mark.django_db
def test_a_way_back_only_to_this_site():
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["django_language"] = "en"  # the language switcher's choice
    response = browser.post("/accounts/login/", {}, headers={"referer": "https://elsewhere.example/form"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "The form could not be sent" in page
    assert "elsewhere.example" not in page and 'id="csrf-back"' not in page


@pytest.mark.django_db
def test_a_form_sent_back_says_at_the_top_what_to_fix(world, client, login):
    login(world["users"]["committee_a"])
    response = client.post("/people/new/", {"national_id": "1234"})
    page = response.content.decode()
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert "กรุณาแก้ไข" in summary and 'href="#id_national_id"' in summary and 'href="#id_first_name"' in summary
    assert summary.count("<li>") == len(response.context["form"].errors) >= 2
    assert page.index('id="error-summary"') < page.index('<form', page.index('<main'))  # above the form
    assert 'id="error-summary"' not in client.get("/people/new/").content.decode()


@pytest.mark.django_db
def test_the_login_page_keeps_its_own_single_message(client):
    page = client.post("/accounts/login/", {"username": "nobody", "password": "x"}).content.decode()
    assert 'id="error-summary"' not in page and "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page
