"""Reads of people, always through the scoping mechanism; personal data only masked here."""

from django.db.models import Q, QuerySet

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.core.thai import national_id as nid
from chumchon.core.thai.digits import to_arabic_digits
from chumchon.people.models import Household, Person


def person_list(user, *, query: str = "", subdistrict_code: str = "") -> QuerySet[Person]:
    qs = restrict(Person.objects.all(), user, Action.VIEW).select_related(
        "subdistrict__district__province", "subdistrict__province", "personal_data"
    )
    if query:
        q = Q(first_name__icontains=query) | Q(last_name__icontains=query)
        digits = "".join(ch for ch in to_arabic_digits(query) if ch in "0123456789")  # ๑-๒๓๔๕… typed too
        if len(digits) == 13:
            # finding someone by their full ID is reading personal data: only where the user may see it (else a
            # typed ID would say whose it is)
            q |= Q(personal_data__national_id=digits,
                   pk__in=restrict(Person.objects.all(), user, Action.VIEW_PERSONAL).values("pk"))
        qs = qs.filter(q)
    if subdistrict_code:
        qs = qs.filter(subdistrict_id=subdistrict_code)
    return qs


def person_memberships(user, person: Person) -> QuerySet:
    """The person's fund memberships the user may see: a fund's committee sees its own fund's, not the person's
    membership of another fund (that fund's record)."""
    return restrict(person.memberships.select_related("fund__organisation"), user, Action.VIEW)


def household_list(user) -> QuerySet[Household]:
    return restrict(Household.objects.all(), user, Action.VIEW).select_related(
        "subdistrict__district__province", "subdistrict__province"
    )


def masked_national_id(person: Person) -> str:
    """The national ID as everyone may see it: only the last three digits."""
    personal = getattr(person, "personal_data", None)
    if personal is None or not personal.national_id:
        return ""
    return nid.mask(personal.national_id)


def masked_phone(phone: str) -> str:
    return f"xxx-xxx-{phone[-4:]}" if phone and len(phone) >= 4 else ""
