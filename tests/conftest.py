"""Shared fixtures: the geography loaded once per test database, and a small two-province world with one user
per role (alice works for fund A, bob for fund B — as in Healthchecks' tests)."""

import datetime
import json
import os
import subprocess
import sys
import uuid
from urllib.parse import quote

import pytest
from django.core.management import call_command

from chumchon.access import services as access_services
from chumchon.access.models import User
from chumchon.access.roles import Role, ScopeKind
from chumchon.core.thai.national_id import make_valid
from chumchon.geo.models import Province, Region, Subdistrict
from chumchon.people import services as people_services
from chumchon.welfare import services as welfare_services


def pytest_collection_modifyitems(config, items):
    if os.environ.get("CI") == "true" or os.environ.get("RUN_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: runs in CI (CI=true) or with RUN_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database gets the real geography (77 / 928 / 7,436) and the default regions."""
    with django_db_blocker.unblock():
        call_command("load_geography", verbosity=0)


@pytest.fixture
def system_user(db):
    user = User.objects.create_user(username="system-admin", password="x" * 12)
    access_services.role_assign(actor=None, user=user, role=Role.ADMINISTRATOR, scope_kind=ScopeKind.NATIONAL)
    return user


_id_counter = iter(range(10_000_000, 99_999_999))


def new_national_id() -> str:
    return make_valid("1" + f"{next(_id_counter):08d}" + "000")


@pytest.fixture
def make_person(system_user):
    def make(subdistrict_code="500203", fund=None, **kwargs):
        subdistrict = Subdistrict.objects.get(code=subdistrict_code)
        kwargs.setdefault("first_name", "สมชาย")
        kwargs.setdefault("last_name", "ใจดี")
        kwargs.setdefault("national_id", new_national_id())
        person = people_services.person_create(
            actor=system_user, subdistrict=subdistrict, registered_by=fund.organisation if fund else None, **kwargs
        )
        if fund is not None:
            number = f"{fund.memberships.count() + 1:05d}"
            welfare_services.membership_enrol(actor=system_user, fund=fund, person=person, member_number=number,
                                              joined_on=datetime.date(2020, 1, 1))
        return person

    return make


@pytest.fixture
def make_user(db, system_user):
    def make(username, role, scope_kind, scope=None, person=None):
        user = User.objects.create_user(username=username, password="pw-" + username * 2, person=person)
        access_services.role_assign(actor=system_user, user=user, role=role, scope_kind=scope_kind, scope=scope)
        return user

    return make


@pytest.fixture
def world(system_user, make_person, make_user):
    """Fund A in Chiang Mai (50), fund B in Khon Kaen (40), people in each, and one user per role."""
    sub_a = Subdistrict.objects.get(code="500203")
    sub_b = Subdistrict.objects.get(code="400101")
    fund_a = welfare_services.fund_create(actor=system_user, code="A-001", name_th="กองทุนสวัสดิการชุมชน A",
                                          subdistrict=sub_a)
    fund_b = welfare_services.fund_create(actor=system_user, code="B-001", name_th="กองทุนสวัสดิการชุมชน B",
                                          subdistrict=sub_b)
    a_people = [make_person("500203", fund=fund_a, first_name=f"เอ{i}") for i in range(3)]
    b_people = [make_person("400101", fund=fund_b, first_name=f"บี{i}") for i in range(3)]
    household_a = people_services.household_create(actor=system_user, code="HH-A-1", subdistrict=sub_a,
                                                   village_number=3, registered_by=fund_a.organisation)
    north = Region.objects.get(scheme__is_default=True, code="north")
    users = {
        "member": make_user("member_a", Role.MEMBER, ScopeKind.ORGANISATION, fund_a.organisation, a_people[0]),
        "committee_a": make_user("alice", Role.FUND_TREASURER, ScopeKind.ORGANISATION, fund_a.organisation),
        "committee_b": make_user("bob", Role.FUND_TREASURER, ScopeKind.ORGANISATION, fund_b.organisation),
        "province_other": make_user("prov40", Role.PROVINCIAL_SECRETARIAT, ScopeKind.PROVINCE,
                                    Province.objects.get(code="40")),
        "province_a": make_user("prov50", Role.PROVINCIAL_SECRETARIAT, ScopeKind.PROVINCE,
                                Province.objects.get(code="50")),
        "regional_north": make_user("north", Role.REGIONAL_STAFF, ScopeKind.REGION, north),
        "council_a": make_user("council_a", Role.COUNCIL_OFFICER, ScopeKind.SUBDISTRICT, sub_a),
        "auditor": make_user("auditor", Role.AUDITOR, ScopeKind.NATIONAL),
        "admin": system_user,
    }
    return {"fund_a": fund_a, "fund_b": fund_b, "a_people": a_people, "b_people": b_people, "users": users,
            "sub_a": sub_a, "sub_b": sub_b,
            "household_a": household_a}


@pytest.fixture
def councils(world):
    """Councils in the two-province world: council A in fund A's subdistrict (Chiang Mai), council B in Khon Kaen."""
    from chumchon.councils import services

    admin = world["users"]["admin"]
    a = services.council_create(actor=admin, code="CC-500203", name_th="สภาองค์กรชุมชนตำบล A",
                                subdistrict=world["sub_a"], founded_on=datetime.date(2010, 3, 1))
    b = services.council_create(actor=admin, code="CC-400101", name_th="สภาองค์กรชุมชนตำบล B",
                                subdistrict=world["sub_b"], founded_on=datetime.date(2011, 5, 1))
    return {"a": a, "b": b}


@pytest.fixture
def login(client):
    """Log a user in for the Django test client, with the second factor already verified when needed."""

    def do(user):
        client.force_login(user)
        if user is not None:
            from django_otp.plugins.otp_static.models import StaticDevice

            device, _ = StaticDevice.objects.get_or_create(user=user, name="test", confirmed=True)
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client

    return do


def _postgres_url(name: str) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


def _postgres_admin():
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    return psycopg.connect(dbname="postgres", user=db.get("USER") or None, password=db.get("PASSWORD") or None,
                           host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432, autocommit=True)


@pytest.fixture
def own_postgres_database(tmp_path):
    """``(name, env)``: a migrated PostgreSQL database of its own, for tests whose connections must see each
    other's commits (the test database lives in a transaction that never commits); ``env`` points a subprocess
    at it. Dropped afterwards, whatever happens."""
    from psycopg import sql

    name = f"chumchon_own_{uuid.uuid4().hex[:12]}"
    with _postgres_admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    env = {**os.environ, "DATABASE_URL": _postgres_url(name), "CHUMCHON_VAR_DIR": str(tmp_path),
           "DB_CONN_MAX_AGE": "0"}
    try:
        subprocess.run([sys.executable, "-m", "chumchon", "migrate", "--no-input", "-v", "0"], env=env, check=True,
                       timeout=600)
        yield name, env
    finally:
        with _postgres_admin() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def postgres_scenario(own_postgres_database):
    """Run a Python scenario (source text, it calls ``django.setup()`` itself) in a subprocess on a database of its
    own (:func:`own_postgres_database`) and return the JSON object it prints last."""

    def run(scenario: str) -> dict:
        _name, env = own_postgres_database
        done = subprocess.run([sys.executable, "-c", scenario], env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run
