"""The import and export pages: other funds' imports never listed, constant queries, the export form."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_other_funds_imports_never_listed_and_queries_constant(world, run_import, client, login):
    run_import("contributions", "contributions_bad.csv")  # fund A's
    login(world["users"]["committee_b"])
    body = client.get(reverse("dataio:import_list")).content.decode()
    assert "contributions_bad.csv" not in body
    client.logout()
    login(world["users"]["committee_a"])
    client.get(reverse("dataio:import_list"))
    with CaptureQueriesContext(connection) as one:
        body = client.get(reverse("dataio:import_list")).content.decode()
    assert "contributions_bad.csv" in body
    for _ in range(5):
        run_import("contributions", "contributions_bad.csv")
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("dataio:import_list"))
    assert len(six) == len(one)


def test_export_form_needs_a_purpose_for_personal_data_then_sends_the_file(world, client, login):
    login(world["users"]["committee_a"])
    url = reverse("dataio:export")
    page = client.get(url + "?kind=memberships&fund=A-001").content.decode()
    fund = world["fund_a"].pk
    assert f'<option value="{fund}" selected>A-001' in page  # the list's link chose the fund
    refused = client.post(url, {"kind": "memberships", "fund": fund, "format": "csv"})
    assert refused.status_code == 400
    assert "วัตถุประสงค์" in refused.content.decode()
    sent = client.post(url, {"kind": "memberships", "fund": fund, "format": "csv", "purpose": "ส่งรายชื่อให้ อปท."})
    assert sent.status_code == 200 and sent["Content-Disposition"].startswith('attachment; filename="memberships-A-001')
    lines = sent.getvalue().decode("utf-8-sig").splitlines()  # a file sent as it is read
    assert lines[0].startswith("รหัสกองทุน,เลขที่สมาชิก,เลขประจำตัวประชาชน") and len(lines) == 2 + 3


def test_export_of_another_funds_records_is_refused(world, client, login):
    login(world["users"]["committee_b"])
    response = client.post(reverse("dataio:export"), {"kind": "contributions", "fund": world["fund_a"].pk,
                                                      "format": "csv"})
    assert response.status_code == 400  # fund A is not among the choices of fund B's treasurer
    assert "A-001" not in response.content.decode()


def test_a_job_of_no_fund_stays_its_makers(world, councils, run_import, client, login, tmp_path):
    """A council officer imports organisations (no fund): they see the job and its report; an officer elsewhere
    does not; national staff do."""
    from chumchon.dataio.models import ImportJob

    from .conftest import write

    officer = world["users"]["council_a"]
    path = write(tmp_path, "orgs.csv", "รหัสสภา,เลขที่จดแจ้ง,ชื่อองค์กร,ประเภทองค์กร,วันที่จดแจ้ง",
                 ["CC-500203,0001,กลุ่มออมทรัพย์บ้านหนองบัว,กลุ่มออมทรัพย์,12/03/2564"])
    job = run_import("organisations", path, fund=False, actor=officer, write=False)
    assert job.status == ImportJob.Status.CHECKED and job.organisation is None
    login(officer)
    assert client.get(reverse("dataio:import_detail", args=[job.pk])).status_code == 200
    assert "orgs.csv" in client.get(reverse("dataio:import_list")).content.decode()
    client.logout()
    login(world["users"]["province_other"])
    assert client.get(reverse("dataio:import_detail", args=[job.pk])).status_code == 404
    assert "orgs.csv" not in client.get(reverse("dataio:import_list")).content.decode()


def test_councils_export_without_a_fund_holds_only_what_the_user_may_see(world, councils, client, login):
    login(world["users"]["council_a"])
    sent = client.post(reverse("dataio:export"), {"kind": "councils", "format": "csv"})
    assert sent.status_code == 200 and 'filename="councils-all-' in sent["Content-Disposition"]
    lines = sent.getvalue().decode("utf-8-sig").splitlines()  # a file sent as it is read
    assert len(lines) == 2 + 1 and lines[2].startswith("CC-500203,สภาองค์กรชุมชนตำบล A,500203,ตำบล,01/03/2553")


def test_council_pages_link_to_import_and_export_with_the_kind_chosen(world, councils, client, login):
    login(world["users"]["council_a"])
    listing = client.get(reverse("councils:organisation_list")).content.decode()
    assert "/data/imports/new/?kind=organisations" in listing and "/data/export/?kind=organisations" in listing
    assert "/data/imports/new/?kind=councils" in client.get(reverse("councils:council_list")).content.decode()
    form = client.get(reverse("dataio:import_new") + "?kind=organisations").content.decode()
    assert '<option value="organisations" selected>' in form
    client.logout()
    login(world["users"]["auditor"])  # sees, never changes: no import link
    assert "/data/imports/new/" not in client.get(reverse("councils:organisation_list")).content.decode()


def test_a_checked_file_says_what_it_would_do_before_it_is_confirmed(world, run_import, client, login):
    run_import("memberships", "members_good.xlsx")
    again = run_import("memberships", "members_good.xlsx", write=False)
    login(world["users"]["committee_a"])
    body = client.get(reverse("dataio:import_detail", args=[again.pk])).content.decode()
    outcome = body.split('id="outcome">', 1)[1].split("</p>", 1)[0]
    assert "เพิ่มใหม่ 0" in outcome and "ปรับปรุง 0" in outcome and "มีอยู่แล้ว 5" in outcome, outcome


def test_a_fund_committee_finds_its_fund_already_chosen(world, client, login):
    """A treasurer has one fund: the import and export forms choose it; staff who see many funds choose one."""
    fund = world["fund_a"].pk
    login(world["users"]["committee_a"])
    for url in (reverse("dataio:import_new"), reverse("dataio:export")):
        page = client.get(url).content.decode()
        assert f'<option value="{fund}" selected>A-001' in page, url
        assert f'<option value="{world["fund_b"].pk}"' not in page
    page = client.get(reverse("dataio:import_new")).content.decode()
    assert 'accept=".xlsx,.csv' in page  # the phone's picker offers spreadsheets first
    assert '<option value="memberships" selected>' in page  # what most files hold
    councils = client.get(reverse("dataio:import_new") + "?kind=councils").content.decode()
    assert '<option value="councils" selected>' in councils  # a link's kind wins
    client.logout()
    login(world["users"]["auditor"])  # sees every fund
    page = client.get(reverse("dataio:export")).content.decode()
    choices = page.split('id="id_fund"')[1].split("</select>")[0]
    assert f'<option value="{fund}">A-001' in choices and f'<option value="{world["fund_b"].pk}">B-001' in choices
    assert '<option value="" selected>' in choices  # the blank choice: none chosen for them


def test_a_finished_import_points_to_what_it_wrote_and_what_comes_next(world, run_import, client, login):
    members = run_import("memberships", "members_good.xlsx")
    receipts = run_import("contributions", "contributions_good.csv")
    assert members.status == receipts.status == "done"
    login(world["users"]["committee_a"])
    body = client.get(reverse("dataio:import_detail", args=[members.pk])).content.decode()
    steps = body.split('id="next-steps"')[1].split("</p>")[0]
    assert reverse("welfare:fund_detail", args=["A-001"]) in steps
    assert reverse("dataio:import_new") + "?kind=contributions" in steps
    body = client.get(reverse("dataio:import_detail", args=[receipts.pk])).content.decode()
    steps = body.split('id="next-steps"')[1].split("</p>")[0]
    book = world["fund_a"].organisation.book.code
    assert reverse("ledger:journal", args=[book]) in steps and reverse("dataio:import_new") in steps
    for href in steps.split('href="')[1:]:
        assert client.get(href.split('"')[0].replace("&amp;", "&")).status_code == 200, href
    checked = run_import("contributions", "contributions_bad.csv", write=False)
    body = client.get(reverse("dataio:import_detail", args=[checked.pk])).content.decode()
    assert 'id="next-steps"' not in body  # not done: the confirm button, not next steps


def test_the_import_list_pages_and_filters(world, run_import, client, login):
    done = run_import("memberships", "members_good.xlsx")
    checked = run_import("contributions", "contributions_bad.csv", write=False)
    login(world["users"]["committee_a"])
    url = reverse("dataio:import_list")

    def listed(**params) -> set[int]:
        body = client.get(url, params).content.decode()
        return {int(pk) for pk in re.findall(r'href="/data/imports/(\d+)/"', body)}

    assert listed() == {done.pk, checked.pk}
    assert listed(status="done") == {done.pk}
    assert listed(kind="contributions") == {checked.pk}
    assert listed(status="done", kind="contributions") == set()
    assert "ไม่มีการนำเข้าที่ตรงกับเงื่อนไขนี้" in client.get(url, {"status": "failed"}).content.decode()
    assert listed(status="nonsense") == {done.pk, checked.pk}  # an unknown value filters nothing out
    for _ in range(50):
        run_import("contributions", "contributions_bad.csv", write=False)
    first, second = listed(), listed(page=2)
    assert len(first) == 50 and len(second) == 2 and not first & second
    assert done.pk in second  # the oldest last


def test_the_page_and_the_report_show_what_an_updated_file_changes(world, run_import, client, login, tmp_path):
    import io

    from openpyxl import load_workbook

    from .conftest import FIXTURES

    run_import("memberships", "members_english.csv")
    changed = tmp_path / "members.csv"
    changed.write_text((FIXTURES / "members_english.csv").read_text("utf-8").replace("ใจดี", "ใจงาม"), "utf-8")
    job = run_import("memberships", changed, write=False)
    login(world["users"]["committee_a"])
    body = client.get(reverse("dataio:import_detail", args=[job.pk])).content.decode()
    table = body.split('id="change-list"')[1].split("</table>")[0]
    assert "นามสกุล" in table and "ใจดี" in table and "ใจงาม" in table
    assert "สิ่งที่แถวที่ถูกต้องจะเปลี่ยนในข้อมูลที่มีอยู่แล้ว" in body  # before the write: "will change"
    report = load_workbook(io.BytesIO(client.get(reverse("dataio:import_report", args=[job.pk])).content))
    sheet = report["การเปลี่ยนแปลง (changes)"]
    assert [tuple(r) for r in sheet.iter_rows(min_row=2, values_only=True)] == [(2, "นามสกุล", "ใจดี", "ใจงาม")]


def test_with_too_many_funds_to_list_the_fund_is_typed_by_its_code(world, client, login, monkeypatch, tmp_path):
    """A country has thousands of funds: national and regional staff type the code instead of scrolling a list."""
    from chumchon.dataio import forms as dataio_forms
    from chumchon.dataio.models import ImportJob

    monkeypatch.setattr(dataio_forms, "FUNDS_LISTED", 1)
    login(world["users"]["admin"])
    page = client.get(reverse("dataio:import_new")).content.decode()
    assert 'name="fund"' in page and '<select name="fund"' not in page and 'placeholder="CM-500203"' in page
    path = tmp_path / "m.csv"
    path.write_text("เลขที่สมาชิก,เลขประจำตัวประชาชน,ชื่อ,วันที่สมัคร\n0901,,นายพิมพ์รหัส,01/10/2565\n",
                    encoding="utf-8-sig")
    with path.open("rb") as upload:
        response = client.post(reverse("dataio:import_new"), {"kind": "memberships", "fund": "b-001",
                                                              "file": upload, "mode": "all"})
    assert response.status_code == 302
    assert ImportJob.objects.latest("pk").fund == world["fund_b"]  # the code, any case
    with path.open("rb") as upload:
        response = client.post(reverse("dataio:import_new"), {"kind": "memberships", "fund": "ZZ-999",
                                                              "file": upload, "mode": "all"})
    assert "ไม่พบกองทุนรหัส ZZ-999" in response.content.decode()
    export = client.get(reverse("dataio:export") + "?kind=memberships&fund=A-001").content.decode()
    assert 'value="A-001"' in export  # the list's link still chooses the fund, shown by its code


def test_the_export_page_sends_a_file_written_as_its_rows_are_read(world, client, login):
    """The page writes the export into a temporary file and sends it from there (a country's people do not fit
    in memory): a streamed response, the same bytes as the in-memory export."""
    import tempfile

    from chumchon.dataio import exports

    login(world["users"]["committee_a"])
    sent = client.post(reverse("dataio:export"), {"kind": "memberships", "fund": world["fund_a"].pk,
                                                  "format": "csv", "purpose": "ตรวจรายชื่อ"})
    assert sent.status_code == 200 and sent.streaming
    body = sent.getvalue()
    with tempfile.TemporaryFile() as handle:
        exports.export_to(handle, actor=world["users"]["committee_a"], kind="memberships", fund=world["fund_a"],
                          fmt="csv", purpose="ตรวจรายชื่อ")
        handle.seek(0)
        assert handle.read() == body
    members = len(world["a_people"])  # fund A's members, as the world made them
    assert body.startswith("\ufeff".encode()) and body.count(b"\r\n") == 2 + members  # two header rows, then them


def test_a_stalled_import_is_resumed_once_and_a_live_one_never(world, fund, run_import, client, login, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    """A worker killed after its first batch: the page offers to resume; resuming queues the write again, which
    goes on after that batch. While the worker is still heard from (or right after a resume) it is refused."""
    import datetime

    from chumchon.core.models import AuditLog
    from chumchon.dataio import services
    from chumchon.dataio.kinds import KINDS
    from chumchon.dataio.models import ImportJob
    from chumchon.welfare.models import Contribution

    run_import("memberships", "members_good.xlsx")
    monkeypatch.setattr(KINDS["contributions"], "batch_size", 2)
    monkeypatch.setattr(KINDS["contributions"], "stages", False)
    job = services.job_confirm(actor=None, job=run_import("contributions", "contributions_good.csv", write=False))

    def killed(job):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        services.job_write(job, system=True, after_batch=killed)
    login(world["users"]["committee_a"])
    url, resume = reverse("dataio:import_detail", args=[job.pk]), reverse("dataio:import_resume", args=[job.pk])
    assert resume not in client.get(url).content.decode()  # heard from a moment ago: not stalled
    with django_capture_on_commit_callbacks(execute=True) as queued:
        body = client.post(resume, follow=True).content.decode()
    assert not _imports(queued) and "ยังทำงานอยู่" in body and "still running" in body
    assert Contribution.objects.filter(fund=fund).count() == 2

    ImportJob.objects.filter(pk=job.pk).update(heartbeat=job.heartbeat - ImportJob.STALLED_AFTER
                                               - datetime.timedelta(seconds=1))
    assert resume in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(resume)
    assert _imports(queued) == ["enqueue_write"]  # queued once (the tests run tasks at once)
    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("done", 5)
    assert Contribution.objects.filter(fund=fund).count() == 5
    assert AuditLog.objects.filter(action="dataio.job_resume", object_id=str(job.pk)).count() == 1
    with django_capture_on_commit_callbacks(execute=True) as queued:
        body = client.post(resume, follow=True).content.decode()
    assert not _imports(queued) and "not running" in body


def _imports(callbacks) -> list[str]:
    """The import phases queued among a request's on-commit callbacks (others refresh the area summaries)."""
    return [name for cb in callbacks if (name := cb.__qualname__.split(".")[0]).startswith("enqueue_")]


