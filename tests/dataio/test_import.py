"""Importing members and contribution history: what real files look like, what goes wrong, and the books."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from chumchon.core.thai.national_id import make_valid
from chumchon.dataio.models import ImportJob
from chumchon.ledger.models import Account, JournalEntry
from chumchon.people.models import PersonalData
from chumchon.welfare.models import Contribution, Membership

from .conftest import FIXTURES, problems, stalled, write

pytestmark = pytest.mark.django_db
DONE = ImportJob.Status.DONE


def test_receipts_repeated_or_outside_the_membership_each_named(run_import, fund, tmp_path):
    """A row typed twice, a receipt paid before joining or after leaving, an amount of no whole days: each is
    its row's problem, and all or nothing writes none of them."""
    run_import("memberships", "members_good.xlsx")
    joined = Membership.objects.get(fund=fund, member_number="0102").joined_on
    Membership.objects.filter(fund=fund, member_number="0103").update(ended_on=datetime.date(2023, 1, 31))
    path = write(tmp_path, "receipts.csv", "เลขที่ใบเสร็จ,เลขที่สมาชิก,วันที่จ่าย,จำนวนเงิน", [
        "66/001,0101,15/11/2565,30",
        "66/001,0101,15/11/2565,30",  # the same row again
        f"66/002,0102,{(joined - datetime.timedelta(days=1)).day}/{(joined - datetime.timedelta(days=1)).month}/"
        f"{(joined - datetime.timedelta(days=1)).year + 543},30",
        "66/003,0103,15/02/2566,30",  # after 31 January 2566, when the membership ended
        "66/004,0104,16/11/2565,30.50",  # half a day
    ])
    job = run_import("contributions", path)
    assert problems(job) == [(3, "repeated_row"), (4, "before_joining"), (5, "after_leaving"), (6, "whole_days")]
    assert "แถวที่ 2" in job.problems.get(row=3).message_th
    assert (job.rows_valid, job.rows_written) == (1, 0)
    assert not Contribution.objects.filter(fund=fund).exists()


def test_members_from_a_real_looking_workbook(run_import, fund):
    """Title rows, a blank row, columns in their own order, titles on names, Thai digits, dashed and spaced IDs,
    a date cell whose year is B.E. 2515, text dates in B.E. and C.E."""
    job = run_import("memberships", "members_good.xlsx")
    assert job.status == DONE, job.message
    assert (job.rows_read, job.rows_written, job.rows_invalid) == (5, 5, 0)
    m = Membership.objects.select_related("person").get(fund=fund, member_number="0102")
    assert (m.person.title, m.person.first_name, m.person.sex) == ("นางสาว", "สมศรี", "F")
    assert m.person.birth_date == datetime.date(1972, 7, 1)  # typed into a date cell as 2515
    assert m.joined_on == datetime.date(2022, 10, 1)
    boonmee = Membership.objects.select_related("person__personal_data").get(fund=fund, member_number="0103")
    assert (boonmee.person.title, boonmee.person.first_name) == ("นางสาว", "บุญมี")
    assert boonmee.person.house_number == "34" and boonmee.person.village_number == 5  # typed ๓๔: searched as 34
    assert boonmee.person.personal_data.national_id == make_valid("310050000103")
    assert Membership.objects.get(fund=fund, member_number="0105").person.title == "เด็กชาย"


def _announced(job) -> tuple[int, int, int]:
    """What the check said the valid rows would do: new, updated, already there."""
    return job.checked_new, job.checked_updated, job.checked_unchanged


def _done(job) -> tuple[int, int, int]:
    return job.rows_written, job.rows_updated, job.rows_unchanged


def test_the_same_file_twice_changes_nothing(run_import, fund):
    first = run_import("memberships", "members_good.xlsx")
    assert _announced(first) == _done(first) == (5, 0, 0)
    again = run_import("memberships", "members_good.xlsx")
    assert again.status == DONE and _announced(again) == _done(again) == (0, 0, 5)
    receipts = run_import("contributions", "contributions_good.csv")
    assert _announced(receipts) == _done(receipts) == (5, 0, 0)
    entries = JournalEntry.objects.count()
    repeat = run_import("contributions", "contributions_good.csv", write=False)
    assert repeat.status == ImportJob.Status.CHECKED and _announced(repeat) == (0, 0, 5)  # said before confirming
    repeat = run_import("contributions", "contributions_good.csv")
    assert _done(repeat) == (0, 0, 5)
    assert JournalEntry.objects.count() == entries


def test_windows_874_and_english_headers(run_import, fund):
    job = run_import("memberships", "members_cp874.csv")
    assert job.status == DONE and job.rows_written == 5, list(job.problems.values_list("message_en", flat=True))
    assert Membership.objects.get(fund=fund, member_number="0101").person.last_name == "ใจดี"
    english = run_import("memberships", "members_english.csv")
    assert (english.status, english.rows_unchanged) == (DONE, 2)


