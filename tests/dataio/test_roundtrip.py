"""Export → import into an empty database → the same records. The export uses the import templates' columns, so
what one instance writes another reads; and exporting then importing into the same fund changes nothing. Text that
a spreadsheet would run as a formula (a member named ``=HYPERLINK(…)``) is written as text — a string cell in xlsx,
behind a single quote in CSV — and comes back as typed."""

import csv
import datetime
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from chumchon.core.models import AuditLog
from chumchon.dataio import exports
from chumchon.dataio.models import ImportJob
from chumchon.people.models import PersonalDataAccess
from chumchon.welfare import services as welfare
from chumchon.welfare.models import Membership

from .conftest import write
from .snapshot import fund_snapshot
from .test_history import BENEFICIARY_HEADER, OPENING, OPENING_HEADER, PAYOUT_HEADER, PAYOUTS

pytestmark = pytest.mark.django_db
KINDS_IN_ORDER = ["opening-balances", "memberships", "contributions", "payouts"]
# A member whose name and house number start like formulas: the round trip must bring them back as typed.
HOSTILE = ("0302", '=HYPERLINK("http://evil.example/?x","ดูเอกสารแนบ")', "-ใจร้าย", "@12/3")


@pytest.fixture
def books(run_import, fund, tmp_path, system_user):
    """Fund A with opening balances, members (one resigned, two without a national ID, one of them named like a
    formula), contributions and paid benefits (one a funeral)."""
    run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, OPENING))
    run_import("memberships", "members_good.xlsx")
    # A member with no national ID (the member number is her key): she must come back too.
    run_import("memberships", write(tmp_path, "no-id.csv", "เลขที่สมาชิก,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,วันที่สมัคร",
                                    ["0301,,นางมะลิ,ไร้สัญชาติ,01/10/2565"]))
    hostile = tmp_path / "hostile.csv"
    with hostile.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["เลขที่สมาชิก", "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "บ้านเลขที่", "วันที่สมัคร"])
        writer.writerow([HOSTILE[0], "", *HOSTILE[1:], "01/10/2565"])
    assert run_import("memberships", hostile).status == ImportJob.Status.DONE
    run_import("contributions", "contributions_good.csv")
    run_import("payouts", write(tmp_path, "payouts.csv", PAYOUT_HEADER, PAYOUTS))
    welfare.membership_end(actor=system_user, membership=Membership.objects.get(fund=fund, member_number="0105"),
                           status="resigned", on=datetime.date(2023, 1, 31))
    return fund


def _export_all(actor, fund, folder: Path, fmt: str) -> list[tuple[str, str]]:
    files = []
    for kind in KINDS_IN_ORDER:
        data, name = exports.export_file(actor=actor, kind=kind, fund=fund, fmt=fmt, purpose="ย้ายกองทุน (test)",
                                         as_of=datetime.date(2022, 10, 1))
        path = folder / name
        path.write_bytes(data)
        files.append((kind, str(path)))
    return files


def _imported_into_a_fresh_database(fund, files: list[tuple[str, str]], tmp_path: Path) -> dict:
    """The snapshot of ``fund`` made again from ``files`` in a freshly migrated empty database (``snapshot.py``)."""
    var = tmp_path / "fresh"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CHUMCHON_TESTING")}
    env.update(CHUMCHON_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="chumchon.config.settings", DEBUG="1")
    cli = Path(sys.executable).parent / "chumchon"
    for command in (["migrate", "-v0"], ["load_geography", "-v0"]):
        subprocess.run([str(cli), *command], env=env, check=True, capture_output=True, timeout=600)
    script = Path(__file__).parent / "snapshot.py"
    done = subprocess.run([sys.executable, str(script), fund.code, fund.organisation.subdistrict_id,
                           *[f"{k}={p}" for k, p in files]], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("SNAPSHOT "))
    return json.loads(line.removeprefix("SNAPSHOT "))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_into_an_empty_database(books, system_user, tmp_path, fmt):
    files = _export_all(system_user, books, tmp_path, fmt)
    moved = _imported_into_a_fresh_database(books, files, tmp_path)
    here = json.loads(json.dumps(fund_snapshot(books.code)))
    assert moved == here
    assert here["balances"]["1101"] == "2720.00" and len(here["claims"]) == 2
    assert {m[0]: (m[11], m[12]) for m in here["members"]}["0105"] == ("resigned", "2023-01-31")
    # The member whose name reads like a formula came back exactly as typed (first, last name, house number).
    assert [(m[0], m[3], m[4], m[7]) for m in moved["members"] if m[0] == HOSTILE[0]] == [HOSTILE]


def test_a_benefit_paid_to_a_dependant_comes_back_paid_to_her(books, system_user, run_import, make_person, tmp_path):
    """Member 0101's daughter (not a member) was paid 600 baht, voucher PV65/009. The payouts export names her in
    beneficiary_national_id (blank for the benefits the members received themselves), the fund's people export
    carries her beside its members, and the files imported into an empty database give the same claims: hers is
    still hers, not her parent's."""
    daughter = make_person(first_name="ลูกสาว")
    national_id = daughter.personal_data.national_id
    job = run_import("payouts", write(tmp_path, "daughter.csv", BENEFICIARY_HEADER,
                                      [f"PV65/009,0101,นอนโรงพยาบาล,02/01/2566,600.00,01/01/2566,{national_id}"]))
    assert job.status == ImportJob.Status.DONE, job.message
    data, _ = exports.export_file(actor=system_user, kind="payouts", fund=books, fmt="csv", purpose="ย้ายกองทุน (test)")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    english = rows[1]
    assert {r[english.index("voucher_number")]: r[english.index("beneficiary_national_id")] for r in rows[2:]} == {
        "PV65/001": "", "PV65/002": "", "PV65/009": national_id}

    # The fund's people file carries her beside the members. It goes in first, without the two members who have no
    # national ID (a people file's only key): they come with the members file.
    data, name = exports.export_file(actor=system_user, kind="people", fund=books, fmt="csv",
                                     purpose="ย้ายกองทุน (test)")
    header, english, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    with_id = [r for r in rows if r[english.index("national_id")]]
    assert national_id in {r[english.index("national_id")] for r in with_id}
    people = tmp_path / name
    with people.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, english, *with_id])
    moved = _imported_into_a_fresh_database(books, [("people", str(people)),
                                                    *_export_all(system_user, books, tmp_path, "csv")], tmp_path)
    assert moved["claims"] == fund_snapshot(books.code)["claims"]
    assert [c[-1] for c in moved["claims"] if c[0] == "PV65/009"] == [national_id]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_text_that_reads_like_a_formula_is_written_as_text(books, system_user, fmt):
    """xlsx: a string cell holding the text as typed, never a formula; CSV: a single quote in front."""
    data, _ = exports.export_file(actor=system_user, kind="memberships", fund=books, fmt=fmt, purpose="ตรวจ (test)")
    number, first, last, house = HOSTILE
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml
        rows = list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(min_row=3))
        row = next(r for r in rows if number in [c.value for c in r])
        cells = {c.value: c for c in row}
        for text in (first, last, house):
            assert cells[text].data_type == "s", text
    else:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        row = next(r for r in rows[2:] if number in r)
        assert "'" + first in row and "'" + last in row and "'" + house in row
        assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_export_then_import_here_changes_nothing(books, system_user, run_import, tmp_path):
    files = _export_all(system_user, books, tmp_path, "csv")
    before = fund_snapshot(books.code)
    for kind, path in files:
        job = run_import(kind, path)
        assert job.status == ImportJob.Status.DONE and job.rows_written == 0, (kind, job.message)
        assert job.rows_unchanged == job.rows_read
    assert fund_snapshot(books.code) == before


