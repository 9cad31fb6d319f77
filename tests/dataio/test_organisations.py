"""Importing a council's register of community organisations: new ones registered, known ones updated or left as
they are, every mistake named by row and column, and the export reads back in."""

import datetime
import io

import pytest
from django.core.management import call_command

from chumchon.councils.models import CommunityOrganization, Registration
from chumchon.dataio import exports
from chumchon.dataio.models import ImportJob

from .conftest import problems, write

pytestmark = pytest.mark.django_db
DONE = ImportJob.Status.DONE
HEADER = "รหัสสภา,เลขที่จดแจ้ง,ชื่อองค์กร,ประเภทองค์กร,วันที่จดแจ้ง,หมู่ที่,วันที่ก่อตั้ง,จำนวนสมาชิก,ผู้นำองค์กร,ติดต่อ"
GOOD = [
    "CC-500203,0001,กลุ่มออมทรัพย์บ้านหนองบัว,กลุ่มออมทรัพย์,12/03/2564,4,01/06/2555,35,นางสมศรี มีสุข,0812345678",
    "CC-500203,0002,ชมรมผู้สูงอายุตำบล,elderly,2021-04-01,,,\"1,200\",,",
    "CC-400101,0001,กลุ่มทอผ้าบ้านโนน,กลุ่มอาชีพ,1 พ.ค. 2564,2,,20,นายบุญมี ทองดี,",
]


def _run(run_import, tmp_path, name, rows, **kw):
    return run_import("organisations", write(tmp_path, name, HEADER, rows), fund=False, **kw)


def test_a_register_comes_in_and_again_changes_nothing(run_import, councils, tmp_path):
    job = _run(run_import, tmp_path, "orgs.csv", GOOD)
    assert (job.status, job.rows_written) == (DONE, 3), [(p.row, p.message_en) for p in job.problems.all()]
    reg = Registration.objects.select_related("organization__organisation").get(council=councils["a"], number="0001")
    org = reg.organization
    assert (org.name, org.kind, org.village_number, org.members_count) == ("กลุ่มออมทรัพย์บ้านหนองบัว", "savings", 4, 35)
    assert (reg.registered_on, org.founded_on) == (datetime.date(2021, 3, 12), datetime.date(2012, 6, 1))
    assert org.organisation.subdistrict == councils["a"].organisation.subdistrict
    assert CommunityOrganization.objects.get(organisation__name_th="ชมรมผู้สูงอายุตำบล").members_count == 1200
    again = _run(run_import, tmp_path, "orgs.csv", GOOD)
    assert (again.status, again.rows_written, again.rows_updated, again.rows_unchanged) == (DONE, 0, 0, 3)
    # The register later says the savings group has 40 members and a new phone: one row updated, and audited.
    changed = [GOOD[0].replace(",35,", ",40,").replace("0812345678", "0899999999"), *GOOD[1:]]
    job = _run(run_import, tmp_path, "orgs2.csv", changed)
    assert (job.rows_updated, job.rows_unchanged) == (1, 2)
    assert (job.checked_new, job.checked_updated, job.checked_unchanged) == (0, 1, 2)  # said by the check
    assert sorted(job.changes.values_list("row", "old", "new")) == [(2, "0812345678", "0899999999"), (2, "35", "40")]
    org.refresh_from_db()
    assert (org.members_count, org.contact) == (40, "0899999999")


def test_mistakes_are_named(run_import, councils, tmp_path):
    _run(run_import, tmp_path, "first.csv", GOOD[:1])
    job = _run(run_import, tmp_path, "bad.csv", [
        "XX-999,0001,กลุ่มก,อื่น ๆ,01/01/2564,,,,,",                          # 2 unknown council
        "CC-500203,0001,กลุ่มอื่นชื่อ,อื่น ๆ,12/03/2564,,,,,",                  # 3 number of another organisation
        "CC-500203,0003,กลุ่มค,อื่น ๆ,01/01/2552,,,,,",                        # 4 before the council
        "CC-500203,0004,กลุ่มง,อื่น ๆ,01/01/2564,,01/01/2565,,,",               # 5 founded after registering
        "CC-500203,0005,กลุ่มจ,ชมรมฟุตบอล,01/01/2564,,,,,",                    # 6 unknown kind
        "CC-500203,0006,กลุ่มออมทรัพย์บ้านหนองบัว,กลุ่มออมทรัพย์,01/01/2564,,,,,",  # 7 registered under 0001
        "CC-500203,0007,กลุ่มฉ,อื่น ๆ,01/01/2564,,,,,",
        "CC-500203,0007,กลุ่มช,อื่น ๆ,01/01/2564,,,,,",                        # 9 number twice in the file
    ])
    assert problems(job) == [(2, "unknown_council"), (3, "number_taken"), (4, "before_council"), (5, "founded_after"),
                             (6, "kind"), (7, "registered_twice"), (9, "duplicate_in_file")]
    assert job.status == ImportJob.Status.CHECKED and job.rows_written == 0
    moved = _run(run_import, tmp_path, "moved.csv", [
        "CC-500203,0001,กลุ่มออมทรัพย์บ้านหนองบัว,กลุ่มออมทรัพย์,13/03/2564,,,,,"])
    assert problems(moved) == [(2, "registered_differently")]
    assert Registration.objects.count() == 1


def test_only_councils_the_user_may_record_for(run_import, councils, world, tmp_path):
    officer = world["users"]["council_a"]  # council officer of subdistrict A only
    job = _run(run_import, tmp_path, "orgs.csv", GOOD, actor=officer, mode=ImportJob.Mode.VALID_ROWS)
    assert problems(job) == [(4, "forbidden")]
    assert job.status == DONE and job.rows_written == 2
    assert not Registration.objects.filter(council=councils["b"]).exists()


