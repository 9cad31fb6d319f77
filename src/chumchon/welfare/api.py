"""The welfare API (django-ninja): a fund's members, contributions and claims, mounted at /api/v1/welfare/.

Scoped exactly like the pages: the fund and every row are read through :func:`restrict` /
:func:`get_scoped_or_404` (a fund or member outside the caller's scope is a 404), and every write goes through the
welfare services, which check the caller again. Errors answer in Thai (English):

- bad input → 422 ``{"errors": {"field": ["Thai (English)"]}}``, whether a service found it or ninja's parsing did
  (the API's handlers for every router, ``config/api_errors.py``, as for ``limit`` / ``offset``);
- an idempotency key reused for a different payload → 409 with the same body shape;
- a service refusing the caller → 403 ``{"detail": "Thai (English)"}``.
"""

import datetime
import functools
from decimal import Decimal, InvalidOperation
from typing import Annotated

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.utils import timezone
from ninja import Field, Header, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.security import django_auth

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404, restrict
from chumchon.config.api_errors import LimitOffset
from chumchon.core.errors import field_error as _error
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.money import parse_money
from chumchon.people.selectors import masked_national_id
from chumchon.welfare import selectors, services
from chumchon.welfare.models import BenefitKind, Claim, Contribution, ContributionVoid, Fund, Membership
from chumchon.welfare.services.common import may_handle_claims, unknown_member

router = Router(tags=["welfare"])

MAX_PAGE = 500
KEY_REUSED = "key_reused"
KeyHeader = Annotated[str | None, Header(alias="Idempotency-Key", description="the key, if not in the body")]


# --- schemas -------------------------------------------------------------------------------------------------------

class ErrorsOut(Schema):
    errors: dict[str, list[str]]


class DetailOut(Schema):
    detail: str


class MemberOut(Schema):
    member_number: str
    name: str
    national_id_masked: str
    status: str
    village_number: int | None
    joined_on: datetime.date
    paid_through: datetime.date | None

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_national_id_masked(obj: Membership) -> str:
        return masked_national_id(obj.person)  # never the full number: the API has no reveal


class MemberDetailOut(MemberOut):
    """``as_of`` is set by the handler (today in Bangkok), so the three figures agree; an ended membership owes 0."""

    as_of: datetime.date
    days_in_arrears: int
    owed: str = Field(..., description="baht owed up to and including as_of (string decimal)")

    @staticmethod
    def resolve_days_in_arrears(obj: Membership) -> int:
        return services.arrears(obj, obj.as_of)[0]

    @staticmethod
    def resolve_owed(obj: Membership) -> str:
        return f"{services.arrears(obj, obj.as_of)[1]:.2f}"


class ContributionIn(Schema):
    member_number: str
    amount: str = Field(..., description='string decimal, e.g. "30.00"', examples=["30.00"])
    date: datetime.date = Field(..., description="the date paid (ISO, Christian era)")
    idempotency_key: str | None = Field(None, max_length=100,
                                        description="or send it in the Idempotency-Key header")


class ContributionOut(Schema):
    receipt_number: str
    member_number: str = Field(..., alias="membership.member_number")
    date: datetime.date
    amount: str
    days: int
    covers_from: datetime.date
    covers_to: datetime.date
    fiscal_year: int
    entry_id: int
    idempotency_key: str | None = Field(None, description="the key it was sent with; null for an imported receipt "
                                                         "(its receipt number is its key)")
    cancelled: bool = Field(False, description="the receipt was cancelled: its money is no longer in the books")
    cancel_reason: str | None = None
    cancel_entry_id: int | None = Field(None, description="the correcting journal entry of a cancelled receipt")

    @staticmethod
    def resolve_amount(obj: Contribution) -> str:
        return f"{obj.amount:.2f}"

    @staticmethod
    def resolve_cancelled(obj: Contribution) -> bool:
        return obj.cancellation is not None

    @staticmethod
    def resolve_cancel_reason(obj: Contribution) -> str | None:
        return obj.cancellation.reason if obj.cancellation else None

    @staticmethod
    def resolve_cancel_entry_id(obj: Contribution) -> int | None:
        return obj.cancellation.entry_id if obj.cancellation else None


class ContributionCancelIn(Schema):
    reason: str = Field(..., description="why the receipt is cancelled (at least 5 characters)")
    idempotency_key: str | None = Field(None, max_length=100,
                                        description="or send it in the Idempotency-Key header")