def test_opening_balances_as_at_a_later_date_fold_the_year_into_the_fund_balance(books, system_user, tmp_path):
    """As at 1 Jan 2023: 2,220 contributions − 4,500 benefits = −2,280 into the members' fund balance
    (18,000 − 2,280 = 15,720), cash 2,720."""
    data, _ = exports.export_file(actor=system_user, kind="opening-balances", fund=books, fmt="csv",
                                  as_of=datetime.date(2023, 1, 1))
    lines = data.decode("utf-8-sig").splitlines()[2:]
    assert lines == [
        "A-001,01/01/2566,1101,เงินสด,2720.00,",
        "A-001,01/01/2566,1102,เงินฝากธนาคาร ออมทรัพย์,20000.00,",
        "A-001,01/01/2566,3101,ทุนกองทุน: เงินสมทบสมาชิก,,15720.00",
        "A-001,01/01/2566,3102,ทุนกองทุน: เงินสมทบรัฐบาลผ่าน พอช.,,7000.00",
    ]


def test_exports_are_scoped_need_a_purpose_and_are_audited(books, world):
    other = world["users"]["committee_b"]
    with pytest.raises(PermissionDenied):
        exports.export_file(actor=other, kind="contributions", fund=books, fmt="csv")
    member = world["users"]["member"]
    with pytest.raises(PermissionDenied):
        exports.export_file(actor=member, kind="memberships", fund=books, fmt="csv", purpose="อยากได้รายชื่อ")
    treasurer = world["users"]["committee_a"]
    with pytest.raises(ValidationError) as no_purpose:
        exports.export_file(actor=treasurer, kind="memberships", fund=books, fmt="csv")
    assert "purpose" in no_purpose.value.message_dict
    data, name = exports.export_file(actor=treasurer, kind="memberships", fund=books, fmt="csv",
                                     purpose="ส่งรายชื่อให้ อปท.")
    assert name.startswith("memberships-A-001-") and name.endswith(".csv")
    # two header rows, 3 + 5 members + two without an ID
    assert len(data.decode("utf-8-sig").splitlines()) == 2 + 10
    entry = AuditLog.objects.filter(action="dataio.export").latest("id")
    assert entry.data["purpose"] == "ส่งรายชื่อให้ อปท." and entry.data["rows"] == 10
    logged = PersonalDataAccess.objects.filter(actor=treasurer, kind=PersonalDataAccess.Kind.EXPORT)
    assert logged.count() == 10 and {a.purpose for a in logged} == {"ส่งรายชื่อให้ อปท."}


def test_a_funds_own_export_imported_again_is_already_there(run_import, system_user, make_person, make_user,
                                                             tmp_path, settings):
    """Records made at the counter — receipts with their own keys, a claim paid with a voucher number, a member
    without a national ID — exported and imported into the same fund: every row is already there, nothing new,
    nothing refused (the paid claim is known by its voucher number, not only by an imported claim's key)."""
    from .test_archive import build_fund

    settings.MEDIA_ROOT = tmp_path / "media"
    fund = build_fund(system_user, make_person, make_user)
    for kind in ("memberships", "contributions", "payouts"):
        data, name = exports.export_file(actor=system_user, kind=kind, fund=fund, fmt="xlsx", purpose="ตรวจซ้ำ (test)")
        path = tmp_path / name
        path.write_bytes(data)
        job = run_import(kind, path, fund=fund, write=False)
        assert (job.rows_invalid, job.checked_new, job.checked_updated) == (0, 0, 0), (
            kind, list(job.problems.values_list("row", "code", "message_en")))
        assert job.checked_unchanged == job.rows_read > 0, kind
