"""Opening balances and benefit payout history: a worked example a treasurer can add up by hand, and what is
refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from chumchon.dataio.models import ImportJob
from chumchon.ledger.models import Account, JournalEntry
from chumchon.welfare.models import Claim, Membership

from .conftest import problems, write

pytestmark = pytest.mark.django_db
DONE = ImportJob.Status.DONE
OPENING_HEADER = "ยอดยกมา ณ วันที่,รหัสบัญชี,ชื่อบัญชี,เดบิต,เครดิต"
OPENING = [
    "01/10/2565,1101,เงินสด,\"5,000.00\",",
    "01/10/2565,1102,เงินฝากธนาคาร ออมทรัพย์,20000,",
    "01/10/2565,3101,ทุนกองทุน: เงินสมทบสมาชิก,,\"18,000.00 บาท\"",
    "01/10/2565,3102,ทุนกองทุน: เงินสมทบรัฐบาล,,7000",
]
PAYOUT_HEADER = "เลขที่ใบสำคัญจ่าย,เลขที่สมาชิก,ประเภทสวัสดิการ,วันที่จ่าย,จำนวนเงิน,วันที่เกิดเหตุ"
PAYOUTS = [
    "PV65/001,0101,นอนโรงพยาบาล,20/11/2565,\"1,500.00\",18/11/2565",
    "PV65/002,0102,funeral,25/12/2565,3000,24/12/2565",
]


def balances(fund):
    return {a.code: a.balance for a in Account.objects.filter(book=fund.organisation.book)
            if a.debit_total or a.credit_total}


def test_worked_example_opening_contributions_payouts(run_import, fund, tmp_path):
    """Opening 5,000 cash + 20,000 bank; contributions 2,220; payouts 1,500 (hospital) and 3,000 (funeral):
    cash 5,000 + 2,220 − 4,500 = 2,720."""
    job = run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, OPENING))
    assert (job.status, job.rows_written) == (DONE, 4), problems(job)
    run_import("memberships", "members_good.xlsx")
    run_import("contributions", "contributions_good.csv")
    job = run_import("payouts", write(tmp_path, "payouts.csv", PAYOUT_HEADER, PAYOUTS))
    assert (job.status, job.rows_written) == (DONE, 2), problems(job)
    assert balances(fund) == {
        "1101": Decimal("2720.00"), "1102": Decimal("20000.00"), "3101": Decimal("18000.00"),
        "3102": Decimal("7000.00"), "4101": Decimal("2220.00"), "5103": Decimal("1500.00"),
        "5105": Decimal("3000.00"),
    }
    hospital = Claim.objects.get(fund=fund, voucher_number="PV65/001")
    assert (hospital.status, hospital.kind.code, hospital.event_date) == (
        Claim.Status.PAID, "hospital", datetime.date(2022, 11, 18))
    assert hospital.entry.date == datetime.date(2022, 11, 20) and hospital.entry.reference == "PV65/001"
    member = Membership.objects.get(fund=fund, member_number="0102")
    assert (member.status, member.ended_on) == (Membership.Status.DECEASED, datetime.date(2022, 12, 24))
    call_command("ledger_verify")


def test_history_twice_changes_nothing_and_different_figures_are_refused(run_import, fund, tmp_path):
    run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, OPENING))
    run_import("memberships", "members_good.xlsx")
    run_import("payouts", write(tmp_path, "payouts.csv", PAYOUT_HEADER, PAYOUTS[:1]))
    entries = JournalEntry.objects.count()
    again = run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, OPENING))
    assert (again.status, again.rows_written, again.rows_unchanged) == (DONE, 0, 4)
    assert (again.checked_new, again.checked_unchanged) == (0, 4)  # said by the check
    repeat = run_import("payouts", write(tmp_path, "payouts.csv", PAYOUT_HEADER, PAYOUTS[:1]))
    assert (repeat.status, repeat.rows_written, repeat.rows_unchanged) == (DONE, 0, 1)
    assert JournalEntry.objects.count() == entries

    other = [OPENING[0].replace("5,000.00", "6,000.00"), OPENING[1],
             OPENING[2].replace("18,000.00", "19,000.00"), OPENING[3]]
    refused = run_import("opening-balances", write(tmp_path, "opening2.csv", OPENING_HEADER, other))
    assert {code for _, code in problems(refused)} == {"opening_recorded"}
    changed = run_import("payouts", write(tmp_path, "payouts2.csv", PAYOUT_HEADER,
                                          [PAYOUTS[0].replace("1,500.00", "1,600.00")]))
    assert problems(changed) == [(2, "voucher_recorded")]
    assert JournalEntry.objects.count() == entries


def test_opening_balances_corrected_by_reversing_the_wrong_entry(run_import, fund, tmp_path, system_user):
    """The refusal says "reverse that entry first, then import again": done so, the corrected file is posted as a
    new opening entry under a new key (the reversed one keeps its own), also at another date; the books hold the
    corrected figures and stay balanced."""
    from chumchon.ledger import services as ledger

    book = fund.organisation.book
    run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, OPENING))
    corrected = [row.replace("01/10/2565", "01/11/2565") for row in
                 [OPENING[0].replace("5,000.00", "6,000.00"), OPENING[1],
                  OPENING[2].replace("18,000.00", "19,000.00"), OPENING[3]]]
    refused = run_import("opening-balances", write(tmp_path, "opening2.csv", OPENING_HEADER, corrected))
    assert {code for _, code in problems(refused)} == {"opening_recorded"}
    assert "กลับรายการเดิมก่อน" in refused.problems.first().message_th

    wrong = JournalEntry.objects.get(book=book, idempotency_key="opening-balances")
    ledger.entry_reverse(actor=system_user, entry=wrong, idempotency_key="fix-opening", reason="ตัวเลขผิด")
    job = run_import("opening-balances", write(tmp_path, "opening2.csv", OPENING_HEADER, corrected))
    assert (job.status, job.rows_written) == (DONE, 4), (problems(job), job.message)
    entry = JournalEntry.objects.get(book=book, idempotency_key="opening-balances-2")
    assert (entry.date, entry.reverses_id) == (datetime.date(2022, 11, 1), None)
    assert balances(fund) == {"1101": Decimal("6000.00"), "1102": Decimal("20000.00"),
                              "3101": Decimal("19000.00"), "3102": Decimal("7000.00")}
    again = run_import("opening-balances", write(tmp_path, "opening2.csv", OPENING_HEADER, corrected))
    assert (again.status, again.rows_written, again.rows_unchanged) == (DONE, 0, 4)
    # the reversed entry's figures are no longer "the opening balances": importing them again is refused
    old = run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, OPENING))
    assert {code for _, code in problems(old)} == {"opening_recorded"}

    ledger.entry_reverse(actor=system_user, entry=entry, idempotency_key="fix-opening-2", reason="ผิดอีก")
    third = run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, OPENING))
    assert (third.status, third.rows_written) == (DONE, 4), problems(third)
    assert JournalEntry.objects.filter(book=book, idempotency_key="opening-balances-3").exists()
    assert balances(fund) == {"1101": Decimal("5000.00"), "1102": Decimal("20000.00"),
                              "3101": Decimal("18000.00"), "3102": Decimal("7000.00")}
    call_command("ledger_verify")


@pytest.mark.parametrize(("rows", "expected"), [
    ([OPENING[0], OPENING[1], OPENING[2]], {(r, "unbalanced") for r in (2, 3, 4)}),
    ([*OPENING, "01/10/2565,4101,เงินสมทบ,,100", "01/10/2565,1101,เงินสด,100,"],
     {(6, "not_balance_sheet"), (7, "repeated_account"), (2, "fund_incomplete"), (3, "fund_incomplete"),
      (4, "fund_incomplete"), (5, "fund_incomplete")}),
    ([OPENING[0].replace("01/10/2565", "02/10/2565"), *OPENING[1:]],
     {(2, "other_date"), (3, "fund_incomplete"), (4, "fund_incomplete"), (5, "fund_incomplete")}),
    ([OPENING[0].replace('"5,000.00",', '"5,000.00",100'), *OPENING[1:]],
     {(2, "both_sides"), (3, "fund_incomplete"), (4, "fund_incomplete"), (5, "fund_incomplete")}),
    ([OPENING[0].replace('"5,000.00"', "-5000"), *OPENING[1:]],
     {(2, "negative"), (3, "fund_incomplete"), (4, "fund_incomplete"), (5, "fund_incomplete")}),
    ([*OPENING, "01/10/2565,9999,ไม่มี,1,"], {(6, "unknown_account"), *{(r, "fund_incomplete") for r in (2, 3, 4, 5)}}),
])
def test_bad_opening_balances(run_import, fund, tmp_path, rows, expected):
    job = run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, rows),
                     mode=ImportJob.Mode.VALID_ROWS)
    assert set(problems(job)) == expected
    assert job.rows_valid == 0 and not JournalEntry.objects.filter(book=fund.organisation.book).exists()


def test_opening_balances_must_come_first(run_import, fund, tmp_path):
    run_import("memberships", "members_good.xlsx")
    run_import("contributions", "contributions_good.csv")  # entries from 15 Nov 2022
    late = [row.replace("01/10/2565", "01/12/2565") for row in OPENING]
    job = run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, late))
    assert {code for _, code in problems(job)} == {"entries_before"}


def test_bad_payouts(run_import, fund, tmp_path):
    run_import("memberships", "members_good.xlsx")
    rows = [
        PAYOUTS[0],  # no money yet: refused
        "PV65/003,0103,ค่าหวย,20/11/2565,100,",  # unknown benefit
        "PV65/004,0999,funeral,20/11/2565,100,",  # unknown member
        "PV65/005,0104,hospital,20/11/2565,100,21/11/2565",  # event after payment
        "PV65/005,0104,hospital,20/11/2565,100,",  # repeated voucher
        "PV65/006,0104,hospital,20/11/2565,100,01/01/2560",  # before joining
    ]
    job = run_import("payouts", write(tmp_path, "payouts.csv", PAYOUT_HEADER, rows), mode=ImportJob.Mode.VALID_ROWS)
    assert problems(job) == [(2, "insufficient_cash"), (3, "unknown_benefit"), (4, "unknown_member"),
                             (5, "event_after_payment"), (6, "repeated_voucher"), (7, "before_joining")]
    assert job.rows_valid == 0 and not Claim.objects.exists()


BENEFICIARY_HEADER = PAYOUT_HEADER + ",เลขประจำตัวประชาชนผู้รับสวัสดิการ"


def test_a_benefit_paid_to_a_dependant_is_recorded_as_hers(run_import, fund, tmp_path, make_person):
    """Member 0101's daughter (not a member) stayed in hospital: voucher PV65/009 paid her 600 baht. The row names
    her in เลขประจำตัวประชาชนผู้รับสวัสดิการ (beneficiary_national_id); the claim is hers, not her parent's. A blank
    cell is the member himself, as before."""
    run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, OPENING))
    run_import("memberships", "members_good.xlsx")
    daughter = make_person(first_name="ลูกสาว")
    job = run_import("payouts", write(tmp_path, "payouts.csv", BENEFICIARY_HEADER, [
        PAYOUTS[0] + ",",
        f"PV65/009,0101,นอนโรงพยาบาล,02/12/2565,600.00,01/12/2565,{daughter.personal_data.national_id}",
    ]))
    assert (job.status, job.rows_written) == (DONE, 2), problems(job)
    paid_to = {c.voucher_number: c.beneficiary for c in Claim.objects.filter(fund=fund).select_related("membership")}
    member = Membership.objects.get(fund=fund, member_number="0101").person
    assert paid_to == {"PV65/001": member, "PV65/009": daughter}


def test_an_unknown_beneficiary_is_refused_naming_the_column(run_import, fund, tmp_path):
    """A national ID no one in the system has is refused (not quietly paid to the member), and the problem says
    which column: เลขประจำตัวประชาชนผู้รับสวัสดิการ (beneficiary_national_id)."""
    from chumchon.core.thai.national_id import make_valid

    run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, OPENING))
    run_import("memberships", "members_good.xlsx")
    stranger = make_valid("812345678901")
    job = run_import("payouts", write(tmp_path, "payouts.csv", BENEFICIARY_HEADER, [
        f"PV65/009,0101,นอนโรงพยาบาล,02/12/2565,600.00,01/12/2565,{stranger}"]))
    assert problems(job) == [(2, "unknown_person")]
    problem = job.problems.get()
    assert (problem.column, problem.value) == ("เลขประจำตัวประชาชนผู้รับสวัสดิการ", stranger)
    assert problem.message_th.startswith("เลขประจำตัวประชาชนผู้รับสวัสดิการ: ไม่พบบุคคล")
    assert problem.message_en.startswith("beneficiary_national_id: no person has this national ID")
    assert not Claim.objects.exists()


def test_a_committee_names_only_people_it_may_see_as_beneficiaries(run_import, fund, tmp_path, world):
    """Fund A's committee imports a payout naming someone of fund B (Khon Kaen) by national ID: refused as unknown,
    as the claim form would — a typed ID must not attach (and so show) a person of another fund."""
    run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, OPENING))
    run_import("memberships", "members_good.xlsx")
    elsewhere = world["b_people"][0].personal_data.national_id
    job = run_import("payouts", write(tmp_path, "payouts.csv", BENEFICIARY_HEADER, [
        f"PV65/009,0101,นอนโรงพยาบาล,02/12/2565,600.00,01/12/2565,{elsewhere}"]),
        actor=world["users"]["committee_a"])
    assert problems(job) == [(2, "unknown_person")]
    assert not Claim.objects.filter(beneficiary=world["b_people"][0]).exists()


def test_a_voucher_number_longer_than_its_column_is_refused_on_its_row(run_import, fund, tmp_path):
    run_import("opening-balances", write(tmp_path, "opening.csv", OPENING_HEADER, OPENING))
    run_import("memberships", "members_good.xlsx")
    long_voucher = PAYOUTS[0].replace("PV65/001", "PV/2565/บ้านนา/000001")  # 21 characters
    job = run_import("payouts", write(tmp_path, "payouts.csv", PAYOUT_HEADER, [long_voucher]))
    assert problems(job) == [(2, "too_long")]
    assert job.problems.get().message_en == "voucher_number is longer than 20 characters: it has 21"
    assert not Claim.objects.filter(fund=fund).exists()