class ExplanationLine(Schema):
    th: str
    en: str
    ok: bool


class ClaimIn(Schema):
    member_number: str
    kind: str = Field(..., description="benefit kind code, e.g. hospital_stay")
    event_date: datetime.date
    units: str = Field("1", description="string decimal: nights, days…")
    consent: bool = Field(False, description="explicit consent to record health data (PDPA s.26)")
    idempotency_key: str | None = Field(None, max_length=100,
                                        description="or send it in the Idempotency-Key header")


class ClaimOut(Schema):
    id: int
    member_number: str = Field(..., alias="membership.member_number")
    kind: str = Field(..., alias="kind.code")
    event_date: datetime.date
    units: str
    amount: str
    eligible: bool
    status: str
    explanation: list[ExplanationLine]
    voucher_number: str
    idempotency_key: str
    payment_cancelled: bool = Field(False, description="the payment was cancelled: not a benefit received")

    @staticmethod
    def resolve_payment_cancelled(obj: Claim) -> bool:
        return obj.cancellation is not None

    @staticmethod
    def resolve_units(obj: Claim) -> str:
        return f"{obj.units:.2f}"

    @staticmethod
    def resolve_amount(obj: Claim) -> str:
        return f"{obj.amount:.2f}"


WRITE_RESPONSES = {200: None, 201: None, 403: DetailOut, 404: DetailOut, 409: ErrorsOut, 422: ErrorsOut}


# --- errors --------------------------------------------------------------------------------------------------------

def _json(data: dict, status: int) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _errors_of(exc: ValidationError) -> tuple[dict[str, list[str]], bool]:
    """The messages by field, and whether one of them is an idempotency key reused for another payload."""
    if not hasattr(exc, "error_dict"):
        return {NON_FIELD_ERRORS: exc.messages}, False
    errors = {field: [m for e in items for m in e.messages] for field, items in exc.error_dict.items()}
    reused = any(getattr(e, "code", None) == KEY_REUSED for items in exc.error_dict.values() for e in items)
    return errors, reused


def _service_errors(view_func):
    """A service's ValidationError → 422 (409 for a reused key); its PermissionDenied → 403, as JSON."""

    @functools.wraps(view_func)
    def wrapper(request, *args, **kwargs):
        try:
            return view_func(request, *args, **kwargs)
        except ValidationError as exc:
            errors, reused = _errors_of(exc)
            return _json({"errors": errors}, 409 if reused else 422)
        except ThaiInputError as exc:
            return _json({"errors": {NON_FIELD_ERRORS: [str(exc)]}}, 422)
        except PermissionDenied as exc:
            return _json({"detail": str(exc) or "ไม่มีสิทธิ์ทำรายการนี้ (permission denied)"}, 403)

    return wrapper


router.add_decorator(_service_errors, mode="operation")


# --- lookups -------------------------------------------------------------------------------------------------------

def _fund_or_404(request, code: str, action: str = Action.VIEW) -> Fund:
    return get_scoped_or_404(Fund.objects.select_related("organisation__subdistrict", "organisation__book"),
                             request.user, action, organisation__code=code)


def _member_in_body(request, fund: Fund, number: str, action: str) -> Membership | None:
    """A member named in a request body: not found (or out of scope) is bad input, not a missing page."""
    return selectors.member_by_number(request.user, fund, number, action)


def _idempotency_key(body_key: str | None, header_key: str | None) -> str:
    body_key, header_key = (body_key or "").strip(), (header_key or "").strip()
    if body_key and header_key and body_key != header_key:
        raise _error("idempotency_key", "คีย์ในเนื้อหาและใน Idempotency-Key ไม่ตรงกัน",
                     "the key in the body and in the Idempotency-Key header differ")
    key = body_key or header_key
    if not key:
        raise _error("idempotency_key", "ต้องมีคีย์กันบันทึกซ้ำ (idempotency_key หรือ Idempotency-Key)",
                     "an idempotency key is required (idempotency_key or the Idempotency-Key header)", "required")
    if len(key) > 100:
        raise _error("idempotency_key", "คีย์ยาวเกิน 100 ตัวอักษร", "the key is longer than 100 characters")
    return key


def _raise_if(errors: dict[str, ValidationError]) -> None:
    if errors:
        raise ValidationError({field: exc.error_dict[field] for field, exc in errors.items()})