def _ascii_then_thai(path, encoding: str, thai_last_name: str = "ใจดี") -> None:
    """A members file whose first 1.2 MB is ASCII (English header, members with Latin names, a long note in a
    column the import ignores) and whose Thai text — the last member's name — comes after the first megabyte."""
    lines = ["member no,citizen id,first name,last name,join date,note"]
    lines += [f"{n:04d},,Somchai,Jaidee{n},01/10/2565,{'x' * 100_000}" for n in range(1, 13)]
    lines += [f"0013,,สมศรี,{thai_last_name},1 ต.ค. 2565,"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    assert path.stat().st_size > 1 << 20 and path.read_bytes()[: 1 << 20].isascii()


def test_windows_874_whose_thai_comes_after_the_first_megabyte(run_import, fund, tmp_path):
    """The encoding is decided on the whole file, not its first megabyte: the check and the write both read it
    as Windows-874."""
    from chumchon.dataio.kinds import KINDS
    from chumchon.dataio.readers import open_table

    path = tmp_path / "members.csv"
    _ascii_then_thai(path, "cp874")
    kind = KINDS["memberships"]
    assert open_table(path, kind.aliases(), kind.required(True)).encoding == "cp874"
    job = run_import("memberships", path)
    assert (job.status, job.rows_written) == (DONE, 13), (job.status, job.message)
    person = Membership.objects.get(fund=fund, member_number="0013").person
    assert (person.first_name, person.last_name) == ("สมศรี", "ใจดี")


def test_a_byte_no_encoding_reads_is_named_where_it_is_in_the_file(tmp_path):
    """A file that is neither UTF-8 nor Windows-874 is refused whole when it is opened, naming the first byte that
    is not UTF-8 by its place in the file (it was counted within a block of the reader); with a BOM, the file is
    read as the BOM says, and a bad byte further on is named by its place in the file too."""
    import codecs

    from chumchon.dataio.kinds import KINDS
    from chumchon.dataio.readers import FileReadError, open_table

    kind = KINDS["memberships"]
    for bom in (b"", codecs.BOM_UTF8):
        path = tmp_path / "members.csv"
        _ascii_then_thai(path, "utf-8")
        good = path.read_bytes()
        bad_at = len(bom) + good.index("ใจดี".encode()) + 1  # the second byte of "ใ": E0 B9 83 -> E0 81 83
        path.write_bytes(bom + good[:bad_at - len(bom)] + b"\x81" + good[bad_at - len(bom) + 1:])
        with pytest.raises(FileReadError) as caught:
            list(open_table(path, kind.aliases(), kind.required(True)).rows)
        assert caught.value.code == "encoding"
        where = f"byte {bad_at - 1:,}"  # the character starts one byte before the bad one
        assert where in caught.value.message_en, (where, caught.value.message_en)
        assert f"ไบต์ที่ {bad_at - 1:,}" in caught.value.message_th or f"ที่ไบต์ {bad_at - 1:,}" in caught.value.message_th


def test_an_updated_file_updates_and_says_so(run_import, fund, tmp_path):
    run_import("memberships", "members_english.csv")
    text = (FIXTURES / "members_english.csv").read_text("utf-8").replace("ใจดี", "ใจงาม")
    changed = tmp_path / "members.csv"
    changed.write_text(text, "utf-8")
    announced = run_import("memberships", changed, write=False)
    assert _announced(announced) == (0, 1, 1)  # before anything is written: one person's name changed
    assert Membership.objects.get(fund=fund, member_number="0101").person.last_name == "ใจดี"
    # What will change, cell by cell, before anything is written (and kept as what changed).
    assert list(announced.changes.values_list("row", "column", "old", "new")) == [(2, "นามสกุล", "ใจดี", "ใจงาม")]
    job = run_import("memberships", changed)
    assert _announced(job) == _done(job) == (0, 1, 1)
    assert Membership.objects.get(fund=fund, member_number="0101").person.last_name == "ใจงาม"
    assert list(job.changes.values_list("row", "column", "old", "new")) == [(2, "นามสกุล", "ใจดี", "ใจงาม")]


def test_contribution_history_posts_to_the_books(run_import, fund):
    """Worked example: 365 + 1,095 + 365 + 30 + 365 = 2,220.00 baht into cash and contributions."""
    run_import("memberships", "members_good.xlsx")
    cash_before = Account.objects.get(book=fund.organisation.book, code="1101").balance
    job = run_import("contributions", "contributions_good.csv")
    assert job.status == DONE and job.rows_written == 5, list(job.problems.values_list("message_en", flat=True))
    book = fund.organisation.book
    assert Account.objects.get(book=book, code="1101").balance - cash_before == Decimal("2220.00")
    first = Contribution.objects.get(fund=fund, receipt_number="65/001")
    assert (first.days, first.covers_from, first.covers_to) == (365, datetime.date(2022, 10, 1),
                                                                datetime.date(2023, 9, 30))
    second = Contribution.objects.get(fund=fund, receipt_number="65/004")
    assert (second.covers_from, second.days) == (datetime.date(2023, 10, 1), 30)
    assert Membership.objects.get(fund=fund, member_number="0101").paid_through == datetime.date(2023, 10, 30)
    # 16/11/2565 and 15/11/2565 and 15/12/2565: one entry per day
    assert JournalEntry.objects.filter(book=book, memo__startswith="นำเข้าเงินสมทบ").count() == 3
    # Each entry is named by its day and first receipt, never by a database id (a moved fund keeps its keys).
    assert first.entry.idempotency_key == "import-2022-11-15-65/001"
    call_command("ledger_verify")


def test_bad_rows_each_named(run_import, fund):
    run_import("memberships", "members_good.xlsx")
    job = run_import("contributions", "contributions_bad.csv")
    assert job.status == ImportJob.Status.CHECKED and job.rows_written == 0
    found = problems(job)
    assert (2, "invalid") in found  # text in an amount column
    assert (3, "negative") in found
    assert (4, "future") in found
    assert (5, "future") in found  # B.E. converted twice
    assert any(row == 6 for row, _ in found)  # a C.E. year converted the wrong way
    assert (8, "receipt_conflict") in found
    assert (9, "unknown_member") in found
    assert not any(row in (7, 10) for row, _ in found)
    message = job.problems.get(row=8).message_th
    assert "แถวที่ 7" in message
    assert Contribution.objects.filter(fund=fund).count() == 0


def test_valid_rows_only_imports_the_rest(run_import, fund):
    run_import("memberships", "members_good.xlsx")
    job = run_import("contributions", "contributions_bad.csv", mode=ImportJob.Mode.VALID_ROWS)
    assert job.status == DONE
    assert sorted(Contribution.objects.filter(fund=fund).values_list("receipt_number", flat=True)) == [
        "66/006", "66/008"]


STATUS_HEADER = "เลขที่สมาชิก,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,วันที่สมัคร,สถานะ,วันที่สิ้นสุดสมาชิกภาพ"


def _members_file(tmp_path, name: str, rows: list[str]):
    return write(tmp_path, name, STATUS_HEADER, rows)


def test_members_who_left_come_in_with_their_status(run_import, fund, tmp_path):
    nid = [make_valid(f"31005000020{i}") for i in range(4)]
    job = run_import("memberships", _members_file(tmp_path, "left.csv", [
        f"0201,{nid[0]},นายหนึ่ง,ทดสอบ,01/10/2560,ปกติ,",
        f"0202,{nid[1]},นางสองมีสุข,ทดสอบ,01/10/2560,ลาออก,31/03/2565",
        f"0203,{nid[2]},นายสาม,ทดสอบ,01/10/2560,deceased,2022-05-01",
        f"0204,{nid[3]},นายสี่,ทดสอบ,01/10/2560,,",
    ]))
    assert (job.status, job.rows_written) == (DONE, 4), job.message
    got = {m.member_number: (m.status, m.ended_on) for m in Membership.objects.filter(fund=fund,
                                                                                      member_number__startswith="02")}
    assert got == {"0201": ("active", None), "0202": ("resigned", datetime.date(2022, 3, 31)),
                   "0203": ("deceased", datetime.date(2022, 5, 1)), "0204": ("active", None)}
    # The register later says 0201 moved away: the import ends the membership, and says it updated one row.
    job = run_import("memberships", _members_file(tmp_path, "moved.csv", [
        f"0201,{nid[0]},นายหนึ่ง,ทดสอบ,01/10/2560,ย้ายออก,30/09/2566",
        f"0202,{nid[1]},นางสองมีสุข,ทดสอบ,01/10/2560,ลาออก,31/03/2565",
    ]))
    assert (job.status, job.rows_updated, job.rows_unchanged) == (DONE, 1, 1)
    m = Membership.objects.get(fund=fund, member_number="0201")
    assert (m.status, m.ended_on) == ("transferred", datetime.date(2023, 9, 30))
    assert list(job.changes.values_list("row", "column", "old", "new")) == [
        (2, "สถานะ", "ปกติ", "ย้ายออก"), (2, "วันที่สิ้นสุดสมาชิกภาพ", "—", "30/09/2566")]


def test_status_mistakes_are_named(run_import, fund, tmp_path):
    nid = [make_valid(f"31005000030{i}") for i in range(5)]
    run_import("memberships", _members_file(tmp_path, "first.csv", [
        f"0301,{nid[0]},นายหนึ่ง,ทดสอบ,01/10/2560,ลาออก,31/03/2565"]))
    job = run_import("memberships", _members_file(tmp_path, "bad.csv", [
        f"0302,{nid[1]},นายสอง,ทดสอบ,01/10/2560,ลาออก,",
        f"0303,{nid[2]},นายสาม,ทดสอบ,01/10/2560,ปกติ,31/03/2565",
        f"0304,{nid[3]},นายสี่,ทดสอบ,01/10/2560,หายไป,",
        f"0305,{nid[4]},นายห้า,ทดสอบ,01/10/2560,ลาออก,01/01/2555",
        f"0301,{nid[0]},นายหนึ่ง,ทดสอบ,01/10/2560,ปกติ,",
        f"0301,{nid[0]},นายหนึ่ง,ทดสอบ,01/10/2560,เสียชีวิต,01/04/2565",
    ]))
    assert problems(job) == [(2, "required"), (3, "ended_but_active"), (4, "status"), (5, "before_joining"),
                             (6, "membership_ended"), (7, "duplicate_in_file"), (7, "duplicate_in_file")]
    assert Membership.objects.filter(fund=fund, member_number__startswith="03").count() == 1
    message = job.problems.get(row=6).message_th
    assert "ลาออก" in message and "2565" in message


def test_member_number_reused_for_another_person(run_import, fund):
    run_import("memberships", "members_good.xlsx")
    job = run_import("memberships", "member_number_reused.csv")
    assert problems(job) == [(2, "member_number_reused")]
    assert not PersonalData.objects.filter(person__last_name="คนละคน").exists()


@pytest.mark.parametrize(("name", "code"), [
    ("mixed_encoding.csv", "encoding"), ("password.xlsx", "password"), ("corrupt.xlsx", "corrupt"),
    ("web_page.csv", "html"),
])
def test_files_that_cannot_be_read(run_import, fund, name, code):
    job = run_import("contributions", name)
    assert job.status == ImportJob.Status.FAILED
    assert job.message and "(" in job.message  # Thai, then English in brackets
    from chumchon.dataio.kinds import KINDS
    from chumchon.dataio.readers import FileReadError, open_table

    kind = KINDS["contributions"]
    with pytest.raises(FileReadError) as caught:
        table = open_table(FIXTURES / name, kind.aliases(), kind.required(True))
        list(table.rows)
    assert caught.value.code == code


def test_a_formula_without_a_saved_value(run_import, fund):
    run_import("memberships", "members_good.xlsx")
    job = run_import("contributions", "formulas.xlsx")
    assert problems(job) == [(2, "formula")]


def _blank_rows_file(path, megabytes: int) -> int:
    rows = megabytes * 1024 * 1024 // 4
    with path.open("w", encoding="utf-8") as out:
        out.write("เลขที่ใบเสร็จ,เลขที่สมาชิก,วันที่จ่าย,จำนวนเงิน\n65/001,0101,15/11/2565,365\n")
        out.write(",,,\n" * rows)
        out.write("65/002,0102,15/11/2565,365\n")
    return rows


def test_a_megabyte_of_blank_rows(run_import, fund, tmp_path):
    run_import("memberships", "members_good.xlsx")
    blank = _blank_rows_file(tmp_path / "blank.csv", 1)
    job = run_import("contributions", tmp_path / "blank.csv")
    assert (job.status, job.rows_written) == (DONE, 2)
    assert f"{blank:,}" in job.message  # the blank rows skipped are counted


@pytest.mark.slow
def test_fifty_megabytes_of_blank_rows(run_import, fund, tmp_path):
    run_import("memberships", "members_good.xlsx")
    blank = _blank_rows_file(tmp_path / "blank.csv", 50)
    job = run_import("contributions", tmp_path / "blank.csv")
    assert (job.status, job.rows_written) == (DONE, 2)
    assert f"{blank:,}" in job.message


def test_crash_in_the_middle_resumes_without_half_a_batch(run_import, fund, tmp_path, monkeypatch):
    from chumchon.dataio import services
    from chumchon.dataio.kinds import KINDS

    run_import("memberships", "members_good.xlsx")
    monkeypatch.setattr(KINDS["contributions"], "batch_size", 2)
    monkeypatch.setattr(KINDS["contributions"], "stages", False)  # the write that reads the file (staged: test_staged)
    job = run_import("contributions", "contributions_good.csv", write=False)
    job = services.job_confirm(actor=None, job=job)

    def crash(job):
        if job.checkpoint_row >= 3:
            raise KeyboardInterrupt  # the worker is killed after its second batch committed

    with pytest.raises(KeyboardInterrupt):
        services.job_write(job, system=True, after_batch=crash)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.WRITING and job.rows_written == 2
    assert Contribution.objects.filter(fund=fund).count() == 2
    with pytest.raises(services.ImportRefused):  # heard from a moment ago: maybe still writing, not taken over
        services.job_write(job, system=True)
    job = services.job_write(stalled(job), system=True)  # its worker not heard from since: the task runs again
    assert (job.status, job.rows_written) == (DONE, 5)
    assert Contribution.objects.filter(fund=fund).count() == 5
    call_command("ledger_verify")


def test_cli_exit_codes(fund, capsys, tmp_path):
    with pytest.raises(SystemExit) as ok:
        call_command("import", "memberships", str(FIXTURES / "members_good.xlsx"), "--fund", "A-001")
    assert ok.value.code == 0
    report = tmp_path / "report.xlsx"
    with pytest.raises(SystemExit) as rejected:
        call_command("import", "contributions", str(FIXTURES / "contributions_bad.csv"), "--fund", "A-001",
                     "--report", str(report))
    assert rejected.value.code == 1 and report.stat().st_size > 0
    with pytest.raises(SystemExit) as unreadable:
        call_command("import", "contributions", str(FIXTURES / "web_page.csv"), "--fund", "A-001")
    assert unreadable.value.code == 2
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize(("extra", "english"), [
    (["--fund", "B-001"], "not allowed to import into this fund"),  # alice keeps fund A's books, not B's
    ([], "please choose the fund"),
])
def test_cli_a_refused_import_exits_2_with_the_reason(fund, extra, english):
    """Refused before any row is read: status 2 ("could not be imported at all") and the reason in Thai and
    English, never a traceback with status 1 ("rows were rejected")."""
    from django.core.management import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("import", "memberships", str(FIXTURES / "members_good.xlsx"), "--user", "alice", *extra)
    assert refused.value.returncode == 2
    assert str(refused.value).startswith("นำเข้าไม่ได้: ") and f"({english})" in str(refused.value)
    assert not ImportJob.objects.exists() and not Membership.objects.filter(member_number="0101").exists()


def test_report_highlights_problem_cells(run_import, fund):
    from io import BytesIO

    from openpyxl import load_workbook

    from chumchon.dataio.files import report_xlsx

    run_import("memberships", "members_good.xlsx")
    job = run_import("contributions", "contributions_bad.csv")
    book = load_workbook(BytesIO(report_xlsx(job)))
    rows = book.worksheets[1]
    amount = rows.cell(row=2, column=6)  # file row 2, the amount column (after "file row" and fund code)
    assert rows.cell(row=2, column=1).value == 2
    assert amount.value == "สามร้อย" and amount.fill.fgColor.rgb.endswith("F8C9C4") and amount.comment


def test_templates_import_back(run_import, fund, tmp_path):
    """A template filled in below its two header rows imports."""
    from io import BytesIO

    from openpyxl import load_workbook

    from chumchon.dataio.files import template_xlsx

    book = load_workbook(BytesIO(template_xlsx("memberships")))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    values = {"เลขที่สมาชิก": "0201", "เลขประจำตัวประชาชน": make_valid("110120000512"), "ชื่อ": "นายทดสอบ",
              "นามสกุล": "แม่แบบ", "วันที่สมัคร": "01/10/2565"}
    for col, header in enumerate(headers, start=1):
        sheet.cell(row=3, column=col, value=values.get(header))
    path = tmp_path / "filled.xlsx"
    book.save(path)
    job = run_import("memberships", path)
    assert job.status == DONE and job.rows_written == 1, list(job.problems.values_list("message_en", flat=True))


def test_a_row_changed_since_the_check_fails_the_job_and_writes_nothing(run_import, fund, system_user):
    """All or nothing: the books were closed between the check and the write; the job is saved as failed."""
    from chumchon.dataio import services
    from chumchon.ledger import services as ledger

    run_import("memberships", "members_good.xlsx")
    job = run_import("contributions", "contributions_good.csv", write=False)
    job = services.job_confirm(actor=None, job=job)
    ledger.period_close(actor=system_user, book=fund.organisation.book, fiscal_year=2566)
    services.job_write(job, system=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "row 2 changed since the check" in job.message
    assert not Contribution.objects.filter(fund=fund).exists()


def test_an_amount_that_is_not_whole_days_is_refused(run_import, fund, tmp_path):
    run_import("memberships", "members_good.xlsx")
    path = tmp_path / "half.csv"
    path.write_text("เลขที่ใบเสร็จ,เลขที่สมาชิก,วันที่จ่าย,จำนวนเงิน\n65/101,0101,15/11/2565,30.50\n", encoding="utf-8")
    job = run_import("contributions", path)
    assert problems(job) == [(2, "whole_days")]
    assert "30.50" in job.problems.get().message_en


def test_a_dry_run_says_what_the_import_would_do(fund, capsys):
    before = Membership.objects.filter(fund=fund).count()
    with pytest.raises(SystemExit) as done:
        call_command("import", "memberships", str(FIXTURES / "members_good.xlsx"), "--fund", "A-001", "--dry-run")
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "The valid rows would be: 5 new, 0 updated, 0 already there." in out and "nothing written" in out
    assert Membership.objects.filter(fund=fund).count() == before



def test_a_dry_run_lists_what_an_updated_file_would_change(run_import, fund, tmp_path, capsys):
    run_import("memberships", "members_english.csv")
    changed = tmp_path / "members.csv"
    changed.write_text((FIXTURES / "members_english.csv").read_text("utf-8").replace("ใจดี", "ใจงาม"), "utf-8")
    with pytest.raises(SystemExit) as done:
        call_command("import", "memberships", str(changed), "--fund", "A-001", "--dry-run")
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "1 updated" in out and 'row 2 นามสกุล: "ใจดี" → "ใจงาม"' in out


def test_a_member_without_a_national_id_comes_in_keyed_by_member_number(run_import, fund, tmp_path):
    """The member form allows a member with no national ID (stateless, a newborn, a migrant): so does a members
    file — the fund and member number say who it is. A file of people alone still needs the ID (its only key)."""
    header = "เลขที่สมาชิก,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,วันที่สมัคร"
    job = run_import("memberships", write(tmp_path, "no-id.csv", header, ["0301,,นางมะลิ,ไร้สัญชาติ,01/10/2565"]))
    assert (job.status, job.rows_written) == (DONE, 1), list(job.problems.values_list("message_en", flat=True))
    member = Membership.objects.select_related("person__personal_data").get(fund=fund, member_number="0301")
    assert (member.person.first_name, member.person.personal_data.national_id) == ("มะลิ", None)
    again = run_import("memberships", write(tmp_path, "no-id-again.csv", header, ["0301,,นางมะลิ,ไร้สัญชาติ,01/10/2565"]))
    assert (again.status, again.rows_written, again.rows_unchanged) == (DONE, 0, 1)
    renamed = run_import("memberships", write(tmp_path, "no-id-renamed.csv", header,
                                              ["0301,,นางมะลิ,ใจงาม,01/10/2565"]))
    assert (renamed.status, renamed.rows_updated) == (DONE, 1)
    assert list(renamed.changes.values_list("column", "old", "new")) == [("นามสกุล", "ไร้สัญชาติ", "ใจงาม")]
    assert Membership.objects.filter(fund=fund, member_number="0301").count() == 1
    member.person.refresh_from_db()
    assert member.person.last_name == "ใจงาม"
    people = run_import("people", write(tmp_path, "people.csv", "เลขประจำตัวประชาชน,ชื่อ,รหัสตำบล", [",นายไม่มีเลข,500203"]))
    assert list(people.problems.values_list("column", "code")) == [("เลขประจำตัวประชาชน", "required")]
    assert "ไฟล์สมาชิกกองทุน" in people.problems.get().message_th  # and where such a person comes in instead


def test_a_missing_column_is_named_as_the_template_heads_it(run_import, fund, tmp_path):
    """The message names the column by the template's Thai header (and its English one), not an inner key."""
    header = "เลขที่สมาชิก,เลขประจำตัวประชาชน,ชื่อ,นามสกุล"
    before = Membership.objects.filter(fund=fund).count()
    job = run_import("memberships", write(tmp_path, "no-date.csv", header, ["0301,,นางมะลิ,ไร้สัญชาติ"]))
    assert job.status == ImportJob.Status.FAILED
    thai, english = job.message.split(" (", 1)
    assert "ไม่พบคอลัมน์ที่ต้องมี: วันที่สมัคร" in thai and "joined_on" not in thai
    assert "required columns missing: joined_on" in english
    assert Membership.objects.filter(fund=fund).count() == before


def test_an_import_done_says_what_was_done_not_what_the_check_advised(run_import, fund, tmp_path):
    """Valid rows only, one row with a problem: once done the message says the row was left out (the check's
    "fix the file" is over), keeps the blank rows between data rows, and says nothing of the empty rows after
    the last one (a template's formatted rows)."""
    header = "เลขที่สมาชิก,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,วันที่สมัคร"
    rows = ["0301,,นางมะลิ,ไร้สัญชาติ,01/10/2565", ",,,,", "0302,123,นายดำ,ผิดเลข,01/10/2565",
            *([",,,,"] * 40)]
    job = run_import("memberships", write(tmp_path, "left-out.csv", header, rows), mode=ImportJob.Mode.VALID_ROWS)
    assert (job.status, job.rows_written, job.rows_invalid) == (DONE, 1, 1)
    assert "แก้ไฟล์" not in job.message and "1 row with problems left out" in job.message, job.message
    assert "ข้ามแถวว่าง 1 แถว" in job.message and "40" not in job.message


def test_a_cell_longer_than_its_column_is_a_problem_of_its_row(run_import, fund, tmp_path):
    """Two phone numbers in one cell, a house number with its street, a member number of 21 characters: longer
    than the database holds (stored anyway on SQLite, a DataError halfway through the write on PostgreSQL).
    The check names each on its row and column; the valid rows are written, the others not at all."""
    from chumchon.people.models import Person

    header = "เลขที่สมาชิก,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,วันที่สมัคร,โทรศัพท์,บ้านเลขที่"
    path = write(tmp_path, "long.csv", header, [
        '0301,,นางมะลิ,ยาวเกิน,01/10/2565,"081-234-5678, 089-999-9999",12',
        '0302,,นายมะม่วง,ยาวเกิน,01/10/2565,0812345678,"99/123 ซอย 5 ถนนเชียงใหม่-ลำปาง"',
        '0303,,นายมะนาว,พอดี,01/10/2565,081-234-5678/0899999,"99/12 ซอย 5 ถนนเชียง"',  # 20 and 20: fits
        "0304-2565-บ้านนาหมู่3,,นายมะปราง,ยาวเกิน,01/10/2565,,1",
    ])
    job = run_import("memberships", path, mode=ImportJob.Mode.VALID_ROWS)
    assert job.status == DONE and job.rows_written == 1, (job.status, job.message)
    found = list(job.problems.order_by("row").values_list("row", "code", "message_th", "message_en"))
    assert found == [
        (2, "too_long", "โทรศัพท์ ยาวเกิน 20 ตัวอักษร: มี 25 ตัวอักษร", "phone is longer than 20 characters: it has 25"),
        (3, "too_long", "บ้านเลขที่ ยาวเกิน 20 ตัวอักษร: มี 31 ตัวอักษร",
         "house_number is longer than 20 characters: it has 31"),
        (4 + 1, "too_long", "เลขที่สมาชิก ยาวเกิน 20 ตัวอักษร: มี 21 ตัวอักษร",
         "member_number is longer than 20 characters: it has 21"),
    ]
    assert job.problems.get(row=2).value == "081-234-5678, 089-999-9999"  # as typed
    assert list(job.problems.order_by("row").values_list("column", flat=True)) == [
        "โทรศัพท์", "บ้านเลขที่", "เลขที่สมาชิก"]
    assert list(Person.objects.filter(last_name__in=["ยาวเกิน", "พอดี"]).values_list("last_name", flat=True)) == [
        "พอดี"]


def test_a_receipt_number_longer_than_its_column_is_not_staged(run_import, fund, tmp_path):
    """Contribution history is copied into the staging table by the check (COPY on PostgreSQL): a receipt number
    of 21 characters is the row's problem there, and the others are written."""
    run_import("memberships", "members_good.xlsx")
    path = write(tmp_path, "receipts.csv", "เลขที่ใบเสร็จ,เลขที่สมาชิก,วันที่จ่าย,จำนวนเงิน", [
        "66/001,0101,15/11/2565,30", "2565/บ้านนา/000000002,0101,16/11/2565,30",
        "66/003,0101,17/11/2565,30"])
    job = run_import("contributions", path, mode=ImportJob.Mode.VALID_ROWS)
    assert (job.status, job.rows_written) == (DONE, 2), (job.status, job.message)
    assert problems(job) == [(3, "too_long")]
    assert job.problems.get().column == "เลขที่ใบเสร็จ"
    assert sorted(Contribution.objects.filter(fund=fund, receipt_number__startswith="66/")
                  .values_list("receipt_number", flat=True)) == ["66/001", "66/003"]


def test_a_joining_date_is_corrected_only_until_contributions_count_from_it(run_import, fund, tmp_path):
    """A joining date typed wrong is corrected by the next file (counted and listed as a change, and made); once a
    contribution counts from it, a file that moves it is refused on its row — never announced and then skipped —
    also when the same row ends the membership between the two dates (the end is checked against the joining
    date that stays, and the write never stops half-way)."""
    header = "เลขที่สมาชิก,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,วันที่สมัคร,สถานะ,วันที่สิ้นสุดสมาชิกภาพ"
    run_import("memberships", write(tmp_path, "m.csv", header, ["0301,,นางมะลิ,ทดสอบ,01/10/2565,,",
                                                                 "0302,,นายแก้ว,ทดสอบ,01/10/2565,,"]))
    corrected = run_import("memberships", write(tmp_path, "m2.csv", header, ["0302,,นายแก้ว,ทดสอบ,15/09/2565,,"]))
    assert (corrected.status, corrected.rows_updated) == (DONE, 1)
    assert list(corrected.changes.values_list("column", "old", "new")) == [("วันที่สมัคร", "01/10/2565", "15/09/2565")]
    assert Membership.objects.get(fund=fund, member_number="0302").joined_on == datetime.date(2022, 9, 15)

    receipts = write(tmp_path, "r.csv", "เลขที่ใบเสร็จ,เลขที่สมาชิก,วันที่จ่าย,จำนวนเงิน", ["65/001,0301,15/11/2565,30"])
    assert run_import("contributions", receipts).rows_written == 1
    job = run_import("memberships", write(tmp_path, "m3.csv", header, [
        "0301,,นางมะลิ,ทดสอบ,15/09/2565,,",
        "0301,,นางมะลิ,ทดสอบ,15/09/2565,ลาออก,20/09/2565",  # its own file, below
    ]))
    assert problems(job)[0] == (2, "joined_paid") and not job.changes.exists() and job.checked_updated == 0
    refused = job.problems.get(row=2)
    assert refused.column == "วันที่สมัคร" and "แก้วันที่สมัครไม่ได้" in refused.message_th
    assert "the joining date cannot change" in refused.message_en
    ends = run_import("memberships", write(tmp_path, "m4.csv", header,
                                           ["0301,,นางมะลิ,ทดสอบ,15/09/2565,ลาออก,20/09/2565"]),
                      mode=ImportJob.Mode.VALID_ROWS)
    assert problems(ends) == [(2, "joined_paid")] and ends.status == ImportJob.Status.CHECKED
    m = Membership.objects.get(fund=fund, member_number="0301")
    assert (m.joined_on, m.status, m.ended_on) == (datetime.date(2022, 10, 1), "active", None)


def test_a_new_joining_date_after_the_recorded_end_is_refused(run_import, fund, tmp_path):
    """A member who left, listed with a joining date after the day they left (status and end date left blank,
    meaning unchanged): the end recorded is checked against the joining date the file would set."""
    header = "เลขที่สมาชิก,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,วันที่สมัคร,สถานะ,วันที่สิ้นสุดสมาชิกภาพ"
    run_import("memberships", write(tmp_path, "m.csv", header, ["0301,,นางมะลิ,ทดสอบ,01/10/2560,ลาออก,31/03/2565"]))
    job = run_import("memberships", write(tmp_path, "m2.csv", header, ["0301,,นางมะลิ,ทดสอบ,01/10/2565,,"]))
    assert problems(job) == [(2, "before_joining")] and "31 มี.ค. 2565" in job.problems.get().message_th
    assert Membership.objects.get(fund=fund, member_number="0301").joined_on == datetime.date(2017, 10, 1)


def test_a_job_confirmed_long_after_its_check_is_not_stalled(run_import, fund):
    """The committee reads the report for three minutes, then confirms: the job waits for its worker and is not
    "stalled" at once (no Resume offered, none accepted: a second write of the same job would be queued)."""
    from django.utils import timezone

    from chumchon.dataio import services

    job = run_import("memberships", "members_good.xlsx", write=False)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - datetime.timedelta(minutes=3))
    job.refresh_from_db()
    job = services.job_confirm(actor=None, job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and not job.is_stalled()
    with pytest.raises(services.ImportRefused):
        services.job_resume(actor=None, job=job)


def test_two_workers_never_write_one_job(run_import, fund, monkeypatch):
    """A second task for a job being written is refused before it writes anything; a worker whose job was taken
    over as stalled (it had gone quiet) stops at its next batch instead of writing it a second time."""
    from chumchon.dataio import services
    from chumchon.dataio.kinds import KINDS

    run_import("memberships", "members_good.xlsx")
    monkeypatch.setattr(KINDS["contributions"], "batch_size", 2)
    monkeypatch.setattr(KINDS["contributions"], "stages", False)
    job = services.job_confirm(actor=None, job=run_import("contributions", "contributions_good.csv", write=False))
    seen = []

    def second_task(current):
        if not seen:
            with pytest.raises(services.ImportRefused) as refused:
                services.job_write(ImportJob.objects.get(pk=current.pk), system=True)
            seen.append(str(refused.value))
        elif len(seen) == 1:  # the first worker goes quiet; another takes the job over and finishes it
            seen.append(services.job_write(stalled(ImportJob.objects.get(pk=current.pk)), system=True).status)

    first = services.job_write(job, system=True, after_batch=second_task)
    assert seen == ["การนำเข้านี้กำลังเขียนข้อมูลอยู่แล้ว (this import is being written already)", DONE]
    first.refresh_from_db()
    assert (first.status, first.rows_written) == (DONE, 5)
    assert Contribution.objects.filter(fund=fund).count() == 5
    call_command("ledger_verify")


def test_valid_rows_only_names_a_row_that_changed_since_the_check(run_import, fund, system_user):
    """"Import the valid rows": a row valid at the check that no longer holds at the write (the member resigned
    at the counter meanwhile) is left out with its problem in the report, counted with the rows with problems,
    and the done message says so — never dropped without a word."""
    from chumchon.dataio import services
    from chumchon.welfare import services as welfare

    run_import("memberships", "members_good.xlsx")
    job = run_import("contributions", "contributions_bad.csv", mode=ImportJob.Mode.VALID_ROWS, write=False)
    assert (job.rows_valid, job.rows_invalid) == (2, 7) and not job.problems.filter(row=10).exists()
    job = services.job_confirm(actor=None, job=job)
    welfare.membership_end(actor=system_user, membership=Membership.objects.get(fund=fund, member_number="0103"),
                           status=Membership.Status.RESIGNED, on=datetime.date(2022, 11, 19), system=True)
    job = services.job_write(job, system=True)
    job.refresh_from_db()
    assert list(Contribution.objects.filter(fund=fund).values_list("receipt_number", flat=True)) == ["66/006"]
    assert (job.status, job.rows_written, job.rows_valid, job.rows_invalid) == (DONE, 1, 1, 8)
    problem = job.problems.get(row=10)
    assert problem.message_th.startswith("เปลี่ยนไปหลังการตรวจ: ") and problem.message_en.startswith(
        "changed since the check: ")
    assert "ไม่ได้นำเข้า 1 แถวที่ข้อมูลในระบบเปลี่ยนไปหลังการตรวจ (แถวที่ 10" in job.message, job.message
    assert "1 row no longer valid at the import" in job.message
    assert "7 rows with problems left out" in job.message  # the check's, as before
