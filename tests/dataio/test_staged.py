"""The set-based write of contribution history (``kinds.contributions``: the check stages its rows, the write
moves them with SQL) against the write that reads and checks the file again: the same receipts, entries, members
and balances; and whenever the database changed between the check and the write, the file is read again."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chumchon.dataio import services
from chumchon.dataio.kinds import KINDS
from chumchon.dataio.models import ImportJob, StagedContribution
from chumchon.ledger.models import Account, JournalEntry
from chumchon.welfare.models import Contribution, Fund, Membership

from .conftest import FIXTURES, stalled, write

DONE, FAILED = ImportJob.Status.DONE, ImportJob.Status.FAILED
MEMBERS = ("0101", "0102", "0103", "0104")
AMOUNTS = ("30", "90", "365.00", "1,095", "7")


def _history(tmp_path, name="history.csv", rows=40, start=0, first_day=datetime.date(2023, 1, 2)):
    """``rows`` receipts of the fixture's members (B.E. dates, a few a day, amounts of whole days) in date order."""
    lines = []
    for i in range(start, start + rows):
        day = first_day + datetime.timedelta(days=i // 3)
        lines.append(f"68/{i + 1:04d},{MEMBERS[i * 7 % len(MEMBERS)]},{day.day:02d}/{day.month:02d}/{day.year + 543},"
                     f"\"{AMOUNTS[i % len(AMOUNTS)]}\"")
    return write(tmp_path, name, "เลขที่ใบเสร็จ,เลขที่สมาชิก,วันที่จ่าย,จำนวนเงิน", lines)


def _checked(fund, path, *, stage=True, mode=ImportJob.Mode.ALL_OR_NOTHING):
    with path.open("rb") as handle:
        job = services.job_create(actor=None, kind="contributions", file=handle, filename=path.name, fund=fund,
                                  mode=mode, system=True)
    job = services.job_check(job, system=True, stage=stage)
    assert job.status == ImportJob.Status.CHECKED, job.message
    return services.job_confirm(actor=None, job=job)


def _written(job):
    job = services.job_write(ImportJob.objects.get(pk=job.pk), system=True)
    job.refresh_from_db()
    return job


def _books(fund):
    """Everything the import leaves behind, without database ids: receipts, entries, members, balances."""
    receipts = list(Contribution.objects.filter(fund=fund).order_by("receipt_number").values_list(
        "receipt_number", "membership__member_number", "fiscal_year", "date", "amount", "days", "covers_from",
        "covers_to", "entry__idempotency_key", "idempotency_key", "sheet_id", "recorded_by_id"))
    entries = list(JournalEntry.objects.filter(book=fund.organisation.book, memo__startswith="นำเข้าเงินสมทบ")
                   .order_by("idempotency_key").values_list("idempotency_key", "date", "reference", "memo"))
    amounts = {e.idempotency_key: sum((line.debit for line in e.lines.all()), Decimal(0))
               for e in JournalEntry.objects.filter(book=fund.organisation.book).prefetch_related("lines")}
    members = list(Membership.objects.filter(fund=fund).order_by("member_number").values_list(
        "member_number", "paid_through", "lapse_notice_on"))
    balances = {a.code: a.balance for a in Account.objects.filter(book=fund.organisation.book,
                                                                  code__in=["1101", "4101"])}
    return receipts, entries, amounts, members, balances


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 7 rows on both paths, so a 40-row file is six batches on each and they group alike."""
    monkeypatch.setattr(KINDS["contributions"], "batch_size", 7)
    monkeypatch.setattr(KINDS["contributions"], "staged_batch_size", 7)


def test_both_writes_leave_the_same_books(run_import, fund, tmp_path, small_batches):
    """Worked twice on the same data — once moved from the staging table, once read from the file again — with
    the first 10 receipts already imported (so "already there" is counted too): every receipt, entry, member's
    paid-through date and balance is the same."""
    run_import("memberships", "members_good.xlsx")
    first_part, whole = _history(tmp_path, "part.csv", rows=10), _history(tmp_path)
    results = {}
    for stage in (True, False):
        with transaction.atomic():
            assert run_import("contributions", first_part).status == DONE
            job = _checked(fund, whole, stage=stage)
            assert job.rows_staged == (40 if stage else 0)
            job = _written(job)
            assert (job.status, job.rows_written, job.rows_unchanged) == (DONE, 30, 10)
            results[stage] = _books(fund)
            assert not StagedContribution.objects.exists()
            call_command("ledger_verify")
            transaction.set_rollback(True)
    staged, read_again = results[True], results[False]
    assert len(staged[0]) == 40 and len(staged[1]) > 6
    assert staged == read_again
    # The worked example a treasurer can check: the file's 40 amounts, 10 of them already in the books.
    total = sum(Decimal(AMOUNTS[i % len(AMOUNTS)].replace(",", "")) for i in range(40))
    assert staged[4]["1101"] == total


def test_the_staged_write_does_not_read_the_file_again(run_import, fund, tmp_path, monkeypatch):
    run_import("memberships", "members_good.xlsx")
    job = _checked(fund, _history(tmp_path))
    assert StagedContribution.of_job(job.pk).count() == job.rows_staged == 40

    def no_second_check(*args, **kwargs):
        raise AssertionError("the file was read and checked again")

    monkeypatch.setattr(KINDS["contributions"], "check", no_second_check)
    job = _written(job)
    assert (job.status, job.rows_written, job.rows_staged) == (DONE, 40, 0)
    assert not StagedContribution.of_job(job.pk).exists()


def test_a_receipt_recorded_since_the_check_is_named(run_import, fund, tmp_path):
    """Another import recorded receipt 68/0005 with another amount in between: the file is read again and the
    row named; nothing of the file is written."""
    run_import("memberships", "members_good.xlsx")
    job = _checked(fund, _history(tmp_path))
    other = write(tmp_path, "other.csv", "เลขที่ใบเสร็จ,เลขที่สมาชิก,วันที่จ่าย,จำนวนเงิน", ["68/0005,0102,03/01/2566,30"])
    assert run_import("contributions", other).status == DONE
    job = _written(job)
    assert job.status == FAILED and "row 6 changed since the check" in job.message
    assert "already recorded" in job.message
    assert list(Contribution.objects.filter(fund=fund).values_list("receipt_number", flat=True)) == ["68/0005"]
    assert not StagedContribution.of_job(job.pk).exists()


def test_a_payment_recorded_since_the_check_moves_the_days_covered(run_import, fund, tmp_path, system_user):
    """Member 0101 paid 30 baht at the counter between the check and the write: the file is read again and the
    member's imported receipts cover the days after that payment, not the ones the check had worked out."""
    from chumchon.welfare.services.contributions import contribution_receive

    run_import("memberships", "members_good.xlsx")
    job = _checked(fund, _history(tmp_path))
    member = Membership.objects.get(fund=fund, member_number="0101")
    staged_from = StagedContribution.of_job(job.pk).filter(membership_id=member.pk).order_by("key").first()
    assert staged_from.covers_from == member.joined_on
    contribution_receive(actor=system_user, membership=member, amount=Decimal(30), date=datetime.date(2023, 1, 1),
                         idempotency_key="counter-1")
    job = _written(job)
    assert (job.status, job.rows_written) == (DONE, 40)
    first = Contribution.objects.filter(fund=fund, membership=member, receipt_number__startswith="68/").order_by(
        "receipt_number").first()
    assert first.covers_from == member.joined_on + datetime.timedelta(days=30)
    call_command("ledger_verify")


def test_a_membership_ended_since_the_check_is_named(run_import, fund, tmp_path, system_user):
    from chumchon.welfare.services.funds import membership_end

    run_import("memberships", "members_good.xlsx")
    job = _checked(fund, _history(tmp_path))
    membership_end(actor=system_user, membership=Membership.objects.get(fund=fund, member_number="0104"),
                   status=Membership.Status.RESIGNED, on=datetime.date(2023, 1, 5))
    job = _written(job)
    assert job.status == FAILED and "membership ended" in job.message
    assert not Contribution.objects.filter(fund=fund).exists()


def test_a_new_daily_rate_since_the_check_is_named(run_import, fund, tmp_path):
    run_import("memberships", "members_good.xlsx")
    job = _checked(fund, _history(tmp_path))
    Fund.objects.filter(pk=fund.pk).update(daily_rate=2)  # the committee changed the rate in between
    job = _written(job)
    assert job.status == FAILED and "not a whole number of days at 2.00 a day" in job.message
    assert not Contribution.objects.filter(fund=fund).exists()


def test_a_period_closed_since_the_check_is_named(run_import, fund, tmp_path, system_user):
    from chumchon.ledger import services as ledger

    run_import("memberships", "members_good.xlsx")
    job = _checked(fund, _history(tmp_path))
    ledger.period_close(actor=system_user, book=fund.organisation.book, fiscal_year=2566)
    job = _written(job)
    assert job.status == FAILED and "row 2 changed since the check" in job.message and "closed period" in job.message


def test_staged_rows_lost_in_a_crash_the_file_is_read_again(run_import, fund, tmp_path, monkeypatch):
    """PostgreSQL empties an UNLOGGED table after a crash: the write notices the staged rows are not all there and
    reads the file from its checkpoint instead; nothing is lost or written twice."""
    run_import("memberships", "members_good.xlsx")
    monkeypatch.setattr(KINDS["contributions"], "staged_batch_size", 15)

    def crash(job):
        raise KeyboardInterrupt  # the worker is killed after its first batch committed

    job = _checked(fund, _history(tmp_path))
    with pytest.raises(KeyboardInterrupt):
        services.job_write(job, system=True, after_batch=crash)
    job.refresh_from_db()
    assert (job.status, job.rows_written, job.checkpoint_row) == (ImportJob.Status.WRITING, 15, 16)
    StagedContribution.of_job(job.pk).delete()  # what the crash took with it
    job = _written(stalled(job))  # the worker killed, not heard from since: the task runs again
    assert (job.status, job.rows_written, job.rows_staged) == (DONE, 40, 0)
    assert Contribution.objects.filter(fund=fund).count() == 40
    call_command("ledger_verify")


def test_a_crash_in_the_staged_write_resumes_after_the_last_whole_batch(run_import, fund, tmp_path, monkeypatch):
    run_import("memberships", "members_good.xlsx")
    monkeypatch.setattr(KINDS["contributions"], "staged_batch_size", 15)

    def crash(job):
        if job.rows_written >= 30:
            raise KeyboardInterrupt

    job = _checked(fund, _history(tmp_path))
    with pytest.raises(KeyboardInterrupt):
        services.job_write(job, system=True, after_batch=crash)
    job.refresh_from_db()
    assert (job.rows_written, StagedContribution.of_job(job.pk).count()) == (30, 10)
    assert Contribution.objects.filter(fund=fund).count() == 30
    job = _written(stalled(job))  # the worker killed, not heard from since: the task runs again
    assert (job.status, job.rows_written) == (DONE, 40)
    assert Contribution.objects.filter(fund=fund).count() == 40
    assert not StagedContribution.of_job(job.pk).exists()
    call_command("ledger_verify")


def test_valid_rows_only_stages_the_valid_rows(run_import, fund):
    run_import("memberships", "members_good.xlsx")
    path = FIXTURES / "contributions_bad.csv"
    with path.open("rb") as handle:
        job = services.job_create(actor=None, kind="contributions", file=handle, filename=path.name, fund=fund,
                                  mode=ImportJob.Mode.VALID_ROWS, system=True)
    job = services.job_check(job, system=True)
    assert job.rows_invalid and job.rows_staged == job.rows_valid
    job = _written(services.job_confirm(actor=None, job=job))
    assert job.status == DONE and job.rows_written == job.rows_valid
    assert Contribution.objects.filter(fund=fund).count() == job.rows_valid


def test_staged_rows_are_not_kept_when_nothing_will_be_written(run_import, fund, tmp_path):
    """A file with problems in "all or nothing", a cancelled job, a dry run: no staged row is left behind."""
    run_import("memberships", "members_good.xlsx")
    bad = run_import("contributions", "contributions_bad.csv", write=False)
    assert bad.rows_valid and bad.rows_staged == 0
    job = services.job_check(services.job_create(actor=None, kind="contributions",
                                                 file=_history(tmp_path).open("rb"), filename="h.csv", fund=fund,
                                                 system=True), system=True)
    assert job.rows_staged == 40
    job = services.job_cancel(actor=None, job=job)
    assert job.rows_staged == 0
    with pytest.raises(SystemExit):
        call_command("import", "contributions", str(_history(tmp_path, "dry.csv")), "--fund", fund.code, "--dry-run")
    assert not StagedContribution.objects.exists()


@given(rows=st.lists(st.tuples(st.sampled_from(MEMBERS), st.integers(0, 60), st.sampled_from(AMOUNTS)),
                     min_size=1, max_size=30),
       batch=st.integers(1, 12), already=st.integers(0, 5))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_file_either_write_leaves_the_same_books(run_import, fund, tmp_path, monkeypatch, rows, batch, already):
    """Invariant: whatever the file (members, days, amounts in any order; some rows already imported) and the
    batch size, the staged write and the write that reads the file again leave identical books."""
    monkeypatch.setattr(KINDS["contributions"], "batch_size", batch)
    monkeypatch.setattr(KINDS["contributions"], "staged_batch_size", batch)
    lines = []
    for i, (member, offset, amount) in enumerate(rows):
        day = datetime.date(2023, 1, 2) + datetime.timedelta(days=offset)
        lines.append(f"68/{i + 1:04d},{member},{day.day:02d}/{day.month:02d}/{day.year + 543},\"{amount}\"")
    header = "เลขที่ใบเสร็จ,เลขที่สมาชิก,วันที่จ่าย,จำนวนเงิน"
    whole, part = write(tmp_path, "any.csv", header, lines), write(tmp_path, "part.csv", header, lines[:already])
    results = {}
    for stage in (True, False):
        with transaction.atomic():
            run_import("memberships", "members_good.xlsx")
            if already:
                assert run_import("contributions", part).status == DONE
            job = _written(_checked(fund, whole, stage=stage))
            assert (job.status, job.rows_written + job.rows_unchanged) == (DONE, len(rows))
            results[stage] = _books(fund)
            transaction.set_rollback(True)
    assert results[True] == results[False]


def test_recorded_receipts_are_found_at_the_ends_of_a_batch(run_import, fund, tmp_path):
    """The lookup of receipts already recorded first asks whether the fund has any receipt between the batch's
    lowest and highest number: a receipt that is the lowest or the highest is still found, in any letter case;
    a batch whose numbers fall around recorded ones, or beyond them, finds none."""
    from chumchon.dataio.kinds.contributions import _recorded

    run_import("memberships", "members_good.xlsx")
    header = "เลขที่ใบเสร็จ,เลขที่สมาชิก,วันที่จ่าย,จำนวนเงิน"
    recorded = write(tmp_path, "recorded.csv", header, ["A-1,0101,02/01/2566,30", "m-5,0102,02/01/2566,30",
                                                        "z-9,0103,02/01/2566,30"])
    assert run_import("contributions", recorded).status == DONE
    assert set(_recorded(fund.pk, ["a-1", "m-5", "Z-9"])) == {"m-5"}
    assert set(_recorded(fund.pk, ["A-1"])) == {"A-1"}
    assert set(_recorded(fund.pk, ["z-9", "y-0", "B-0"])) == {"z-9"}
    assert _recorded(fund.pk, ["A-0", "A-2"]) == {}
    assert _recorded(fund.pk, ["n-1", "y-1"]) == {}
    assert _recorded(fund.pk, ["z-91"]) == {}


@pytest.mark.parametrize("stage", [True, False])
def test_an_import_takes_back_a_lapse_notice_only_from_members_it_brings_within_the_limit(run_import, fund, tmp_path,
                                                                                         stage):
    """Members 0101 and 0102 were sent a lapse notice. The file pays 0101 ten years ahead (3,650 baht from the day
    it joined, 1 Oct 2565) and 0102 one month: 0101 is within the limit today and its notice is taken back; 0102
    is still far behind and keeps its notice, so the arrears rule lapses it when the notice period ends."""
    run_import("memberships", "members_good.xlsx")
    noticed = datetime.date(2026, 1, 5)
    Membership.objects.filter(fund=fund, member_number__in=["0101", "0102"]).update(lapse_notice_on=noticed)
    path = write(tmp_path, "pay.csv", "เลขที่ใบเสร็จ,เลขที่สมาชิก,วันที่จ่าย,จำนวนเงิน",
                 ["68/0001,0101,02/01/2566,\"3,650\"", "68/0002,0102,02/01/2566,30"])
    job = _written(_checked(fund, path, stage=stage))
    assert job.status == DONE and job.rows_written == 2
    assert dict(Membership.objects.filter(fund=fund, member_number__in=["0101", "0102"])
                .values_list("member_number", "lapse_notice_on")) == {"0101": None, "0102": noticed}