def test_the_export_reads_back_in_unchanged(run_import, councils, system_user, tmp_path):
    _run(run_import, tmp_path, "orgs.csv", GOOD)
    data, name = exports.export_file(actor=system_user, kind="organisations", fmt="csv", purpose="ส่งทะเบียนให้จังหวัด")
    assert name.startswith("organisations-all-")
    lines = data.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 + 3 and lines[2].startswith("CC-400101,0001,กลุ่มทอผ้าบ้านโนน,กลุ่มอาชีพ,01/05/2564")
    path = tmp_path / name
    path.write_bytes(data)
    job = run_import("organisations", path, fund=False)
    assert (job.status, job.rows_written, job.rows_updated, job.rows_unchanged) == (DONE, 0, 0, 3), job.message


def test_leaders_and_contact_only_where_the_user_may_see_the_organisations_personal_data(
        run_import, councils, world, tmp_path, django_assert_max_num_queries):
    """Regional staff of the north who also audit council B (Khon Kaen): the right to see personal data held for
    council B filled every northern row's leaders and phone, which the organisation's page masks for them. Now
    only council B's row carries them, decided in the export's one query (not one per row)."""
    from chumchon.access.roles import Role, ScopeKind
    from chumchon.access.services import role_assign

    _run(run_import, tmp_path, "orgs.csv", [*GOOD, "CC-500203,0003,กลุ่มสตรี,กลุ่มสตรี,12/03/2564,,,9,นางแดง,0899999999"])
    north = world["users"]["regional_north"]
    role_assign(actor=world["users"]["admin"], user=north, role=Role.AUDITOR, scope_kind=ScopeKind.ORGANISATION,
                scope=councils["b"].organisation)
    with django_assert_max_num_queries(7):
        data, _ = exports.export_file(actor=north, kind="organisations", fmt="csv", purpose="ตรวจสอบทะเบียน")
    rows = [line.split(",") for line in data.decode("utf-8-sig").splitlines()[2:]]
    assert [(r[0], r[1], r[8], r[9]) for r in rows] == [
        ("CC-400101", "0001", "นายบุญมี ทองดี", ""),
        ("CC-500203", "0001", "", ""), ("CC-500203", "0002", "", ""), ("CC-500203", "0003", "", "")]


def test_the_command_line(councils, tmp_path):
    with pytest.raises(SystemExit) as done:
        call_command("import", "organisations", str(write(tmp_path, "orgs.csv", HEADER, GOOD)), stdout=io.StringIO())
    assert done.value.code == 0 and Registration.objects.count() == 3


HOSTILE_NAME = '=HYPERLINK("http://evil.example/?x","ดูเอกสารแนบ")'


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_name_that_reads_like_a_formula_is_exported_as_text_and_reads_back(run_import, councils, system_user,
                                                                             tmp_path, fmt):
    """The reviewer's case: an organisation registered as ``=HYPERLINK(…)`` (leaders ``-…``, contact ``+66…``) is
    a string cell in xlsx, never a formula, and behind a single quote in CSV; either file imports back unchanged."""
    import csv
    import zipfile

    from openpyxl import load_workbook

    path = tmp_path / "hostile.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER.split(","))
        writer.writerow(["CC-500203", "0009", HOSTILE_NAME, "อื่น ๆ", "01/01/2564", "", "", "12", "-นางสมศรี",
                         "+66 81 234 5678"])
    assert _run(run_import, tmp_path, "x.csv", GOOD).status == DONE
    assert run_import("organisations", path, fund=False).status == DONE
    data, name = exports.export_file(actor=system_user, kind="organisations", fmt=fmt, purpose="ส่งทะเบียนให้จังหวัด")
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml
        row = next(r for r in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows() if r[1].value == "0009")
        by_value = {c.value: c for c in row}
        for text in (HOSTILE_NAME, "-นางสมศรี", "+66 81 234 5678"):
            assert by_value[text].data_type == "s", text  # a string cell, exactly as typed
        assert by_value[12].data_type == "n"  # the number of members stays a number
    else:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        row = next(r for r in rows if r[1] == "0009")
        assert row[2] == "'" + HOSTILE_NAME and row[8:] == ["'-นางสมศรี", "'+66 81 234 5678"]
        assert row[7] == "12"
    exported = tmp_path / name
    exported.write_bytes(data)
    job = run_import("organisations", exported, fund=False)
    assert (job.status, job.rows_written, job.rows_updated, job.rows_unchanged) == (DONE, 0, 0, 4), job.message
    org = CommunityOrganization.objects.get(registrations__number="0009")
    assert (org.name, org.leaders, org.contact) == (HOSTILE_NAME, "-นางสมศรี", "+66 81 234 5678")


def test_the_problem_report_writes_the_files_values_as_text(run_import, councils, tmp_path):
    """The problem report repeats what the file held (the value of each problem, the rows): as string cells,
    never as formulas."""
    import zipfile

    from openpyxl import load_workbook

    from chumchon.dataio.files import report_xlsx

    job = _run(run_import, tmp_path, "bad.csv", [f'CC-500203,0010,"{HOSTILE_NAME.replace(chr(34), chr(34) * 2)}",'
                                                 '=1+1,01/01/2564,,,,,'])
    assert problems(job) == [(2, "kind")]
    data = report_xlsx(job)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in xml for xml in sheets)
    book = load_workbook(io.BytesIO(data))
    texts = {c.value: c.data_type for sheet in book.worksheets for row in sheet.iter_rows() for c in row
             if c.value in (HOSTILE_NAME, "=1+1")}
    assert texts == {HOSTILE_NAME: "s", "=1+1": "s"}
