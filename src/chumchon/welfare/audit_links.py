"""Where the audit log links welfare records: a fund, a member, a claim (see core.audit_links)."""

from django.urls import reverse

from chumchon.core.audit_links import visible


def _funds(ids: list[str], user) -> dict[str, str]:
    from chumchon.welfare.models import Fund

    return {str(pk): reverse("welfare:fund_detail", args=[code])
            for pk, code in visible(Fund, ids, user, "organisation__code")}


def _memberships(ids: list[str], user) -> dict[str, str]:
    from chumchon.welfare.models import Membership

    return {str(pk): reverse("welfare:member_detail", args=[code, number])
            for pk, code, number in visible(Membership, ids, user, "fund__organisation__code", "member_number")}


def _claims(ids: list[str], user) -> dict[str, str]:
    from chumchon.welfare.models import Claim

    return {str(pk): reverse("welfare:claim_detail", args=[code, pk])
            for pk, code in visible(Claim, ids, user, "fund__organisation__code")}


LINKS = {"welfare.fund": _funds, "welfare.membership": _memberships, "welfare.claim": _claims}
