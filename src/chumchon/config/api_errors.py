"""The JSON API's errors, in Thai (English) like the rest of the API, in the two shapes its handlers answer with:

- ``{"detail": "Thai (English)"}`` when the request is refused as a whole: 400, 401, 403, 404, 405, 429, 500;
- ``{"errors": {"field": ["Thai (English)", ...]}}`` (422) when input cannot be read, field by field — query
  parameters (``limit``, ``offset``, ``fiscal_year``…) as well as the body's fields.

:func:`install` puts the handlers on the NinjaAPI, so every router answers the same way — including an exception
nobody expected, which is logged (and signalled) as Django logs its own and answered with a JSON 500 rather than
the site's HTML error page. :func:`json_error_for` gives the JSON for the answers Django makes before any API
handler runs — an ``/api/`` address no operation has (404), a method the operation does not take (405) —
used by ``chumchon.access.middleware``.

:class:`LimitOffset` is the lists' pagination: ``limit`` from 1 (more than a page is cut to the page, as before),
``offset`` from 0 to :data:`MAX_OFFSET` — an absurd offset is a 422 naming it, not a database overflow (500).
"""

import logging
import re

from django.core import signals
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.log import log_response
from ninja import Field, NinjaAPI, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination

from chumchon.core.errors import bilingual

NON_FIELD = "__all__"  # django.core.exceptions.NON_FIELD_ERRORS: a problem with the request body as a whole

# The furthest a list may be paged: well beyond any list the API gives (a fund's members, a province's councils),
# far inside what the databases can count to (a 64-bit OFFSET).
MAX_OFFSET = 1_000_000_000

DETAILS = {
    400: ("คำขอไม่ถูกต้อง", "bad request"),
    401: ("ต้องเข้าสู่ระบบก่อน", "authentication required: log in first"),
    403: ("ไม่มีสิทธิ์ทำรายการนี้", "permission denied"),
    404: ("ไม่พบข้อมูลที่ขอ", "not found"),
    405: ("ที่อยู่นี้ไม่รับคำขอวิธีนี้", "method not allowed"),
    429: ("ส่งคำขอถี่เกินไป โปรดรอสักครู่แล้วลองใหม่", "too many requests: wait a moment and try again"),
    500: ("ระบบขัดข้อง ทำรายการไม่สำเร็จ โปรดลองใหม่ภายหลัง", "server error: the request could not be completed"),
}
CSRF_FAILED = ("ไม่ผ่านการตรวจสอบ CSRF: ส่งค่าคุกกี้ csrftoken ในส่วนหัว X-CSRFToken",
               "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header")
# ninja's own English messages, said in Thai (English) instead.
_NINJA_MESSAGES = {
    "Unauthorized": DETAILS[401],
    "Forbidden": DETAILS[403],
    "CSRF check Failed": CSRF_FAILED,
    "Too many requests.": DETAILS[429],
    "Cannot parse request body": ("อ่านเนื้อหาคำขอไม่ได้ ต้องเป็น JSON", "cannot parse the request body: JSON expected"),
}
_THAI = re.compile(r"[\u0E00-\u0E7F]")

logger = logging.getLogger("chumchon.api")


def detail_of(status: int, message: str = "") -> str:
    """The ``detail`` for a status: ``message`` kept when it is already Thai, ninja's English said in Thai
    (English), any other English put after the status's Thai."""
    if message and _THAI.search(message):
        return message
    if message in _NINJA_MESSAGES:
        return bilingual(*_NINJA_MESSAGES[message])
    th, en = DETAILS.get(status, DETAILS[400] if status < 500 else DETAILS[500])
    return bilingual(th, message or en)


def json_response(data: dict, status: int) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def detail_response(status: int, message: str = "") -> JsonResponse:
    return json_response({"detail": detail_of(status, message)}, status)


# --- input that cannot be read: 422, field by field ----------------------------------------------------------------

