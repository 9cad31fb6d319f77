"""Where the audit log links a person, a household (see core.audit_links)."""

from django.urls import reverse

from chumchon.core.audit_links import numeric

LINKS = {
    "people.person": lambda ids: {str(pk): reverse("people:person_detail", args=[pk]) for pk in numeric(ids)},
    "people.household": lambda ids: {str(pk): reverse("people:household_detail", args=[pk]) for pk in numeric(ids)},
}
