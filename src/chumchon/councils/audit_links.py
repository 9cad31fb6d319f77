"""Where the audit log links council records: a council, a member (to the council's members), an organisation, a
meeting, a plan (see core.audit_links)."""

from django.urls import reverse

from chumchon.core.audit_links import visible


def _councils(ids: list[str], user) -> dict[str, str]:
    from chumchon.councils.models import Council

    return {str(pk): reverse("councils:council_detail", args=[code])
            for pk, code in visible(Council, ids, user, "organisation__code")}


def _members(ids: list[str], user) -> dict[str, str]:
    from chumchon.councils.models import CouncilMember

    return {str(pk): reverse("councils:council_detail", args=[code]) + "#members"
            for pk, code in visible(CouncilMember, ids, user, "council__organisation__code")}


def _organisations(ids: list[str], user) -> dict[str, str]:
    from chumchon.councils.models import CommunityOrganization

    return {str(pk): reverse("councils:organisation_detail", args=[code])
            for pk, code in visible(CommunityOrganization, ids, user, "organisation__code")}


def _meetings(ids: list[str], user) -> dict[str, str]:
    from chumchon.councils.models import Meeting

    return {str(pk): reverse("councils:meeting_detail", args=[code, pk])
            for pk, code in visible(Meeting, ids, user, "council__organisation__code")}


def _plans(ids: list[str], user) -> dict[str, str]:
    from chumchon.councils.models import DevelopmentPlan

    return {str(pk): reverse("councils:plan_detail", args=[pk]) for (pk,) in visible(DevelopmentPlan, ids, user)}


LINKS = {"councils.council": _councils, "councils.councilmember": _members,
         "councils.communityorganization": _organisations,
         "councils.meeting": _meetings, "councils.developmentplan": _plans}
