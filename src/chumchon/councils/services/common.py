"""What every council service shares: the Thai (English) field error, the problems of one write gathered so that
they come back together, and the check that the actor may act for the council."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location
from chumchon.core.errors import bilingual, field_error  # noqa: F401 (the council services import it from here)
from chumchon.core.thai.dates import format_date


class Problems:
    """Every problem of one write, gathered so that the page shows them all at once (and nothing is written when
    there is one): ``add`` one, ``check`` with one of the raising checks below, then ``raise_any``."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str, th: str, en: str, code: str) -> None:
        self.errors.setdefault(field, []).append(ValidationError(bilingual(th, en), code=code))

    def check(self, check, *args) -> None:
        try:
            check(*args)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.errors.setdefault(field, []).extend(errors)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# The largest head count the council's records take (an organisation's members, a meeting's attendance): far
# above any tambon's, far below what the database column holds; a longer number is a typo (extra zeros, an ID).
HEADCOUNT_MAX = 1_000_000


def check_headcount(field: str, value: int | None, th_name: str, en_name: str) -> None:
    """A head count of 0 to ``HEADCOUNT_MAX`` people (``None`` is left to the caller)."""
    if value is None:
        return
    if value < 0:
        raise field_error(field, f"{th_name}ต้องเป็น 0 หรือมากกว่า", f"{en_name} must be 0 or more", field)
    if value > HEADCOUNT_MAX:
        raise field_error(field, f"{th_name}ต้องไม่เกิน {HEADCOUNT_MAX:,} คน แต่ได้ {value:,}",
                          f"{en_name} can be at most {HEADCOUNT_MAX:,}, not {value:,}", "too_large")


def may_act_for_council(actor, council) -> bool:
    """Whether the actor may record for the council (its organisation or its area)."""
    return allows_location(actor, Action.CHANGE, organisation=council.organisation,
                           subdistrict=council.organisation.subdistrict)


def check_council_actor(actor, council) -> None:
    if not may_act_for_council(actor, council):
        raise PermissionDenied("ไม่มีสิทธิ์บันทึกข้อมูลของสภานี้ (not allowed to record for this council)")


def check_not_future(field: str, day: datetime.date, th_name: str, en_name: str) -> None:
    if day > timezone.localdate():
        raise field_error(field, f"{th_name}อยู่ในอนาคต", f"{en_name} is in the future", "future")


def check_not_before_council(field: str, day: datetime.date, council, th_name: str, en_name: str) -> None:
    if day < council.founded_on:
        founded = format_date(council.founded_on, "long", "th")
        raise field_error(field, f"{th_name}ก่อนวันก่อตั้งสภา ({founded})",
                          f"{en_name} is before the council was founded on {council.founded_on:%Y-%m-%d}",
                          "before_council")