_DATE = ("วันที่ต้องอยู่ในรูปแบบ ค.ศ. ปปปป-ดด-วว เช่น 2026-01-31", "a date in ISO form YYYY-MM-DD is expected")
_BOOL = ("ต้องเป็น true หรือ false", "must be true or false")
_WHOLE = ("ต้องเป็นจำนวนเต็ม", "must be a whole number")
_NUMBER = ("ต้องเป็นตัวเลข", "must be a number")
_PYDANTIC_MESSAGES = {
    "missing": ("ต้องระบุ", "required"),
    "string_type": ("ต้องเป็นข้อความ", "must be a string"),
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "date_parsing": _DATE,
    "date_type": _DATE,
    "bool_type": _BOOL,
    "bool_parsing": _BOOL,
    "int_parsing": _WHOLE,
    "int_type": _WHOLE,
    "int_from_float": _WHOLE,
    "int_parsing_size": _WHOLE,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "string_too_long": ("ยาวเกินไป", "too long"),
    "string_too_short": ("สั้นเกินไป", "too short"),
    "json_invalid": ("อ่านเนื้อหาคำขอไม่ได้ ต้องเป็น JSON", "cannot parse the request body: JSON expected"),
    "model_attributes_type": ("เนื้อหาคำขอต้องเป็นออบเจกต์ JSON", "the request body must be a JSON object"),
    "dict_type": ("เนื้อหาคำขอต้องเป็นออบเจกต์ JSON", "the request body must be a JSON object"),
}
_BOUNDS = {
    "greater_than_equal": ("ge", "ต้องไม่น้อยกว่า {}", "must be at least {}"),
    "greater_than": ("gt", "ต้องมากกว่า {}", "must be more than {}"),
    "less_than_equal": ("le", "ต้องไม่เกิน {}", "must be at most {}"),
    "less_than": ("lt", "ต้องน้อยกว่า {}", "must be less than {}"),
}
# The lists' paging, said whole (which parameter, what it takes) whatever was wrong with it.
_PAGING = {
    "limit": ("limit (จำนวนรายการต่อหน้า) ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป",
              "limit (items per page) must be a whole number of at least 1"),
    "offset": (f"offset (จำนวนรายการที่ข้าม) ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง {MAX_OFFSET:,}",
               f"offset (items to skip) must be a whole number from 0 to {MAX_OFFSET:,}"),
}
# Fields the API takes as string decimals (the welfare API's amount and units): a JSON number is refused with how
# to send one.
_STRING_DECIMALS = ("amount", "units")


def field_of(loc) -> str:
    """The field an error is about: the last name in its location (not the part of the request it is in)."""
    names = [str(part) for part in loc if isinstance(part, str) and part not in ("body", "query", "path", "header")]
    return names[-1] if names and names[-1] != "payload" else NON_FIELD


def message_of(field: str, error: dict, source: str = "") -> str:
    """One pydantic error (as ninja gives it) in Thai (English)."""
    kind = error.get("type", "")
    if source == "query" and field in _PAGING:
        return bilingual(*_PAGING[field])
    if kind == "string_type" and field in _STRING_DECIMALS:
        return bilingual('ต้องส่งเป็นตัวเลขในรูปข้อความ เช่น "30.00"', 'send a string decimal, e.g. "30.00"')
    if kind in _BOUNDS:
        key, th, en = _BOUNDS[kind]
        limit = (error.get("ctx") or {}).get(key)
        if limit is not None:
            return bilingual(th.format(limit), en.format(limit))
    th, en = _PYDANTIC_MESSAGES.get(kind, ("ข้อมูลไม่ถูกต้อง", error.get("msg") or "invalid value"))
    return bilingual(th, en)


def errors_of(errors: list) -> dict[str, list[str]]:
    """ninja's list of pydantic errors as ``{"field": ["Thai (English)", ...]}``."""
    found: dict[str, list[str]] = {}
    for error in errors:
        loc = list(error.get("loc") or [])
        field = field_of(loc)
        message = message_of(field, error, str(loc[0]) if loc else "")
        if message not in found.setdefault(field, []):
            found[field].append(message)
    return found


def validation_response(errors: list) -> JsonResponse:
    return json_response({"errors": errors_of(errors)}, 422)


# --- the handlers --------------------------------------------------------------------------------------------------

def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return detail_response(404)


def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return detail_response(403, str(exc))


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return detail_response(exc.status_code, exc.message)  # ninja adds a throttled answer's Retry-After itself


def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return validation_response(exc.errors)


def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    response = detail_response(400)
    log_response(str(exc), exception=exc, request=request, response=response, level="error",
                 logger=logging.getLogger(f"django.security.{exc.__class__.__name__}"))
    return response


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else: told as JSON, and reported as Django reports an uncaught exception (the signal error
    reporters listen to, and the ``django.request`` log with the traceback)."""
    signals.got_request_exception.send(sender=None, request=request)
    response = detail_response(500)
    log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request, exception=exc)
    return response


def install(api: NinjaAPI) -> None:
    """Every error of ``api`` answered as JSON in Thai (English)."""
    api.add_exception_handler(Exception, _server_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(PermissionDenied, _permission_denied)
    api.add_exception_handler(SuspiciousOperation, _suspicious)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(NinjaValidationError, _invalid_input)


def json_error_for(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """An error Django answered for an ``/api/`` address before the API could (an HTML 404 for an address no
    operation has; ninja's plain-text 405), as the API's JSON; any other response as it is."""
    if response.status_code not in (404, 405) or response.get("Content-Type", "").startswith("application/json"):
        return response
    if response.status_code == 405:
        allowed = response.get("Allow", "")
        json_error = detail_response(405, f"method {request.method} not allowed here; allowed: {allowed}")
        json_error["Allow"] = allowed
        return json_error
    return detail_response(404)


# --- paging --------------------------------------------------------------------------------------------------------

class LimitOffset(LimitOffsetPagination):
    """ninja's limit/offset pagination with an offset the database can count to (see the module's docstring)."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1,
                           description="items per page, at least 1 (more than a page gives a page)")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"items to skip, 0 to {MAX_OFFSET:,}")
