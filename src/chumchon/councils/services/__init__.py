"""Every write of the councils app: one transaction, an explicit actor, an audit row."""

from chumchon.councils.services.councils import (
    council_create,
    council_update,
    meeting_record,
    member_seat,
    member_term_end,
    proposal_follow_up,
    proposal_send,
)
from chumchon.councils.services.organisations import (
    organisation_register,
    organisation_update,
    registration_create,
    registration_end,
)
from chumchon.councils.services.plans import plan_create, plan_item_add, plan_item_link

__all__ = [
    "council_create", "council_update", "meeting_record", "member_seat", "member_term_end", "organisation_register",
    "organisation_update", "plan_create", "plan_item_add", "plan_item_link", "proposal_follow_up", "proposal_send",
    "registration_create", "registration_end",
]
