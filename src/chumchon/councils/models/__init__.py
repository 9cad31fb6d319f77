"""Community organisation councils (สภาองค์กรชุมชน, Act B.E. 2551), the organisations they register, and the
local development plans of their subdistricts."""

from chumchon.councils.models.councils import Council, CouncilMember, Meeting, Proposal, ProposalFollowUp
from chumchon.councils.models.organisations import CommunityOrganization, Registration
from chumchon.councils.models.plans import DevelopmentPlan, PlanItem, PlanItemLink

__all__ = [
    "CommunityOrganization", "Council", "CouncilMember", "DevelopmentPlan", "Meeting", "PlanItem", "PlanItemLink",
    "Proposal", "ProposalFollowUp", "Registration",
]
