"""Cancelling a benefit paid by mistake (ยกเลิกใบสำคัญจ่าย): the books, the caps, the counts, the pages.

Worked example a treasurer can check by hand: fund A holds 3,285 baht in cash (three members' 1,095). Member
00001 is paid 600 for three hospital nights in March 2022 (PV2565-00001): cash 2,685, expense 5103 600. The stay
was another member's: cancelling the payment puts cash back to 3,285 and 5103 to 0, and the 600 no longer counts
against the member's yearly hospital cap of 1,000 — a three-night stay in May then pays 600 again, not 400."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from chumchon.core.models import AuditLog
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Account
from chumchon.welfare import services
from chumchon.welfare.models import BenefitKind, Claim, ClaimPaymentVoid

from .conftest import refused

pytestmark = pytest.mark.django_db
D = datetime.date


def balance(fund, code: str) -> Decimal:
    return Account.objects.get(book=fund.organisation.book, code=code).balance


MARCH = D(2022, 3, 1)


def _paid(fund, members, treasurer_and_chair, *, nights=3, on=MARCH, key="h1", member=0):
    treasurer, chair = treasurer_and_chair
    claim = services.claim_submit(actor=treasurer, membership=members[member],
                                  kind=BenefitKind.objects.get(code="hospital"), event_date=on, units=nights,
                                  consent=True, idempotency_key=key)
    claim = services.claim_decide(actor=chair, claim=claim, approve=True)
    return services.claim_pay(actor=treasurer, claim=claim, date=on + datetime.timedelta(days=1))


def test_the_worked_example(funded, members, treasurer_and_chair, system_user):
    claim = _paid(funded, members, treasurer_and_chair)
    assert (claim.amount, claim.voucher_number) == (Decimal(600), "PV2565-00001")
    assert (balance(funded, "1101"), balance(funded, "5103")) == (Decimal("2685.00"), Decimal("600.00"))
    void = services.claim_payment_void(actor=system_user, claim=claim, reason="จ่ายผิดคน เป็นของสมาชิก 00002",
                                       idempotency_key="cv1")
    assert (balance(funded, "1101"), balance(funded, "5103")) == (Decimal("3285.00"), Decimal("0.00"))
    assert (void.entry.date, void.entry.reference) == (D(2022, 3, 2), "PV2565-00001")
    assert "ยกเลิกใบสำคัญจ่าย PV2565-00001" in void.entry.memo and claim.beneficiary.first_name not in void.entry.memo
    assert "จ่ายผิดคน" not in void.entry.memo  # free text stays off the journal: on the cancellation only
    assert Claim.objects.get(pk=claim.pk).status == "paid" and not Claim.objects.paid().exists()
    assert AuditLog.objects.filter(action="welfare.claim_payment_void", object_id=str(claim.pk)).exists()
    # the same key again: the first cancellation; another key: already cancelled
    assert services.claim_payment_void(actor=system_user, claim=claim, reason="จ่ายผิดคน เป็นของสมาชิก 00002",
                                       idempotency_key="cv1").pk == void.pk
    with pytest.raises(ValidationError) as exc:
        services.claim_payment_void(actor=system_user, claim=claim, reason="อีกครั้งหนึ่ง", idempotency_key="cv2")
    assert "already cancelled" in exc.value.message_dict["claim"][0]
    # the cap counts what stands: a three-night stay in May pays 600 again
    treasurer = treasurer_and_chair[0]
    may = services.claim_submit(actor=treasurer, membership=members[0], kind=BenefitKind.objects.get(code="hospital"),
                                event_date=D(2022, 5, 1), units=3, consent=True, idempotency_key="h2")
    assert may.amount == Decimal(600)


def test_without_the_cancellation_the_cap_would_have_held(funded, members, treasurer_and_chair):
    _paid(funded, members, treasurer_and_chair)
    _paid(funded, members, treasurer_and_chair, on=D(2022, 4, 1), key="h2")  # 400 more: the year's 1,000
    treasurer = treasurer_and_chair[0]
    may = services.claim_submit(actor=treasurer, membership=members[0], kind=BenefitKind.objects.get(code="hospital"),
                                event_date=D(2022, 5, 1), units=3, consent=True, idempotency_key="h3")
    assert may.amount == 0


def test_only_a_paid_claim_a_reason_an_open_period_and_the_funds_own(funded, members, treasurer_and_chair,
                                                                      system_user, world):
    treasurer, chair = treasurer_and_chair
    submitted = services.claim_submit(actor=treasurer, membership=members[1],
                                      kind=BenefitKind.objects.get(code="hospital"), event_date=D(2022, 3, 1),
                                      units=1, consent=True, idempotency_key="s1")
    with pytest.raises(ValidationError) as exc:
        services.claim_payment_void(actor=system_user, claim=submitted, reason="ผิดพลาดครับ", idempotency_key="a")
    assert "only a paid claim" in exc.value.message_dict["claim"][0]
    claim = _paid(funded, members, treasurer_and_chair)
    with pytest.raises(ValidationError) as exc:
        services.claim_payment_void(actor=system_user, claim=claim, reason="ผิด", idempotency_key="b")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.claim_payment_void(actor=world["users"]["committee_b"], claim=claim, reason="ผิดพลาดครับ",
                                    idempotency_key="c")
    ledger.period_close(actor=system_user, book=funded.organisation.book, fiscal_year=2565)
    with pytest.raises(ValidationError) as exc:
        services.claim_payment_void(actor=system_user, claim=claim, reason="ผิดพลาดครับ", idempotency_key="d")
    assert "closed period" in exc.value.message_dict["claim"][0]
    assert not ClaimPaymentVoid.objects.exists()  # (5103 itself is closed into the fund balance by now)


def test_a_cancelled_benefit_is_not_a_benefit_received(funded, members, treasurer_and_chair, system_user):
    from chumchon.dataio.exports import ROWS
    from chumchon.insights.summaries import fund_figures
    from chumchon.welfare.reports import benefits_by_kind

    claim = _paid(funded, members, treasurer_and_chair)
    kept = _paid(funded, members, treasurer_and_chair, member=1, key="h2", nights=1)
    services.claim_payment_void(actor=system_user, claim=claim, reason="จ่ายผิดคน", idempotency_key="v")
    report = benefits_by_kind(funded, 2565)
    assert report.totals[1:4] == (1, 1, Decimal("200.00"))
    rows, _ = fund_figures(funded, D(2022, 9, 30))
    assert rows[(2565, 0)]["benefits_paid"] == Decimal("200.00") and rows[(2565, 0)]["benefit_claims"] == 1
    assert [r["voucher_number"] for r in ROWS["payouts"](system_user, funded)] == [kept.voucher_number]
    # the member whose only benefit was cancelled gets the refund the regulations give on resignation
    services.fund_settings_update(actor=system_user, fund=funded, refund_on_resignation=True)
    services.membership_end(actor=system_user, membership=members[0], status="resigned", on=D(2022, 9, 1))
    assert services.refund_due(members[0])[2] is None


def test_the_database_keeps_cancellations(funded, members, treasurer_and_chair, system_user):
    claim = _paid(funded, members, treasurer_and_chair)
    void = services.claim_payment_void(actor=system_user, claim=claim, reason="จ่ายผิดคน", idempotency_key="v")
    assert "append-only" in refused(lambda: ClaimPaymentVoid.objects.filter(pk=void.pk).update(reason="x"))
    assert "append-only" in refused(lambda: ClaimPaymentVoid.objects.filter(pk=void.pk).delete())
    other = _paid(funded, members, treasurer_and_chair, member=1, key="h2", nights=1)
    wrong = ledger.receipt_post(actor=system_user, book=funded.organisation.book, date=D(2022, 3, 5), amount=199,
                                income_account="4101", memo="x", idempotency_key="x")
    assert "cancellation" in refused(lambda: ClaimPaymentVoid.objects.create(
        claim=other, fund=funded, reason="x", entry=wrong, idempotency_key="raw"))
    # the amount paid, in the fund's book, but not the payment's lines the other way round: a receipt of 200
    # into contributions (Dr cash, Cr 4101), and the payment's own lines again (Dr expense, Cr cash)
    paid_lines = [(line.account.code, line.debit, line.credit) for line in other.entry.lines.all()]
    for n, lines in enumerate(([ledger.LineSpec(paid_lines[0][0] if paid_lines[0][2] else paid_lines[1][0],
                                                debit=other.amount), ledger.LineSpec("4101", credit=other.amount)],
                               [ledger.LineSpec(code, debit=dr, credit=cr) for code, dr, cr in paid_lines])):
        entry = ledger.entry_post(actor=system_user, book=funded.organisation.book, date=D(2022, 3, 5), memo="x",
                                  lines=lines, idempotency_key=f"lines{n}")
        assert "the payment's own lines, each the other way round" in refused(
            lambda entry=entry, n=n: ClaimPaymentVoid.objects.create(claim=other, fund=funded, reason="x",
                                                                     entry=entry, idempotency_key=f"raw{n}"))


def test_the_pages(funded, members, treasurer_and_chair, world, client, login):
    claim = _paid(funded, members, treasurer_and_chair)
    url = reverse("welfare:claim_detail", args=[funded.code, claim.pk])
    cancel = reverse("welfare:claim_void", args=[funded.code, claim.pk])
    login(world["users"]["committee_a"])
    page = client.get(url)
    assert page.context["can_void"] and f'action="{cancel}"' in page.content.decode()
    short = client.post(cancel, {"reason": "ผิด", "idempotency_key": "k"}, follow=True)
    assert any("at least 5 characters" in str(m) for m in short.context["messages"])
    assert not ClaimPaymentVoid.objects.exists()
    done = client.post(cancel, {"reason": "จ่ายผิดคน", "idempotency_key": "k"}, follow=True)
    assert done.context["void"].reason == "จ่ายผิดคน" and not done.context["can_void"]
    listed = client.get(reverse("welfare:claim_list", args=[funded.code])).content.decode()
    assert "badge-danger" in listed
    pdf = client.get(reverse("welfare:voucher", args=[funded.code, claim.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    api = client.get(f"/api/v1/welfare/funds/{funded.code}/claims").json()["items"]
    assert [c["payment_cancelled"] for c in api] == [True]
    login(world["users"]["committee_b"])
    assert client.post(cancel, {"reason": "จ่ายผิดคน", "idempotency_key": "b"}).status_code == 404


def test_a_cancelled_pension_is_prepared_again(funded, members, treasurer_and_chair, system_user, make_person):
    """An elderly member (born 1950, a member since 2020, paid up) is paid the year's 200-baht pension in January
    2025; paid by mistake and cancelled, the next batch of the same year includes her again (one pension a year,
    and the cancelled one was none)."""
    from chumchon.welfare.models import Claim as ClaimModel

    treasurer, chair = treasurer_and_chair
    elder = make_person("500203", fund=funded, first_name="ยาย", birth_date=D(1950, 1, 1)).memberships.get()
    services.contribution_receive(actor=system_user, membership=elder, amount=2200, date=D(2025, 1, 5),
                                  idempotency_key="elder")
    on = D(2025, 1, 22)
    first = services.pension_batch_prepare(actor=treasurer, fund=funded, date=on)
    assert [c.membership_id for c in first] == [elder.pk]
    paid, _ = services.pension_batch_approve(actor=chair, fund=funded, batch=f"pension-{on.isoformat()}",
                                             cash_account="1101")
    assert not services.pension_batch_prepare(actor=treasurer, fund=funded, date=on + datetime.timedelta(days=1))
    services.claim_payment_void(actor=system_user, claim=paid[0], reason="จ่ายผิดคน", idempotency_key="v")
    again = services.pension_batch_prepare(actor=treasurer, fund=funded, date=on + datetime.timedelta(days=2))
    assert [c.membership_id for c in again] == [elder.pk]
    assert not ClaimModel.objects.paid().filter(membership=elder).exists()
