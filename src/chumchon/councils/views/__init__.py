from chumchon.councils.views.area import area_summary
from chumchon.councils.views.councils import (
    council_create,
    council_detail,
    council_edit,
    council_list,
    meeting_create,
    meeting_detail,
    meeting_minutes,
    member_add,
    member_term_end,
    proposal_create,
    proposal_follow_up,
)
from chumchon.councils.views.organisations import (
    organisation_detail,
    organisation_edit,
    organisation_list,
    organisation_register,
    registration_end,
)
from chumchon.councils.views.plans import plan_create, plan_detail, plan_item_add, plan_item_link, plan_list

__all__ = [
    "area_summary", "council_create", "council_detail", "council_edit", "council_list", "meeting_create",
    "meeting_detail", "meeting_minutes", "member_add", "member_term_end", "organisation_detail", "organisation_edit",
    "organisation_list", "organisation_register",
    "plan_create", "plan_detail", "plan_item_add", "plan_item_link", "plan_list", "proposal_create",
    "proposal_follow_up", "registration_end",
]
