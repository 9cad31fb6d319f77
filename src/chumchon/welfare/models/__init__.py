"""Community welfare funds (กองทุนสวัสดิการชุมชน): funds and members, contributions, grants, benefits and claims."""

from chumchon.welfare.models.benefits import (
    BenefitKind,
    BenefitRule,
    Claim,
    ClaimEvidence,
    ClaimPaymentVoid,
    Dependant,
)
from chumchon.welfare.models.contributions import (
    CollectionSheet,
    Contribution,
    ContributionRefund,
    ContributionVoid,
    Grant,
    ReceiptSequence,
)
from chumchon.welfare.models.funds import CommitteeMember, Fund, Membership

__all__ = [
    "BenefitKind", "BenefitRule", "Claim", "ClaimEvidence", "ClaimPaymentVoid", "CollectionSheet", "CommitteeMember",
    "Contribution", "ContributionRefund", "ContributionVoid", "Dependant", "Fund", "Grant", "Membership",
    "ReceiptSequence",
]
