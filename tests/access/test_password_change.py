"""Changing one's own password: linked from the header, held to the site's password validators, audited, this
session kept (with its second factor), the account's other sessions ended."""

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.access.roles import Role, ScopeKind
from chumchon.core.models import AuditLog

pytestmark = pytest.mark.django_db
URL = "/accounts/password_change/"
NEW = "ผักบุ้งไฟแดง-2569"


@pytest.fixture
def alice(world):
    return world["users"]["committee_a"]  # password "pw-alicealice"


def _change(client, old="pw-alicealice", new=NEW, again=None):
    return client.post(URL, {"old_password": old, "new_password1": new,
                             "new_password2": new if again is None else again})


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_addresses_are_the_usual_ones():
    assert reverse("password_change") == URL and reverse("password_change_done") == URL + "done/"


def test_logged_out_is_sent_to_log_in(client):
    for url in (URL, URL + "done/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_header_links_to_it_and_the_page_shows_the_rules(alice, login):
    client = login(alice)
    home = client.get("/areas/").content.decode()
    assert f'href="{URL}"' in home
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'autocomplete="current-password"' in body and body.count('autocomplete="new-password"') == 2
    assert 'autocomplete="username"' in body and 'aria-current="page"' in body
    english = _english(client).get(URL).content.decode()
    for rule in ("At least 10 characters.", "Not like your name, username or email address.",
                 "Not one of the passwords many people use.", "Not only numbers."):
        assert rule in english


def test_a_good_change_keeps_this_session_and_is_audited(alice, login):
    client = login(alice)
    response = _change(client)
    assert response.status_code == 302 and response["Location"] == URL + "done/"
    alice.refresh_from_db()
    assert alice.check_password(NEW) and not alice.check_password("pw-alicealice")
    assert client.get(URL + "done/").status_code == 200
    assert client.get(reverse("welfare:fund_list")).status_code == 200  # still logged in
    row = AuditLog.objects.get(action="access.password_change")
    assert (row.actor_id, row.object_type, row.object_id) == (alice.pk, "access.user", str(alice.pk))
    assert NEW not in row.summary and "alice" in row.summary


def test_the_accounts_other_sessions_end(alice, login):
    elsewhere = Client()
    elsewhere.force_login(alice)
    assert elsewhere.get(reverse("welfare:fund_list")).status_code == 200
    _change(login(alice))
    response = elsewhere.get(reverse("welfare:fund_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Client().post(reverse("login"), {"username": "alice", "password": NEW}).status_code == 302


def test_a_wrong_current_password_changes_nothing(alice, login):
    client = _english(login(alice))
    response = _change(client, old="not-my-password")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "old_password": ["Your current password is not right. Please type it again."]}
    alice.refresh_from_db()
    assert alice.check_password("pw-alicealice") and not AuditLog.objects.filter(action="access.password_change")


def test_the_two_new_passwords_must_match(alice, login):
    response = _change(_english(login(alice)), again=NEW + "x")
    assert response.context["form"].errors == {"new_password2": [
        "The two new passwords are not the same. Please type the new password in both boxes again."]}


@pytest.mark.parametrize(("new", "problem"), [
    ("short-1", "The new password is too short: it needs at least 10 characters."),
    ("password123", "The new password is one that many people use, so it is easy to guess. Choose another."),
    ("4839201746", "The new password cannot be only numbers. Add some letters."),
    ("Kanokwan-S.", "The new password is too much like your name, username or email address."),
])
def test_the_sites_password_validators_hold(alice, login, new, problem):
    alice.first_name = "Kanokwan"
    alice.save()
    response = _change(_english(login(alice)), new=new)
    assert response.status_code == 200
    assert problem in response.context["form"].errors["new_password1"]
    alice.refresh_from_db()
    assert alice.check_password("pw-alicealice")


def test_a_refused_password_is_shown_at_the_top_and_at_its_field(alice, login):
    body = _change(login(alice), new="4839201746").content.decode()
    assert 'id="error-summary"' in body and 'href="#id_new_password1"' in body and 'aria-invalid="true"' in body


def test_two_factor_is_kept(make_user, login):
    admin = make_user("adm", Role.ADMINISTRATOR, ScopeKind.NATIONAL)
    client = login(admin)  # second factor verified
    response = client.post(URL, {"old_password": "pw-admadm", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert client.get(reverse("welfare:fund_list")).status_code == 200  # not sent back to the second factor

    admin.refresh_from_db()
    fresh = Client()  # logged in with the password only: the change page waits for the second factor too
    fresh.force_login(admin)
    response = fresh.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor"))
