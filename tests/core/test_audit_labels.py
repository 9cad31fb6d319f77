"""The audit log in words: every action a service records has its label, the page shows it (Thai on a Thai page)
beside the code, and the filters (a module or one action, a span of days, who) narrow the rows."""

import ast
import datetime
import inspect
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation

import chumchon
from chumchon.core.audit_labels import ACTIONS, MODULES, action_choices, action_label
from chumchon.core.models import AuditLog
from chumchon.dataio.archive.load import IMPORT_ACTION
from chumchon.dataio.kinds import KINDS

SRC = Path(chumchon.__file__).resolve().parent


def _constants(node: ast.AST) -> list[str] | None:
    """The strings an ``action=`` expression can be: a literal, or a conditional between literals; None when it is
    built otherwise (an f-string, a name)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _constants(node.body), _constants(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _recorded_actions() -> set[str]:
    """The actions the code records: each ``action=`` given to ``audit_record`` or ``audit_record_many``, read from
    the source's syntax tree. Two are built: the import kinds' batches (``dataio.import_<kind>``, for the kinds
    that audit through ``Kind.audit_batch``) and the archive's import (``IMPORT_ACTION``); any other built one
    fails the test, so that it cannot go unlabelled unnoticed."""
    found, built = set(), []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "audit_record" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", ""))
                    in ("audit_record", "audit_record_many")):
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    values = _constants(keyword.value)
                    if values is None:
                        built.append(f"{path.relative_to(SRC)}:{node.lineno} {ast.unparse(keyword.value)}")
                    else:
                        found |= set(values)
    assert all(b.split(" ", 1)[1] in ("IMPORT_ACTION", "f'dataio.import_{self.name}'") for b in built), built
    batch_kinds = {name for name, kind in KINDS.items()
                   if any("self.audit_batch(" in inspect.getsource(cls) for cls in type(kind).__mro__[:-2])}
    return found | {f"dataio.import_{name}" for name in batch_kinds} | {IMPORT_ACTION}


def test_every_recorded_action_has_its_words():
    recorded = _recorded_actions()
    assert len(recorded) > 50  # the scan found the services' actions
    assert sorted(recorded - set(ACTIONS)) == []
    assert sorted(set(ACTIONS) - recorded) == [], "a label for an action nothing records any more"
    assert {code.split(".")[0] for code in ACTIONS} <= set(MODULES)


def test_labels_in_the_pages_language_and_unknown_codes_as_they_are():
    with translation.override("th"):
        assert action_label("welfare.claim_pay") == "จ่ายสวัสดิการ"
        welfare = str(MODULES["welfare"])
        assert (("welfare.", f"ทั้งหมดของ “{welfare}”") in dict(action_choices())[welfare])
    with translation.override("en"):
        assert action_label("welfare.claim_pay") == "Claim paid"
    assert action_label("old.action_gone") == "old.action_gone"
    values = [value for _, options in action_choices() for value, _ in options]
    assert len(values) == len(set(values)) == len(ACTIONS) + len(MODULES)


@pytest.mark.django_db
def test_the_page_shows_words_and_codes_and_its_filters_narrow(world, client, login, system_user, monkeypatch):
    from django.db import transaction

    from chumchon.core.audit import audit_record

    organisation = world["fund_a"].organisation
    with transaction.atomic():
        audit_record(actor=system_user, action="welfare.claim_pay", summary="ตรวจ-จ่าย", organisation=organisation)
    ten_days_ago = timezone.localdate() - datetime.timedelta(days=10)
    with monkeypatch.context() as clock, transaction.atomic():  # a row written ten days ago, by the system
        then = timezone.make_aware(datetime.datetime.combine(ten_days_ago, datetime.time(23, 30)))
        clock.setattr(timezone, "now", lambda: then)
        audit_record(actor=None, action="welfare.contribution_receive", summary="เมื่อสิบวันก่อน",
                     organisation=organisation)
    assert AuditLog.objects.get(summary="เมื่อสิบวันก่อน").at == then
    login(world["users"]["admin"])
    url = reverse("core:audit_list")
    body = client.get(url, {"action": "welfare.claim_pay"}).content.decode()
    assert "จ่ายสวัสดิการ" in body and "<code" in body and "welfare.claim_pay" in body and "ตรวจ-จ่าย" in body
    assert "เมื่อสิบวันก่อน" not in body
    body = client.get(url, {"action": "welfare."}).content.decode()
    assert "ตรวจ-จ่าย" in body and "เมื่อสิบวันก่อน" in body
    day = ten_days_ago.strftime("%d/%m/") + str(ten_days_ago.year + 543)
    body = client.get(url, {"since": day, "until": day}).content.decode()
    assert "เมื่อสิบวันก่อน" in body and "ตรวจ-จ่าย" not in body
    body = client.get(url, {"who": system_user.username, "action": "welfare."}).content.decode()
    assert "ตรวจ-จ่าย" in body and "เมื่อสิบวันก่อน" not in body  # that one has no actor: the system's
    body = client.get(url, {"who": "-", "action": "welfare."}).content.decode()
    assert "เมื่อสิบวันก่อน" in body and "ตรวจ-จ่าย" not in body


@pytest.mark.django_db
def test_a_filter_that_cannot_be_read_is_named_and_shows_nothing(world, client, login):
    login(world["users"]["admin"])
    response = client.get(reverse("core:audit_list"), {"since": "32/13/2569", "until": "01/01/2569"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_since"' in body and "has-error" in body
    assert "ยังไม่มีรายการบันทึกในขอบเขตของคุณ" in body  # nothing listed, rather than everything
    response = client.get(reverse("core:audit_list"), {"since": "10/01/2569", "until": "01/01/2569"})
    assert response.status_code == 400 and "the end date is before the start date" in response.content.decode()


@pytest.mark.django_db
def test_rows_link_to_their_records_in_a_constant_number_of_queries(world, client, login, make_person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chumchon.core.audit_links import resolvers

    login(world["users"]["admin"])
    url = reverse("core:audit_list")
    body = client.get(url).content.decode()
    cells = re.findall(r'<td><a href="([^"]+)">', body)
    assert any("/funds/A-001/" == c for c in cells) and any(c.startswith("/people/") for c in cells)
    assert any("/members/" in c for c in cells)
    for link in set(cells):
        assert client.get(link).status_code == 200, link
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(20):
        make_person("500203", fund=world["fund_a"], first_name=f"ลิงก์{i}")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    # More rows (a full page of people and members): no more queries — one a kind of record on the page, not one
    # a row (here fewer: the fund's and books' rows have moved to the second page).
    assert len(after) <= len(before)
    assert {"welfare.claim", "ledger.journalentry", "people.person", "dataio.importjob"} <= set(resolvers())


@pytest.mark.django_db
def test_a_row_links_only_to_a_record_its_reader_may_open(world):
    from types import SimpleNamespace

    from chumchon.core.audit_links import urls_for

    rows = [SimpleNamespace(object_type="welfare.fund", object_id=str(world["fund_a"].pk)),
            SimpleNamespace(object_type="people.person", object_id=str(world["a_people"][0].pk))]
    assert len(urls_for(rows, world["users"]["committee_a"])) == 2
    assert urls_for(rows, world["users"]["committee_b"]) == {}  # fund B's treasurer: neither is theirs


@pytest.mark.parametrize(("recorded", "thai", "english"), [
    ("CC-500203 2025-10-14", "CC-500203 14 ต.ค. 2568", "CC-500203 14 Oct 2025"),
    ("government 87600.00", "government 87,600.00", "government 87,600.00"),
    ("CM-500203 2024-10-01 ยอดยกมา 281,655.88", "CM-500203 1 ต.ค. 2567 ยอดยกมา 281,655.88",
     "CM-500203 1 Oct 2024 ยอดยกมา 281,655.88"),
    ("500203 2569 · 1/1 · 600.00", "500203 2569 · 1/1 · 600.00", "500203 2569 · 1/1 · 600.00"),  # left as it is
    ("RC2570-00001 2025-13-40", "RC2570-00001 2025-13-40", "RC2570-00001 2025-13-40"),  # not a date
])
def test_a_summary_reads_with_dates_and_amounts_as_people_write_them(recorded, thai, english):
    from chumchon.core.templatetags.audit import audit_summary

    with translation.override("th"):
        assert audit_summary(recorded) == thai
    with translation.override("en"):
        assert audit_summary(recorded) == english
