"""Posting, replaying, reversing, closing: the service rules with their Thai (English) messages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chumchon.ledger import services
from chumchon.ledger.models import Account, JournalEntry, Period

pytestmark = pytest.mark.django_db


def bal(book, code):
    return Account.objects.get(book=book, code=code).balance


def test_book_gets_the_welfare_fund_chart(book):
    codes = set(book.accounts.values_list("code", flat=True))
    assert {"1101", "3101", "4101", "4201", "5103", "5105", "5301"} <= codes
    assert book.accounts.filter(standard_code="").count() == 0


def test_post_updates_running_balances(book, post):
    post("2022-01-05", "เงินสมทบสมาชิก ม.ค.", [("1101", "300.00", 0), ("4101", 0, "300.00")])
    post("2022-01-20", "ฝากธนาคาร", [("1102", 250, 0), ("1101", 0, 250)])
    assert (bal(book, "1101"), bal(book, "1102"), bal(book, "4101")) == (Decimal("50.00"), Decimal("250.00"),
                                                                         Decimal("300.00"))


def test_unbalanced_entry_refused_with_both_languages(book, post):
    with pytest.raises(ValidationError) as exc:
        post("2022-01-05", "ผิด", [("1101", 100, 0), ("4101", 0, 90)])
    message = exc.value.message_dict["lines"][0]
    assert "ไม่สมดุล" in message and "does not balance" in message
    assert not JournalEntry.objects.exists() and bal(book, "1101") == 0


@pytest.mark.parametrize("lines, code", [
    ([("1101", 100, 0)], "too_few"),
    ([("1101", 100, 100), ("4101", 0, 0)], "one_side"),
    ([("1101", "10.005", 0), ("4101", 0, "10.005")], "precision"),
    ([("9999", 100, 0), ("4101", 0, 100)], "unknown_account"),
    ([("1101", -5, 0), ("4101", 0, -5)], "one_side"),
])
def test_bad_lines_are_refused(book, post, lines, code):
    with pytest.raises(ValidationError) as exc:
        post("2022-01-05", "x", lines)
    assert exc.value.error_dict["lines"][0].code == code


def test_account_of_another_book_is_refused(book, other_book, post):
    foreign = Account.objects.get(book=other_book, code="4101")
    with pytest.raises(ValidationError):
        services.entry_post(actor=None, book=book, date=__import__("datetime").date(2022, 1, 1), memo="x",
                            idempotency_key="k", lines=[services.LineSpec("1101", debit=1),
                                                        services.LineSpec(foreign, credit=1)])


def test_same_key_same_payload_posts_once(book, post):
    first = post("2022-01-05", "รับเงิน", [("1101", 100, 0), ("4101", 0, 100)], key="receipt-1")
    again = post("2022-01-05", "รับเงิน", [("1101", 100, 0), ("4101", 0, 100)], key="receipt-1")
    assert first.pk == again.pk and bal(book, "1101") == 100


def test_same_key_other_payload_is_refused(book, post):
    post("2022-01-05", "รับเงิน", [("1101", 100, 0), ("4101", 0, 100)], key="receipt-1")
    with pytest.raises(ValidationError) as exc:
        post("2022-01-05", "รับเงิน", [("1101", 200, 0), ("4101", 0, 200)], key="receipt-1")
    assert exc.value.error_dict["idempotency_key"][0].code == "key_reused"
    assert bal(book, "1101") == 100


def test_reversal_undoes_and_links(book, post, system_user):
    entry = post("2022-01-05", "จ่ายผิด", [("5103", 600, 0), ("1101", 0, 600)])
    reversal = services.entry_reverse(actor=system_user, entry=entry, idempotency_key="rev-1")
    assert reversal.reverses == entry and bal(book, "5103") == 0 and bal(book, "1101") == 0
    with pytest.raises(ValidationError):
        services.entry_reverse(actor=system_user, entry=entry, idempotency_key="rev-2")


def test_year_end_closing_moves_income_and_expense_to_fund_balance_by_source(book, post, system_user):
    post("2021-10-10", "สมทบสมาชิก", [("1101", 3650, 0), ("4101", 0, 3650)])
    post("2022-03-01", "สมทบรัฐ", [("1102", 1000, 0), ("4201", 0, 1000)])
    post("2022-05-01", "ค่านอน รพ.", [("5103", 400, 0), ("1101", 0, 400)])
    post("2022-06-30", "ดอกเบี้ย", [("1102", "12.50", 0), ("4401", 0, "12.50")])
    closing = services.period_close(actor=system_user, book=book, fiscal_year=2565)
    assert closing.date.isoformat() == "2022-09-30" and closing.is_closing
    for code in ("4101", "4201", "4401", "5103"):
        assert bal(book, code) == 0
    assert (bal(book, "3101"), bal(book, "3102"), bal(book, "3105")) == (Decimal("3250.00"), Decimal("1000.00"),
                                                                         Decimal("12.50"))
    assert Period.objects.filter(book=book, fiscal_year=2565, status="closed").count() == 12
    with pytest.raises(ValidationError) as exc:
        post("2022-07-01", "ย้อนหลัง", [("1101", 1, 0), ("4101", 0, 1)])
    assert exc.value.error_dict["date"][0].code == "closed_period"
    assert "งวด ก.ค. 2565 (ปีงบประมาณ 2565) ปิดบัญชีแล้ว" in exc.value.error_dict["date"][0].message  # not "2565/10"
    post("2022-10-01", "ปีใหม่", [("1101", 1, 0), ("4101", 0, 1)])  # FY 2566 is open


def test_years_reopen_the_latest_first(book, post, system_user):
    """FY 2565 and FY 2566 closed: FY 2566 opened with 2565's fund balance. Reopening 2565 first is refused (a
    posting there would change 2566's opening balance under its closing); 2566 then 2565 is fine."""
    post("2022-01-10", "สมทบ", [("1101", 100, 0), ("4101", 0, 100)])
    post("2022-11-10", "สมทบ", [("1101", 30, 0), ("4101", 0, 30)])
    services.period_close(actor=system_user, book=book, fiscal_year=2565)
    services.period_close(actor=system_user, book=book, fiscal_year=2566)
    with pytest.raises(ValidationError) as exc:
        services.period_reopen(actor=system_user, book=book, fiscal_year=2565, reason="แก้ไขยอดที่บันทึกผิด")
    assert exc.value.error_dict["fiscal_year"][0].code == "later_closed"
    assert Period.objects.filter(book=book, fiscal_year=2565, status="closed").count() == 12
    services.period_reopen(actor=system_user, book=book, fiscal_year=2566, reason="แก้ไขยอดที่บันทึกผิด")
    services.period_reopen(actor=system_user, book=book, fiscal_year=2565, reason="แก้ไขยอดที่บันทึกผิด")
    assert bal(book, "4101") == 130 and bal(book, "3101") == 0


