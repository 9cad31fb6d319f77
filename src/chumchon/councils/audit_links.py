"""Where the audit log links council records: a council, an organisation, a plan (see core.audit_links)."""

from django.urls import reverse

from chumchon.core.audit_links import numeric


def _councils(ids: list[str]) -> dict[str, str]:
    from chumchon.councils.models import Council

    return {str(pk): reverse("councils:council_detail", args=[code]) for pk, code in
            Council.objects.filter(pk__in=numeric(ids)).values_list("pk", "organisation__code")}


def _organisations(ids: list[str]) -> dict[str, str]:
    from chumchon.councils.models import CommunityOrganization

    return {str(pk): reverse("councils:organisation_detail", args=[code]) for pk, code in
            CommunityOrganization.objects.filter(pk__in=numeric(ids)).values_list("pk", "organisation__code")}


def _meetings(ids: list[str]) -> dict[str, str]:
    from chumchon.councils.models import Meeting

    return {str(pk): reverse("councils:meeting_detail", args=[code, pk]) for pk, code in
            Meeting.objects.filter(pk__in=numeric(ids)).values_list("pk", "council__organisation__code")}


def _plans(ids: list[str]) -> dict[str, str]:
    return {str(pk): reverse("councils:plan_detail", args=[pk]) for pk in numeric(ids)}


LINKS = {"councils.council": _councils, "councils.communityorganization": _organisations,
         "councils.meeting": _meetings, "councils.developmentplan": _plans}
