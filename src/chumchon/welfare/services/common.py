"""What every welfare service shares: the Thai (English) field error and the check that the actor may act for
the fund."""

from django.core.exceptions import PermissionDenied

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location
from chumchon.core.errors import field_error  # noqa: F401 (the welfare services import it from here)
from chumchon.welfare.models import Fund


def unknown_member(number: str) -> tuple[str, str]:
    """The message (Thai, English) for a member number the fund does not have — the same on every page and the API."""
    return f"ไม่พบเลขสมาชิก {number} ในกองทุนนี้", f"no member number {number} in this fund"


CANCEL_REASON_MIN = 5  # characters: "ผิด" alone tells an auditor nothing


def cancel_reason(reason: str | None) -> str:
    """Why a money document is cancelled (a receipt, a benefit payment), as typed with its spaces tidied; refused,
    naming the field, when shorter than :data:`CANCEL_REASON_MIN`."""
    reason = " ".join((reason or "").split())
    if len(reason) < CANCEL_REASON_MIN:
        raise field_error("reason", f"กรุณาระบุเหตุผลที่ยกเลิก อย่างน้อย {CANCEL_REASON_MIN} ตัวอักษร",
                          f"please give the reason for cancelling, at least {CANCEL_REASON_MIN} characters", "required")
    return reason


HEALTH_CONSENT = ("สวัสดิการนี้มีข้อมูลสุขภาพ ต้องได้รับความยินยอมโดยชัดแจ้งจากผู้ขอ (พ.ร.บ.คุ้มครองข้อมูลฯ ม.26)",
                  "this benefit carries health data: record the claimant's explicit consent (PDPA s.26)")


def may_act_for_fund(actor, fund: Fund) -> bool:
    """Whether the actor may record for the fund (its organisation or its area)."""
    return allows_location(actor, Action.CHANGE, organisation=fund.organisation,
                           subdistrict=fund.organisation.subdistrict)


def check_fund_actor(actor, fund: Fund) -> None:
    if not may_act_for_fund(actor, fund):
        raise PermissionDenied("ไม่มีสิทธิ์บันทึกรายการของกองทุนนี้ (not allowed to record for this fund)")


def may_handle_claims(actor, fund: Fund) -> bool:
    """Whether the actor may submit, decide, pay or cancel the fund's claims. Claims carry health data (PDPA s.26,
    need to know): handling them takes the fund's change right *and* the personal-data right (its committee, an
    administrator). The provincial secretariat and national staff, who change a fund's money in their area, do
    not see its claims, so they do not handle them either."""
    from chumchon.welfare.selectors import sees_claims

    return may_act_for_fund(actor, fund) and sees_claims(actor, fund)


def check_claims_actor(actor, fund: Fund) -> None:
    if not may_handle_claims(actor, fund):
        raise PermissionDenied("ไม่มีสิทธิ์จัดการคำขอรับสวัสดิการของกองทุนนี้ ซึ่งมีข้อมูลส่วนบุคคล "
                               "(not allowed to handle this fund's claims: they hold personal data)")