# --- members -------------------------------------------------------------------------------------------------------

@router.get("/funds/{code}/members", response=list[MemberOut], auth=django_auth)
@paginate(LimitOffset, max_limit=MAX_PAGE)
def welfare_members(request, code: str):
    """A fund's members by member number, national IDs masked (``limit`` / ``offset``)."""
    fund = _fund_or_404(request, code)
    return selectors.fund_members(request.user, fund)


@router.get("/funds/{code}/members/{member_number}", response=MemberDetailOut, auth=django_auth)
def welfare_member(request, code: str, member_number: str):
    """One member, with the day their contributions are paid through and what they owe today."""
    fund = _fund_or_404(request, code)
    membership = get_scoped_or_404(Membership.objects.select_related("person__personal_data"), request.user,
                                   Action.VIEW, fund=fund, member_number=member_number)
    membership.fund = fund
    membership.as_of = timezone.localdate()
    return membership


# --- contributions -------------------------------------------------------------------------------------------------

@router.get("/funds/{code}/contributions", response=list[ContributionOut], auth=django_auth)
@paginate(LimitOffset, max_limit=MAX_PAGE)
def welfare_contributions(request, code: str, member: str | None = None,
                          date_from: Annotated[datetime.date | None, Query(alias="from")] = None,
                          date_to: Annotated[datetime.date | None, Query(alias="to")] = None):
    """A fund's contributions, newest first; optionally one member's (``member`` = member number) and a date
    range (``from`` / ``to``, ISO dates, inclusive)."""
    fund = _fund_or_404(request, code)
    rows = (restrict(Contribution.objects.filter(fund=fund), request.user, Action.VIEW)
            .select_related("membership", "void"))
    if member:
        rows = rows.filter(membership__member_number=member)
    if date_from:
        rows = rows.filter(date__gte=date_from)
    if date_to:
        rows = rows.filter(date__lte=date_to)
    return rows.order_by("-date", "-id")


@router.post("/funds/{code}/contributions", response={**WRITE_RESPONSES, 200: ContributionOut,
                                                      201: ContributionOut}, auth=django_auth)
def welfare_contribution_receive(request, code: str, payload: ContributionIn,
                                 idempotency_key_header: KeyHeader = None):
    """Receive one contribution and issue its receipt: 201 with the receipt; the same key again with the same
    payload → 200 with the same receipt; the same key with a different payload → 409."""
    fund = _fund_or_404(request, code, Action.CHANGE)
    errors: dict[str, ValidationError] = {}
    try:
        key = _idempotency_key(payload.idempotency_key, idempotency_key_header)
    except ValidationError as exc:
        errors["idempotency_key"] = exc
    try:
        amount = parse_money(payload.amount)
    except ThaiInputError as exc:
        errors["amount"] = _error("amount", exc.message_th, exc.message_en, exc.code)
    membership = _member_in_body(request, fund, payload.member_number, Action.CHANGE)
    if membership is None:
        errors["member_number"] = _unknown_member(payload.member_number)
    _raise_if(errors)
    # A replay answers 200: the key was taken before this call (the service returns the first receipt).
    replay = restrict(Contribution.objects.filter(fund=fund, idempotency_key=key), request.user, Action.VIEW).exists()
    contribution = services.contribution_receive(actor=request.user, membership=membership, amount=amount,
                                                 date=payload.date, idempotency_key=key)
    contribution.membership = membership
    return Status(200 if replay else 201, contribution)


@router.post("/funds/{code}/contributions/{receipt}/cancel",
             response={**WRITE_RESPONSES, 200: ContributionOut, 201: ContributionOut}, auth=django_auth)
def welfare_contribution_cancel(request, code: str, receipt: str, payload: ContributionCancelIn,
                                idempotency_key_header: KeyHeader = None):
    """Cancel a receipt issued by mistake (the member's latest, in an open period, with a reason): 201 with the
    receipt, now ``cancelled``; the same key again → 200; the same key for another receipt → 409; a receipt that
    cannot be cancelled (already cancelled, later receipts continue from it, closed period) → 422."""
    fund = _fund_or_404(request, code, Action.CHANGE)
    contribution = get_scoped_or_404(Contribution.objects.select_related("membership"), request.user, Action.CHANGE,
                                     fund=fund, receipt_number=receipt)
    key = _idempotency_key(payload.idempotency_key, idempotency_key_header)
    replay = ContributionVoid.objects.filter(fund=fund, idempotency_key=key).exists()
    services.contribution_void(actor=request.user, contribution=contribution, reason=payload.reason,
                               idempotency_key=key)
    contribution = Contribution.objects.select_related("membership", "void").get(pk=contribution.pk)
    return Status(200 if replay else 201, contribution)


