from chumchon.welfare.views.claims import (
    claim_create,
    claim_decide,
    claim_detail,
    claim_list,
    claim_pay,
    claim_void,
    pension_batch,
    pension_batch_approve,
    voucher,
)
from chumchon.welfare.views.collection import collection_sheet, collection_sheet_total
from chumchon.welfare.views.funds import fund_detail, fund_list, fund_status
from chumchon.welfare.views.grants import grant_create, matching_overview
from chumchon.welfare.views.lifecycle import fund_settings, membership_end, refund_pay, refund_voucher
from chumchon.welfare.views.me import my_receipt, my_record
from chumchon.welfare.views.members import (
    contribution_create,
    lapse_run,
    member_detail,
    member_enrol,
    receipt,
    receipt_void,
)
from chumchon.welfare.views.rules import rules

__all__ = [
    "claim_create", "claim_decide", "claim_detail", "claim_list", "claim_pay", "claim_void", "collection_sheet",
    "collection_sheet_total", "contribution_create", "fund_detail", "fund_list", "fund_settings", "fund_status",
    "grant_create", "lapse_run", "matching_overview", "member_detail", "member_enrol", "membership_end", "my_receipt",
    "my_record", "pension_batch", "pension_batch_approve", "receipt", "receipt_void", "refund_pay", "refund_voucher",
    "rules", "voucher",
]