def test_a_role_without_personal_data_is_offered_only_what_it_may_export(world, councils, client, login):
    """Provincial staff (no unmasked personal data): no export button for people, the form offers what holds
    none and says why; organisations come without their leaders and contacts (no purpose asked); a file of
    people asked for anyway is refused on the form, not with an error page."""
    import csv
    import datetime
    import io

    from chumchon.councils import services as council_services

    council_services.organisation_register(
        actor=world["users"]["admin"], council=councils["a"], name_th="กลุ่มออมทรัพย์บ้านหนองบัว", kind="savings",
        number="0001", registered_on=datetime.date(2021, 3, 12), leaders="นางสมศรี มีสุข (ประธาน)",
        contact="081-234-5678")
    login(world["users"]["province_a"])
    assert "?kind=people" not in client.get(reverse("people:person_list")).content.decode()
    assert "?kind=organisations" in client.get(reverse("councils:organisation_list")).content.decode()
    page = client.get(reverse("dataio:export") + "?kind=people").content.decode()
    kinds = page.split('id="id_kind"')[1].split("</select>")[0]
    assert 'value="organisations"' in kinds and 'value="people"' not in kinds and 'value="memberships"' not in kinds
    assert 'id="refused-kind"' in page and 'id="not-offered"' in page
    response = client.post(reverse("dataio:export"), {"kind": "people", "format": "csv", "purpose": "ตรวจ"})
    assert response.status_code == 400 and "kind" in response.context["form"].errors
    response = client.post(reverse("dataio:export"), {"kind": "organisations", "format": "csv"})
    assert response.status_code == 200, response.context["form"].errors
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))[1:]
    assert [(r["ชื่อองค์กร"], r["ผู้นำองค์กร"], r["ติดต่อ"]) for r in rows] == [("กลุ่มออมทรัพย์บ้านหนองบัว", "", "")]
    client.logout()
    login(world["users"]["committee_a"])  # the fund's own committee sees its people: everything offered
    page = client.get(reverse("dataio:export") + "?kind=people").content.decode()
    assert 'value="people"' in page and 'id="refused-kind"' not in page and 'id="not-offered"' not in page


