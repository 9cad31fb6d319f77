"""The site's error pages: Thai first with the same words in English under them (English alone when the reader
chose English), and a 405 — a form's address opened as a page — told as a page instead of an empty answer."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def _english_line(body: str) -> str:
    match = re.search(r'<p class="en" lang="en" id="error-en">(.*?)</p>', body, re.S)
    assert match, "no English line"
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_404_is_thai_with_its_english(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404 and '<html lang="th">' in body
    assert "<h1>ไม่พบหน้าที่ต้องการ</h1>" in body
    assert _english_line(body).startswith("Page not found. The page you asked for does not exist")
    assert body.index("<h1>ไม่พบหน้าที่ต้องการ</h1>") < body.index('id="error-en"')


def test_an_english_reader_gets_it_once(client):
    client.cookies["django_language"] = "en"
    body = client.get("/no-such-page/").content.decode()
    assert "<h1>Page not found</h1>" in body and 'id="error-en"' not in body


def test_403_is_thai_with_its_english(world, login):
    response = login(world["users"]["member"]).get(reverse("core:audit_list"))
    body = response.content.decode()
    assert response.status_code == 403 and "<h1>คุณไม่มีสิทธิ์เข้าถึงหน้านี้</h1>" in body
    assert _english_line(body).startswith("You do not have access to this page. Your account does not have")


def test_the_csrf_refusal_is_thai_with_its_english(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-alicealice"})
    assert response.status_code == 403
    assert _english_line(response.content.decode()).startswith("The form could not be sent. Nothing was saved.")


def test_500_is_thai_with_its_english():
    body = server_error(RequestFactory().get("/")).content.decode()
    assert "<h1>เกิดข้อผิดพลาด</h1>" in body
    assert _english_line(body).startswith("Something went wrong. The system could not finish your request")


# --- 405 -----------------------------------------------------------------------------------------------------------

def _is_the_405_page(response) -> str:
    body = response.content.decode()
    assert response.status_code == 405
    assert "<h1>" in body and 'href="/"' in body  # the site's frame and the way home
    assert _english_line(body).startswith("This address only takes a form sent from its page.")
    return body


def test_logout_opened_as_a_page_is_a_405_page(client):
    response = client.get(reverse("logout"))
    body = _is_the_405_page(response)
    assert response["Allow"] == "POST, OPTIONS"
    assert 'id="back"' not in body  # no page to go back to


def test_a_decision_opened_as_a_page_is_a_405_page_with_the_way_back(world, login):
    client = login(world["users"]["committee_a"])
    claim_page = "http://testserver/funds/A-001/claims/1/"
    response = client.get(reverse("welfare:claim_decide", kwargs={"code": "A-001", "pk": 1}), HTTP_REFERER=claim_page)
    body = _is_the_405_page(response)
    assert response["Allow"] == "POST"
    assert f'id="back" href="{claim_page}"' in body
    assert world["users"]["committee_a"].username in body  # the logged-in frame


def test_the_way_back_never_leaves_the_site(client):
    body = _is_the_405_page(client.get(reverse("logout"), HTTP_REFERER="https://evil.example/"))
    assert "evil.example" not in body and 'id="back"' not in body


def test_a_405_in_english(client):
    client.cookies["django_language"] = "en"
    body = client.get(reverse("logout")).content.decode()
    assert "<h1>This address only takes a form sent from its page</h1>" in body and 'id="error-en"' not in body