def _unknown_member(number: str) -> ValidationError:
    return _error("member_number", *unknown_member(number), "unknown")


# --- claims --------------------------------------------------------------------------------------------------------

@router.get("/funds/{code}/claims", response=list[ClaimOut], auth=django_auth)
@paginate(LimitOffset, max_limit=MAX_PAGE)
def welfare_claims(request, code: str, member: str | None = None, status: str | None = None):
    """A fund's claims, newest event first, each with its eligibility explanation; optionally one member's
    (``member`` = member number) or one status (submitted, approved, rejected, paid)."""
    fund = _fund_or_404(request, code, selectors.CLAIMS_ACTION)  # personal (health) data, as on the pages
    rows = (restrict(Claim.objects.filter(fund=fund), request.user, selectors.CLAIMS_ACTION)
            .select_related("membership", "kind", "payment_void"))
    if member:
        rows = rows.filter(membership__member_number=member)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-event_date", "-id")


def _units(text: str) -> Decimal:
    try:
        units = Decimal(text.strip())
    except InvalidOperation:
        raise _error("units", f'"{text[:20]}" ไม่ใช่ตัวเลข', f'"{text[:20]}" is not a number') from None
    if not units.is_finite() or units < 0 or units != units.quantize(Decimal("0.01")) or units >= 10**6:
        raise _error("units", "จำนวนหน่วยต้องเป็นตัวเลขไม่ติดลบ ทศนิยมไม่เกินสองตำแหน่ง",
                     "units must be a non-negative number with at most two decimal places")
    return units


def _same_claim(claim: Claim, membership: Membership, kind: BenefitKind, payload: ClaimIn, units: Decimal) -> bool:
    return (claim.membership_id, claim.kind_id, claim.event_date, claim.units) == (
        membership.pk, kind.pk, payload.event_date, units)


@router.post("/funds/{code}/claims", response={**WRITE_RESPONSES, 200: ClaimOut, 201: ClaimOut},
             auth=django_auth)
def welfare_claim_submit(request, code: str, payload: ClaimIn,
                         idempotency_key_header: KeyHeader = None):
    """Submit a claim: it is checked against the fund's rule in force on the event date at once, and the answer
    carries the explanation line by line (th/en). Same key and payload again → 200; a different payload → 409."""
    fund = _fund_or_404(request, code, Action.CHANGE)
    if not may_handle_claims(request.user, fund):
        raise Http404  # claims hold personal data: as on the pages, not there for those who may not see them
    errors: dict[str, ValidationError] = {}
    try:
        key = _idempotency_key(payload.idempotency_key, idempotency_key_header)
    except ValidationError as exc:
        errors["idempotency_key"] = exc
    try:
        units = _units(payload.units)
    except ValidationError as exc:
        errors["units"] = exc
    kind = BenefitKind.objects.filter(code=payload.kind.strip()).first()
    if kind is None:
        errors["kind"] = _error("kind", f"ไม่รู้จักประเภทสวัสดิการ {payload.kind}", f"unknown benefit kind {payload.kind}",
                                "unknown")
    membership = _member_in_body(request, fund, payload.member_number, Action.CHANGE)
    if membership is None:
        errors["member_number"] = _unknown_member(payload.member_number)
    _raise_if(errors)
    existing = (restrict(Claim.objects.filter(fund=fund, idempotency_key=key), request.user, Action.VIEW)
                .select_related("membership", "kind").first())
    if existing is not None and not _same_claim(existing, membership, kind, payload, units):
        # claim_submit returns whatever claim holds the key; the API refuses a different payload, as the
        # idempotency rule asks.
        raise _error("idempotency_key", "คีย์นี้ใช้กับคำขออื่นไปแล้ว", "key already used for another claim", KEY_REUSED)
    claim = services.claim_submit(actor=request.user, membership=membership, kind=kind, event_date=payload.event_date,
                                  units=units, consent=payload.consent, idempotency_key=key)
    claim.membership, claim.kind = membership, kind
    return Status(200 if existing is not None else 201, claim)
