"""Settings come from the environment; production refuses to start unsafe."""

import os
import subprocess
import sys

import pytest


def _run(code: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    full_env.update({"CHUMCHON_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "chumchon.config.settings", **env})
    return subprocess.run([sys.executable, "-c", code], env=full_env, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run("import django; django.setup()", {"DEBUG": "false", "ALLOWED_HOSTS": "example.org"}, tmp_path)
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_development_generates_a_secret_key_once(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    first = _run(code, {"DEBUG": "true"}, tmp_path)
    second = _run(code, {"DEBUG": "true"}, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_check_deploy_with_production_settings_has_no_warnings(tmp_path):
    env = {"DEBUG": "false", "SECRET_KEY": "x7#" * 20 + "production-like-key", "ALLOWED_HOSTS": "chumchon.example.org"}
    code = "from chumchon.cli import main; import sys; sys.argv = ['chumchon', 'check', '--deploy', '--fail-level', " \
           "'WARNING']; main()"
    result = _run(code, env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_bad_boolean_is_a_clear_error(tmp_path):
    result = _run("import django; django.setup()", {"DEBUG": "maybe"}, tmp_path)
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_demo_shows_the_apps_own_pages_over_plain_http_on_this_machine(tmp_path):
    """make demo: DEBUG off (a missing page is the Thai 404, not Django's list of every address), yet no HTTPS
    redirect or secure-only cookies (it is served on 127.0.0.1 over http) and a generated key."""
    code = ("import django; django.setup(); from django.conf import settings as s; from django.test import Client; "
            "print(s.DEBUG, getattr(s, 'SECURE_SSL_REDIRECT', False), s.SESSION_COOKIE_SECURE, bool(s.SECRET_KEY)); "
            "r = Client().get('/no-such-page/'); print(r.status_code, 'URLconf' in r.content.decode())")
    result = _run(code, {"CHUMCHON_DEMO": "true"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["False False False True", "404 False"]
