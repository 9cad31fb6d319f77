"""What the database keeps of a claim whoever asks: nothing removes a claim, a paid or rejected one never changes,
an approved one changes only by being paid, and a paid claim has its journal entry and voucher number."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from chumchon.welfare import services
from chumchon.welfare.models import BenefitKind, Claim

from .conftest import refused

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def claims(funded, members, treasurer_and_chair):
    """Three hospital claims of 400 baht: one approved, one paid (PV2565-00001), one rejected."""
    treasurer, chair = treasurer_and_chair
    hospital = BenefitKind.objects.get(code="hospital")
    made = {}
    for name, member in (("approved", members[0]), ("paid", members[1]), ("rejected", members[2])):
        claim = services.claim_submit(actor=treasurer, membership=member, kind=hospital, event_date=D(2022, 8, 2),
                                      units=2, consent=True, idempotency_key=name)
        made[name] = services.claim_decide(actor=chair, claim=claim, approve=name != "rejected",
                                           reason="ไม่ครบ" if name == "rejected" else "")
    made["paid"] = services.claim_pay(actor=treasurer, claim=made["paid"], date=D(2022, 8, 3))
    return made


@pytest.mark.parametrize("name", ["approved", "paid", "rejected"])
def test_no_claim_can_be_deleted(claims, name):
    assert "ลบไม่ได้" in refused(sql="DELETE FROM welfare_claim WHERE id = %s", params=[claims[name].pk])
    assert Claim.objects.filter(pk=claims[name].pk).exists()


@pytest.mark.parametrize("name, change", [
    ("paid", "amount = 1"), ("paid", "voucher_number = 'PV-OTHER'"), ("paid", "status = 'approved'"),
    ("rejected", "status = 'approved'"), ("rejected", "decision_reason = 'rewritten'"),
])
def test_paid_and_rejected_claims_never_change(claims, name, change):
    assert "แก้ไขไม่ได้" in refused(sql=f"UPDATE welfare_claim SET {change} WHERE id = %s", params=[claims[name].pk])


@pytest.mark.parametrize("change", ["amount = 999", "status = 'submitted'", "status = 'rejected'",
                                    "event_date = '2022-08-01'"])
def test_an_approved_claim_keeps_what_was_approved(claims, change):
    message = refused(sql=f"UPDATE welfare_claim SET {change} WHERE id = %s", params=[claims["approved"].pk])
    assert "เปลี่ยนได้เพียงบันทึกการจ่าย" in message


def test_a_claim_is_paid_only_with_its_entry_and_voucher(claims):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:  # a CHECK: at once
        cursor.execute("UPDATE welfare_claim SET status = 'paid' WHERE id = %s", [claims["approved"].pk])
    assert Claim.objects.get(pk=claims["approved"].pk).status == "approved"


def test_the_services_still_pay_and_decide(claims, treasurer_and_chair, members):
    """The guard lets the normal course through: the approved claim is paid, a new one is submitted."""
    treasurer, _ = treasurer_and_chair
    paid = services.claim_pay(actor=treasurer, claim=claims["approved"], date=D(2022, 8, 4))
    assert paid.status == "paid" and paid.voucher_number == "PV2565-00002" and paid.amount == Decimal(400)
    claim = services.claim_submit(actor=treasurer, membership=members[0], kind=BenefitKind.objects.get(code="newborn"),
                                  event_date=D(2022, 9, 1), consent=True, idempotency_key="later")
    assert claim.status == "submitted"


def test_truncate_is_refused_on_postgresql(claims):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is a PostgreSQL statement")
    message = refused(sql="SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE welfare_claim CASCADE", params=None)
    assert "cannot be truncated" in message