def test_reopen_needs_a_national_administrator_and_reverses_the_closing(book, post, system_user, world):
    post("2022-01-10", "สมทบ", [("1101", 100, 0), ("4101", 0, 100)])
    services.period_close(actor=system_user, book=book, fiscal_year=2565)
    with pytest.raises(PermissionDenied):
        services.period_reopen(actor=world["users"]["province_a"], book=book, fiscal_year=2565, reason="แก้ไขยอด")
    services.period_reopen(actor=system_user, book=book, fiscal_year=2565, reason="แก้ไขยอดที่บันทึกผิด")
    assert bal(book, "4101") == 100 and bal(book, "3101") == 0
    post("2022-01-11", "สมทบเพิ่ม", [("1101", 50, 0), ("4101", 0, 50)])
    services.period_close(actor=system_user, book=book, fiscal_year=2565)
    assert bal(book, "3101") == 150 and bal(book, "4101") == 0


def test_a_year_end_closing_is_undone_by_reopening_not_by_reversing(book, post, system_user):
    """FY 2565 took 100 baht of contributions and was closed (4101 → 3101). Reversing the closing entry by hand is
    refused: its mirror, dated today, would put 2565's income into this year's accounts while 2565 stays closed.
    Reopening the year still reverses it, on 30 Sep 2565."""
    post("2022-01-10", "สมทบ", [("1101", 100, 0), ("4101", 0, 100)])
    closing = services.period_close(actor=system_user, book=book, fiscal_year=2565)
    with pytest.raises(ValidationError) as caught:
        services.entry_reverse(actor=system_user, entry=closing, idempotency_key="rev-close", reason="ลองกลับ")
    error = caught.value.error_dict["entry"][0]
    assert error.code == "closing_entry"
    assert error.message == ("รายการปิดบัญชีสิ้นปีกลับรายการไม่ได้ ให้เปิดงวดบัญชีแทน "
                             "(a year-end closing is undone by reopening the year)")
    assert not JournalEntry.objects.filter(reverses=closing).exists() and bal(book, "3101") == 100
    services.period_reopen(actor=system_user, book=book, fiscal_year=2565, reason="แก้ไขยอดที่บันทึกผิด")
    reversal = JournalEntry.objects.get(reverses=closing)
    assert reversal.date == datetime.date(2022, 9, 30) and (bal(book, "4101"), bal(book, "3101")) == (100, 0)


