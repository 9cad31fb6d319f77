"""Cancelling a receipt issued by mistake (ยกเลิกใบเสร็จ): the books, the member's paid-through date, the rules.

Worked example a treasurer can check by hand: member 1 joined 1 Jan 2020 and paid 30 baht on 5 Jan 2022 (covering
1–30 Jan 2020, receipt RC2565-00001) and 365 baht the same day (31 Jan 2020 – 29 Jan 2021, RC2565-00002). The
365 was typed for 30: cancelling RC2565-00002 leaves cash 1101 at 30.00 and contributions 4101 at 30.00
(credited 395, debited 365), and the member paid through 30 Jan 2020 again."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chumchon.core.models import AuditLog
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Account, JournalEntry
from chumchon.welfare import services
from chumchon.welfare.models import CollectionSheet, Contribution, ContributionVoid

from .conftest import refused

pytestmark = pytest.mark.django_db
D = datetime.date


def balance(fund, code: str) -> Decimal:
    return Account.objects.get(book=fund.organisation.book, code=code).balance


@pytest.fixture
def two_receipts(members, system_user):
    m = members[0]
    first = services.contribution_receive(actor=system_user, membership=m, amount=30, date=D(2022, 1, 5),
                                          idempotency_key="r1")
    second = services.contribution_receive(actor=system_user, membership=m, amount=365, date=D(2022, 1, 5),
                                           idempotency_key="r2")
    return m, first, second


def test_the_worked_example(fund, two_receipts, system_user):
    m, first, second = two_receipts
    assert (balance(fund, "1101"), balance(fund, "4101")) == (Decimal("395.00"), Decimal("395.00"))
    void = services.contribution_void(actor=system_user, contribution=second, reason="พิมพ์ 365 แทน 30",
                                      idempotency_key="v1")
    assert (balance(fund, "1101"), balance(fund, "4101")) == (Decimal("30.00"), Decimal("30.00"))
    m.refresh_from_db()
    assert m.paid_through == D(2020, 1, 30)
    assert (void.paid_through_before, void.paid_through_after) == (D(2021, 1, 29), D(2020, 1, 30))
    # the correcting entry: on the receipt's own day, Dr contributions, Cr the cash it went to, quoting the receipt
    entry = void.entry
    assert (entry.date, entry.reference) == (D(2022, 1, 5), "RC2565-00002")
    assert sorted((line.account.code, line.debit, line.credit) for line in entry.lines.select_related("account")) == [
        ("1101", Decimal("0.00"), Decimal("365.00")), ("4101", Decimal("365.00"), Decimal("0.00"))]
    assert "ยกเลิกใบเสร็จ RC2565-00002" in entry.memo and "พิมพ์" not in entry.memo  # the reason: on the record
    assert void.reason == "พิมพ์ 365 แทน 30"
    # the receipt keeps its number and row; only the first one stands
    assert Contribution.objects.filter(membership=m).count() == 2
    assert list(Contribution.objects.standing().filter(membership=m)) == [first]
    assert AuditLog.objects.filter(action="welfare.contribution_void", object_id=str(second.pk)).exists()
    # the right payment is then taken: it covers from where the cancelled one did, under the next number
    right = services.contribution_receive(actor=system_user, membership=m, amount=30, date=D(2022, 1, 6),
                                          idempotency_key="r3")
    assert (right.receipt_number, right.covers_from) == ("RC2565-00003", D(2020, 1, 31))


def test_the_same_key_again_answers_the_first_cancellation(two_receipts, system_user):
    _, _, second = two_receipts
    void = services.contribution_void(actor=system_user, contribution=second, reason="ผิดคน ต้องเป็นสมาชิก 2",
                                      idempotency_key="v1")
    again = services.contribution_void(actor=system_user, contribution=second, reason="ผิดคน ต้องเป็นสมาชิก 2",
                                       idempotency_key="v1")
    assert again.pk == void.pk and ContributionVoid.objects.count() == 1
    assert JournalEntry.objects.filter(reference=second.receipt_number).count() == 2  # the receipt and its void


def test_a_receipt_is_cancelled_once(two_receipts, system_user):
    _, _, second = two_receipts
    services.contribution_void(actor=system_user, contribution=second, reason="ผิดคน ต้องเป็นสมาชิก 2",
                               idempotency_key="v1")
    with pytest.raises(ValidationError) as exc:
        services.contribution_void(actor=system_user, contribution=second, reason="อีกครั้งหนึ่ง", idempotency_key="v2")
    assert "ยกเลิกแล้ว" in exc.value.message_dict["receipt"][0]


def test_an_earlier_receipt_waits_for_the_later_ones(fund, two_receipts, system_user):
    m, first, second = two_receipts
    with pytest.raises(ValidationError) as exc:
        services.contribution_void(actor=system_user, contribution=first, reason="ผิดจำนวนเงิน", idempotency_key="v1")
    message = exc.value.message_dict["receipt"][0]
    assert "RC2565-00002" in message and "cancel the latest first" in message
    assert balance(fund, "1101") == Decimal("395.00") and not ContributionVoid.objects.exists()
    services.contribution_void(actor=system_user, contribution=second, reason="ผิดจำนวนเงิน", idempotency_key="v2")
    services.contribution_void(actor=system_user, contribution=first, reason="ผิดจำนวนเงิน", idempotency_key="v3")
    m.refresh_from_db()
    assert m.paid_through is None and balance(fund, "1101") == 0
    assert services.owed(m, D(2020, 1, 31)) == Decimal("31.00")


def test_a_reason_is_required(two_receipts, system_user):
    _, _, second = two_receipts
    with pytest.raises(ValidationError) as exc:
        services.contribution_void(actor=system_user, contribution=second, reason=" ผิด ", idempotency_key="v1")
    assert "เหตุผล" in exc.value.message_dict["reason"][0]
    assert not ContributionVoid.objects.exists()


def test_a_closed_period_is_not_rewritten(fund, two_receipts, system_user):
    _, _, second = two_receipts
    book = fund.organisation.book
    ledger.period_close(actor=system_user, book=book, fiscal_year=2565)
    assert services.void_refusal(second) is not None
    with pytest.raises(ValidationError) as exc:
        services.contribution_void(actor=system_user, contribution=second, reason="ผิดจำนวนเงิน", idempotency_key="v1")
    assert "ปิดบัญชีแล้ว" in exc.value.message_dict["receipt"][0]
    assert not ContributionVoid.objects.exists()


def test_money_already_spent_is_not_taken_below_zero(fund, two_receipts, system_user):
    _, _, second = two_receipts
    ledger.payment_post(actor=system_user, book=fund.organisation.book, date=D(2022, 1, 7), amount=100,
                        expense_account="5105", memo="ค่าเครื่องเขียน", idempotency_key="p1")
    with pytest.raises(ValidationError) as exc:
        services.contribution_void(actor=system_user, contribution=second, reason="ผิดจำนวนเงิน", idempotency_key="v1")
    assert "below zero" in exc.value.message_dict["receipt"][0]
    assert balance(fund, "1101") == Decimal("295.00")


def test_another_fund_cannot_cancel(world, two_receipts):
    _, _, second = two_receipts
    with pytest.raises(PermissionDenied):
        services.contribution_void(actor=world["users"]["committee_b"], contribution=second, reason="ผิดจำนวนเงิน",
                                   idempotency_key="v1")
    assert not ContributionVoid.objects.exists()


def test_one_receipt_of_a_collection_sheet(fund, members, system_user):
    sheet = services.collection_sheet_post(actor=system_user, fund=fund, date=D(2022, 2, 1), idempotency_key="s1",
                                           payments=[services.SheetPayment(m, 30) for m in members], village_number=3)
    assert balance(fund, "1101") == Decimal("90.00")
    wrong = sheet.contributions.order_by("receipt_number")[1]
    void = services.contribution_void(actor=system_user, contribution=wrong, reason="สมาชิกไม่ได้มาส่งเงิน",
                                      idempotency_key="v1")
    assert balance(fund, "1101") == Decimal("60.00")
    assert void.entry_id != sheet.entry_id and CollectionSheet.objects.get().entry_id == sheet.entry_id
    assert sheet.contributions.standing().count() == 2


def test_the_correcting_entry_is_not_reversed_alone(two_receipts, system_user):
    _, _, second = two_receipts
    void = services.contribution_void(actor=system_user, contribution=second, reason="ผิดจำนวนเงิน",
                                      idempotency_key="v1")
    with pytest.raises(ValidationError) as exc:
        ledger.entry_reverse(actor=system_user, entry=void.entry, idempotency_key="rev")
    assert "ยกเลิกใบเสร็จ RC2565-00002" in exc.value.message_dict["entry"][0]


def test_the_database_keeps_cancellations(world, fund, two_receipts, system_user, members):
    _, first, second = two_receipts
    void = services.contribution_void(actor=system_user, contribution=second, reason="ผิดจำนวนเงิน",
                                      idempotency_key="v1")
    assert "append-only" in refused(lambda: ContributionVoid.objects.filter(pk=void.pk).update(reason="x"))
    assert "append-only" in refused(lambda: ContributionVoid.objects.filter(pk=void.pk).delete())
    # a cancellation whose entry is another fund's, or moves another amount, is refused by the database
    other = ledger.receipt_post(actor=system_user, book=world["fund_b"].organisation.book, date=D(2022, 1, 5),
                                amount=30, income_account="4101", memo="test", idempotency_key="eb")
    assert "cancellation" in refused(lambda: ContributionVoid.objects.create(
        contribution=first, fund=fund, reason="x", entry=other, idempotency_key="raw1"))
    same_book = ledger.receipt_post(actor=system_user, book=fund.organisation.book, date=D(2022, 1, 5), amount=31,
                                    income_account="4101", memo="test", idempotency_key="ea")
    assert "cancellation" in refused(lambda: ContributionVoid.objects.create(
        contribution=first, fund=fund, reason="x", entry=same_book, idempotency_key="raw2"))
    # the right book and amount, but the receipt went to cash (1101): a correcting entry crediting the bank is
    # refused by its lines; and so is one of the right accounts the other way round
    for n, (dr, cr) in enumerate((("4101", "1102"), ("1101", "4101"))):
        lines = [ledger.LineSpec(dr, debit=first.amount), ledger.LineSpec(cr, credit=first.amount)]
        wrong = ledger.entry_post(actor=system_user, book=fund.organisation.book, date=D(2022, 1, 5), memo="test",
                                  lines=lines, idempotency_key=f"lines{n}")
        assert "must debit contributions (4101)" in refused(lambda wrong=wrong, n=n: ContributionVoid.objects.create(
            contribution=first, fund=fund, reason="x", entry=wrong, idempotency_key=f"raw-lines{n}"))


AMOUNTS = st.sampled_from([Decimal(30), Decimal(60), Decimal(365)])
STEPS = st.lists(st.one_of(st.tuples(st.just("pay"), st.integers(0, 2), AMOUNTS),
                           st.tuples(st.just("void"), st.integers(0, 2), st.just(Decimal(0)))), max_size=14)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_cash_is_the_standing_receipts_and_paid_through_their_last_day(fund, members, system_user, steps):
    """Whatever the payments and cancellations (a cancellation takes the member's latest standing receipt), cash
    and contributions equal the standing receipts' total, and each member's paid-through date is the last day
    their standing receipts cover (none: nothing paid)."""
    with transaction.atomic():
        for n, (what, who, amount) in enumerate(steps):
            m = members[who]
            if what == "pay":
                services.contribution_receive(actor=system_user, membership=m, amount=amount, date=D(2022, 3, 1),
                                              idempotency_key=f"h{n}")
                continue
            latest = Contribution.objects.standing().filter(membership=m).order_by("-covers_to").first()
            if latest is not None:
                services.contribution_void(actor=system_user, contribution=latest, reason="ทดสอบการยกเลิก",
                                           idempotency_key=f"h{n}")
        standing = Contribution.objects.standing().filter(fund=fund)
        total = sum((c.amount for c in standing), Decimal(0))
        assert balance(fund, "1101") == balance(fund, "4101") == total
        for m in members:
            m.refresh_from_db()
            last = standing.filter(membership=m).order_by("-covers_to").first()
            assert m.paid_through == (last.covers_to if last else None)
        transaction.set_rollback(True)


# --- the pages ---------------------------------------------------------------------------------------------------

def _receipt_url(fund, number: str, cancel: bool = False) -> str:
    from django.urls import reverse

    return reverse("welfare:receipt_void" if cancel else "welfare:receipt", args=[fund.code, number])


def test_the_treasurer_cancels_on_the_receipt_page(world, fund, two_receipts, client, login):
    from django.urls import reverse

    m, first, second = two_receipts
    login(world["users"]["committee_a"])
    page = client.get(_receipt_url(fund, second.receipt_number))
    assert page.context["can_void"] and f'action="{_receipt_url(fund, second.receipt_number, True)}"' in \
        page.content.decode()
    # the earlier receipt says why it waits, and has no form
    earlier = client.get(_receipt_url(fund, first.receipt_number))
    assert earlier.context["void_refusal"] and "RC2565-00002" in earlier.content.decode()
    assert _receipt_url(fund, first.receipt_number, True) not in earlier.content.decode()
    # too short a reason: told, nothing written
    response = client.post(_receipt_url(fund, second.receipt_number, True), {"reason": "ผิด", "idempotency_key": "k"},
                           follow=True)
    assert any("at least 5 characters" in str(m) for m in response.context["messages"])
    assert not ContributionVoid.objects.exists()
    response = client.post(_receipt_url(fund, second.receipt_number, True),
                           {"reason": "รับเงินผิดคน", "idempotency_key": "k"}, follow=True)
    assert response.redirect_chain[-1][0] == _receipt_url(fund, second.receipt_number)
    assert response.context["void"].reason == "รับเงินผิดคน" and "can_void" not in response.context
    assert balance(fund, "1101") == Decimal("30.00")
    # the member's page marks it; a second press with the same key changes nothing
    member_page = client.get(reverse("welfare:member_detail", args=[fund.code, m.member_number])).content.decode()
    assert member_page.count("badge-danger") == 1
    client.post(_receipt_url(fund, second.receipt_number, True), {"reason": "รับเงินผิดคน", "idempotency_key": "k"})
    assert ContributionVoid.objects.count() == 1 and balance(fund, "1101") == Decimal("30.00")
    assert client.get(_receipt_url(fund, second.receipt_number) + "?format=pdf")["Content-Type"] == "application/pdf"
    assert client.get(_receipt_url(fund, second.receipt_number, True)).status_code == 405


def test_only_those_who_record_for_the_fund_cancel(world, fund, two_receipts, client, login):
    _, _, second = two_receipts
    for who in ("committee_b", "member", "auditor"):
        login(world["users"][who])
        response = client.post(_receipt_url(fund, second.receipt_number, True),
                               {"reason": "รับเงินผิดคน", "idempotency_key": who})
        assert response.status_code in (403, 404), who
    login(world["users"]["auditor"])
    page = client.get(_receipt_url(fund, second.receipt_number))
    assert page.status_code == 200 and "can_void" not in page.context
    assert not ContributionVoid.objects.exists()


def test_the_member_sees_their_receipt_cancelled(world, fund, two_receipts, client, login, system_user):
    from django.urls import reverse

    _, _, second = two_receipts
    services.contribution_void(actor=system_user, contribution=second, reason="รับเงินผิดคน", idempotency_key="v")
    login(world["users"]["member"])
    record = client.get(reverse("welfare:my_record")).content.decode()
    assert record.count("badge-danger") == 1
    page = client.get(reverse("welfare:my_receipt", args=[fund.code, second.receipt_number]))
    assert page.context["void"].reason == "รับเงินผิดคน" and "รับเงินผิดคน" in page.content.decode()
    assert reverse("ledger:entry_detail", args=[fund.code, page.context["void"].entry_id]) not in \
        page.content.decode()


# --- the API -------------------------------------------------------------------------------------------------------

def test_the_api_cancels_and_lists_the_receipt_as_cancelled(world, fund, two_receipts, client, login):
    import json

    _, first, second = two_receipts
    login(world["users"]["committee_a"])
    url = f"/api/v1/welfare/funds/{fund.code}/contributions/{second.receipt_number}/cancel"

    def post(body, receipt_url=url):
        return client.post(receipt_url, data=json.dumps(body), content_type="application/json")

    assert post({"reason": "ผิด", "idempotency_key": "a1"}).status_code == 422
    done = post({"reason": "รับเงินผิดคน", "idempotency_key": "a1"})
    assert done.status_code == 201, done.content
    body = done.json()
    assert body["cancelled"] and body["cancel_reason"] == "รับเงินผิดคน" and body["cancel_entry_id"]
    assert post({"reason": "รับเงินผิดคน", "idempotency_key": "a1"}).status_code == 200
    other = url.replace(second.receipt_number, first.receipt_number)
    assert post({"reason": "รับเงินผิดคน", "idempotency_key": "a1"}, other).status_code == 409
    listed = client.get(f"/api/v1/welfare/funds/{fund.code}/contributions").json()["items"]
    assert {r["receipt_number"]: r["cancelled"] for r in listed} == {first.receipt_number: False,
                                                                     second.receipt_number: True}
    login(world["users"]["committee_b"])
    assert post({"reason": "รับเงินผิดคน", "idempotency_key": "b1"}, other).status_code == 404


# --- what counts the money ---------------------------------------------------------------------------------------

def test_reports_summaries_and_exports_leave_a_cancelled_receipt_out(fund, two_receipts, system_user):
    from chumchon.dataio.exports import ROWS
    from chumchon.insights.summaries import fund_figures
    from chumchon.welfare.reports import contributions_by_month

    _, first, second = two_receipts
    services.contribution_void(actor=system_user, contribution=second, reason="รับเงินผิดคน", idempotency_key="v")
    report = contributions_by_month(fund, 2565)
    assert report.totals[-2] == Decimal("30.00") and report.totals[-1] == 1
    rows, _ = fund_figures(fund, D(2022, 9, 30))
    assert rows[(2565, 0)]["contributions"] == Decimal("30.00") and rows[(2565, 0)]["contribution_payments"] == 1
    exported = list(ROWS["contributions"](system_user, fund))
    assert [r["receipt_number"] for r in exported] == [first.receipt_number]
