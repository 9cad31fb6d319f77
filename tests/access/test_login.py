"""Logging in: throttling after repeated failures, and two-factor for roles that see the whole country."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from chumchon.access.roles import Role, ScopeKind

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_good_password_logs_in(world, client):
    response = _login(client, "alice", "pw-alicealice")
    assert response.status_code == 302 and client.session.get("_auth_user_id")


def test_repeated_failures_lock_the_account(world, client):
    for _ in range(4):
        assert _login(client, "alice", "wrong").status_code == 200
    assert _login(client, "alice", "wrong").status_code == 429
    locked = _login(client, "alice", "pw-alicealice")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_national_staff_must_pass_two_factor(make_user, client):
    user = make_user("nat", Role.NATIONAL_STAFF, ScopeKind.NATIONAL)
    assert _login(client, "nat", "pw-natnat").status_code == 302
    response = client.get(reverse("welfare:fund_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor"))

    # First visit: an authenticator is enrolled from the QR code page.
    page = client.get(reverse("two_factor"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(reverse("two_factor"), {"token": code, "next": reverse("welfare:fund_list")})
    assert response.status_code == 302 and response["Location"] == reverse("welfare:fund_list")
    assert client.get(reverse("welfare:fund_list")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_fund_committee_does_not_need_two_factor(world, client):
    _login(client, "alice", "pw-alicealice")
    assert client.get(reverse("welfare:fund_list")).status_code == 200


def test_two_factor_next_cannot_leave_the_site(make_user, client):
    user = make_user("adm", Role.ADMINISTRATOR, ScopeKind.NATIONAL)
    _login(client, "adm", "pw-admadm")
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=user)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    wrong = client.post(reverse("two_factor"), {"token": "12345"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["token"]
    device.throttle_reset()
    response = client.post(reverse("two_factor"), {"token": code, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/areas/"}, follow=True)
    assert response.content.decode().count("Thailand") >= 1
    assert '<html lang="en">' in response.content.decode()


def test_thai_is_the_default(client):
    assert '<html lang="th">' in client.get("/areas/").content.decode()


def test_thai_even_when_the_browser_asks_for_english(client):
    body = client.get("/areas/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th">' in body