def test_a_reversal_is_not_reversed_again(book, post, system_user):
    """A 600-baht payment reversed (JV…1 → its mirror): reversing the mirror would post the payment back without
    saying so. Refused, naming the entry it reverses; the payment, if it was right after all, is posted again."""
    entry = post("2022-01-05", "จ่ายผิด", [("5103", 600, 0), ("1101", 0, 600)])
    reversal = services.entry_reverse(actor=system_user, entry=entry, idempotency_key="rev-1")
    with pytest.raises(ValidationError) as caught:
        services.entry_reverse(actor=system_user, entry=reversal, idempotency_key="rev-rev-1")
    error = caught.value.error_dict["entry"][0]
    assert error.code == "is_reversal"
    assert f"รายการนี้เป็นการกลับรายการ {entry.label}" in error.message and "cannot itself be reversed" in error.message
    assert JournalEntry.objects.filter(book=book).count() == 2 and bal(book, "5103") == 0


def test_a_year_closes_and_reopens_with_an_account_retired_since(book, post, system_user):
    """FY 2565: 100 baht of contributions, 10 baht of bank fees on 5302; then 5302 is retired (inactive, as a fund
    moved in by fund_import may have it). Posting to 5302 is refused, but the closing entry still zeroes it
    (3101 +100, 3105 −10) and reopening the year reverses that closing; the year closes again."""
    post("2022-01-10", "สมทบ", [("1101", 100, 0), ("4101", 0, 100)])
    post("2022-02-10", "ค่าธรรมเนียมธนาคาร", [("5302", 10, 0), ("1101", 0, 10)])
    Account.objects.filter(book=book, code="5302").update(is_active=False)
    with pytest.raises(ValidationError) as caught:
        post("2022-03-10", "ค่าธรรมเนียมธนาคาร", [("5302", 5, 0), ("1101", 0, 5)])
    assert caught.value.error_dict["lines"][0].code == "inactive"
    closing = services.period_close(actor=system_user, book=book, fiscal_year=2565)
    assert sorted(closing.lines.values_list("account__code", "debit", "credit")) == [
        ("3101", 0, 100), ("3105", 10, 0), ("4101", 100, 0), ("5302", 0, 10)]
    assert Period.objects.filter(book=book, fiscal_year=2565, status="closed").count() == 12
    assert (bal(book, "5302"), bal(book, "3101"), bal(book, "3105")) == (0, 100, -10)
    services.period_reopen(actor=system_user, book=book, fiscal_year=2565, reason="แก้ไขยอดที่บันทึกผิด")
    assert (bal(book, "5302"), bal(book, "3101")) == (10, 0)
    services.period_close(actor=system_user, book=book, fiscal_year=2565)
    assert bal(book, "5302") == 0 and not Account.objects.get(book=book, code="5302").is_active


def test_derived_keys_come_from_natural_keys_and_stay_short():
    assert services.derived_key("reverse", "manual-1") == "reverse-manual-1"
    long = "x" * 120
    key = services.derived_key("claim", long)
    assert len(key) <= services.KEY_LENGTH and key.startswith("claim-sha256-")
    assert key == services.derived_key("claim", long) != services.derived_key("claim", long + "y")


def test_payment_cannot_overdraw_cash(book, post, system_user):
    import datetime

    post("2022-01-10", "สมทบ", [("1101", 100, 0), ("4101", 0, 100)])
    with pytest.raises(ValidationError) as exc:
        services.payment_post(actor=system_user, book=book, date=datetime.date(2022, 1, 11), amount=Decimal("150"),
                              expense_account="5105", memo="ค่าทำศพ", idempotency_key="pay-1")
    assert "not enough money" in exc.value.message_dict["amount"][0]


