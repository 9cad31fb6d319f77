"""Where the audit log links a person, a household (see core.audit_links)."""

from django.urls import reverse

from chumchon.core.audit_links import visible


def _people(ids: list[str], user) -> dict[str, str]:
    from chumchon.people.models import Person

    return {str(pk): reverse("people:person_detail", args=[pk]) for (pk,) in visible(Person, ids, user)}


def _households(ids: list[str], user) -> dict[str, str]:
    from chumchon.people.models import Household

    return {str(pk): reverse("people:household_detail", args=[pk]) for (pk,) in visible(Household, ids, user)}


LINKS = {"people.person": _people, "people.household": _households}
