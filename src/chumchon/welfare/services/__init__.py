"""Every write of the welfare app: funds and members, contributions and grants, claims and payouts."""

from chumchon.welfare.services.benefit_rules import benefit_rule_set, typical_rules_set
from chumchon.welfare.services.claims import (
    available_by_source,
    claim_decide,
    claim_pay,
    claim_submit,
    pension_batch_prepare,
    rule_in_force,
)
from chumchon.welfare.services.contributions import (
    SheetPayment,
    collection_sheet_post,
    contribution_receive,
    contribution_span,
    grant_receive,
    memberships_lapse,
    owed,
)
from chumchon.welfare.services.funds import (
    committee_seat,
    fund_create,
    membership_end,
    membership_enrol,
    membership_joined_on_correct,
    memberships_bulk_enrol,
    opening_paid_through_set,
)

__all__ = [
    "SheetPayment",
    "available_by_source",
    "benefit_rule_set",
    "claim_decide",
    "claim_pay",
    "claim_submit",
    "collection_sheet_post",
    "committee_seat",
    "contribution_receive",
    "contribution_span",
    "fund_create",
    "grant_receive",
    "membership_end",
    "membership_enrol",
    "membership_joined_on_correct",
    "memberships_bulk_enrol",
    "opening_paid_through_set",
    "memberships_lapse",
    "owed",
    "pension_batch_prepare",
    "rule_in_force",
    "typical_rules_set",
]