def test_confirm_refuses_a_mode_it_does_not_know(world, run_import, client, login,
                                                 django_capture_on_commit_callbacks):
    """A hand-made POST with another mode: said on the page in Thai and English, nothing changed or queued."""
    from chumchon.dataio.models import ImportJob

    job = run_import("memberships", "members_good.xlsx", write=False)
    login(world["users"]["committee_a"])
    with django_capture_on_commit_callbacks(execute=True) as queued:
        body = client.post(reverse("dataio:import_confirm", args=[job.pk]), {"mode": "everything"},
                           follow=True).content.decode()
    assert "ไม่รู้จักแบบการนำเข้า (mode)" in body and "unknown import mode" in body and "everything" in body
    job.refresh_from_db()
    assert (job.status, job.mode) == (ImportJob.Status.CHECKED, ImportJob.Mode.ALL_OR_NOTHING)
    assert not [cb for cb in queued if cb.__qualname__.startswith("enqueue_")]


def test_import_report_keeps_personal_data_from_roles_without_the_right(world, run_import, client, login, tmp_path):
    """A members import with a bad row and a changed surname: the fund's committee reads the row's values and the
    change on the page and in the report; provincial staff (no unmasked personal data, as the export leaves the
    columns empty for them) read where the problems are and why, without the values."""
    import io

    from openpyxl import load_workbook

    from chumchon.core.thai.national_id import make_valid
    from chumchon.dataio.models import ImportJob

    from .conftest import write

    nid, other = make_valid("310050000999"), make_valid("310050000998")
    header = "เลขที่สมาชิก,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,วันเกิด,วันที่สมัคร,โทรศัพท์"
    run_import("memberships", write(tmp_path, "m.csv", header, [f"0902,{other},นายเปิด,เผย,01/01/2511,01/10/2565,"]))
    job = run_import("memberships", write(tmp_path, "m2.csv", header, [
        f"0901,{nid},นางลับ,เฉพาะ,01/01/2510,99/99/2565,0899999999",  # a bad joining date
        f"0902,{other},นายเปิด,ลับสุด,01/01/2511,01/10/2565,"]), actor=world["users"]["committee_a"])
    assert job.status == ImportJob.Status.CHECKED and job.rows_invalid == 1 and job.changes.count() == 1

    def seen(user):
        client.logout()
        login(user)
        page = client.get(reverse("dataio:import_detail", args=[job.pk])).content.decode()
        book = load_workbook(io.BytesIO(client.get(reverse("dataio:import_report", args=[job.pk])).content))
        cells = " ".join(str(c) for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r if c)
        return page, cells

    page, cells = seen(world["users"]["committee_a"])
    for text in (nid, "0899999999", "ลับสุด"):
        assert text in cells, text
    assert "ลับสุด" in page and "personal-hidden" not in page
    page, cells = seen(world["users"]["province_a"])
    for text in (nid, "0899999999", "นางลับ", "ลับ", "99/99/2565", "ลับสุด", "เผย"):
        assert text not in cells and text not in page, text
    assert 'id="personal-hidden"' in page and "วันที่สมัคร" in page and "นามสกุล" in page  # where, not what
    assert "วันที่สมัคร" in cells and "นามสกุล" in cells