def test_a_replayed_payment_returns_the_first_entry_after_the_cash_is_spent(book, post, system_user):
    """100 baht in, a 100-baht hospital benefit paid: cash is 0. The same request again (a retry, a double click)
    returns the payment already posted instead of "not enough money"; the same key for another amount is refused
    as a reused key, and a new payment is still refused for want of cash."""
    post("2022-01-05", "เงินสมทบ", [("1101", 100, 0), ("4101", 0, 100)])
    pay = dict(actor=system_user, book=book, date=datetime.date(2022, 1, 6), amount=100, expense_account="5103",
               memo="สวัสดิการนอนโรงพยาบาล", idempotency_key="pay-1")
    first = services.payment_post(**pay)
    assert bal(book, "1101") == 0
    assert services.payment_post(**pay).pk == first.pk
    with pytest.raises(ValidationError) as exc:
        services.payment_post(**{**pay, "amount": 80})
    assert exc.value.error_dict["idempotency_key"][0].code == "key_reused"
    with pytest.raises(ValidationError) as exc:
        services.payment_post(**{**pay, "idempotency_key": "pay-2"})
    assert "ไม่พอจ่าย" in exc.value.message_dict["amount"][0]
    assert JournalEntry.objects.filter(book=book).count() == 2 and bal(book, "5103") == 100


def test_ledger_verify_command(book, post):
    import io

    from django.core.management import call_command

    post("2022-01-05", "x", [("1101", 100, 0), ("4101", 0, 100)])
    out = io.StringIO()
    call_command("ledger_verify", stdout=out)
    assert out.getvalue().startswith("OK:")


def test_years_close_in_order_and_not_before_the_book_began(book, post, system_user):
    """Fund A was founded on 1 March 2021 (FY 2564); its first entry is in FY 2565, its next in FY 2566."""
    fund = book.organisation.fund
    fund.founded_on = datetime.date(2021, 3, 1)
    fund.save(update_fields=["founded_on"])
    post("2021-11-10", "สมทบสมาชิก", [("1101", 365, 0), ("4101", 0, 365)])
    post("2022-11-10", "สมทบสมาชิก", [("1101", 365, 0), ("4101", 0, 365)])

    def refusal(fiscal_year):
        with pytest.raises(ValidationError) as caught:
            services.period_close(actor=system_user, book=book, fiscal_year=fiscal_year)
        return caught.value.error_dict["fiscal_year"][0]

    too_early = refusal(2500)
    assert too_early.code == "nothing_to_close" and "ก่อตั้ง 1 มีนาคม 2564" in too_early.message
    assert refusal(2566).code == "earlier_open" and "2565" in refusal(2566).message
    for fiscal_year in ("abc", 0, 2026):  # what a form may send: refused by name, never a crash
        assert refusal(fiscal_year).code == "invalid"
    assert not Period.objects.filter(book=book, status="closed").exists()
    services.period_close(actor=system_user, book=book, fiscal_year=2564)  # founded that year, nothing in it yet
    services.period_close(actor=system_user, book=book, fiscal_year=2565)
    services.period_close(actor=system_user, book=book, fiscal_year=2566)
    assert Period.objects.filter(book=book, status="closed").count() == 36


def test_an_entry_a_receipt_posted_is_not_reversed_in_the_books_alone(book, world, system_user):
    from chumchon.welfare import services as welfare

    fund = world["fund_a"]
    welfare.typical_rules_set(actor=system_user, fund=fund, effective_from=datetime.date(2020, 1, 1))
    receipt = welfare.contribution_receive(actor=system_user, membership=fund.memberships.first(),
                                           amount=Decimal("365.00"), date=datetime.date(2022, 1, 5),
                                           idempotency_key="receipt-1")
    assert services.entry_documents(receipt.entry) == [
        (f"ใบเสร็จ {receipt.receipt_number} (receipt)", f"/funds/A-001/receipts/{receipt.receipt_number}/")]
    with pytest.raises(ValidationError) as caught:
        services.entry_reverse(actor=system_user, entry=receipt.entry, idempotency_key="rev-receipt", reason="ผิดคน")
    assert caught.value.error_dict["entry"][0].code == "has_documents"
    assert receipt.receipt_number in caught.value.error_dict["entry"][0].message
    assert not JournalEntry.objects.filter(reverses=receipt.entry).exists()


def test_an_entry_of_a_closed_year_is_reversed_today(book, post, system_user):
    from django.utils import timezone

    entry = post("2022-01-05", "จ่ายผิด", [("5103", 600, 0), ("1101", 0, 600)])
    services.period_close(actor=system_user, book=book, fiscal_year=2565)
    assert services.entry_in_closed_period(entry)
    reversal = services.entry_reverse(actor=system_user, entry=entry, idempotency_key="rev-closed", reason="จ่ายซ้ำ")
    assert reversal.date == timezone.localdate() and reversal.reverses == entry
    assert bal(book, "1101") == 0
    from chumchon.core.models import AuditLog

    trail = AuditLog.objects.get(action="ledger.entry_reverse", object_id=str(entry.pk))
    assert trail.summary == f"{entry.label} → {reversal.label}: จ่ายซ้ำ"
