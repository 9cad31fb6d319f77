"""Two-factor authentication is required for roles that can see or change the whole country; and the answers
Django gives with no page of their own (405) are told as pages — or, under /api/, as the API's JSON."""

from urllib.parse import urlsplit

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from chumchon.access.roles import RULES, Role
from chumchon.access.scoping import assignments_of
from chumchon.config.api_errors import json_error_for

_ALWAYS_ALLOWED_PREFIXES = ("/static/", "/healthz", "/i18n/")


def requires_two_factor(user) -> bool:
    return any(RULES[Role(a.role)].requires_2fa for a in assignments_of(user))


class TwoFactorRequiredMiddleware:
    """Sends a user whose role needs two-factor authentication to set it up or to enter a code before any other
    page. Runs after django-otp's OTPMiddleware, which gives ``request.user.is_verified()``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_ALWAYS_ALLOWED_PREFIXES)
            and request.path not in {reverse("two_factor"), reverse("logout")}
            and requires_two_factor(user)
        ):
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


_API_PREFIX = "/api/"


class ErrorPageMiddleware:
    """A 405 — a form's address opened as a page (``GET /accounts/logout/``, ``GET …/decide/``) — comes from
    Django with an empty body: it is given the site's page saying so, with the way back, and keeps its status and
    ``Allow`` header. Under ``/api/``, a 404 or 405 Django made before the API could answer becomes the API's
    JSON (``config.api_errors``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code not in (404, 405) or getattr(response, "streaming", False):
            return response
        if request.path.startswith(_API_PREFIX):
            return json_error_for(request, response)
        if response.status_code == 405 and not response.content:
            return method_not_allowed_page(request, response)
        return response


def method_not_allowed_page(request, response):
    """The 405 page: what happened, and the way back to the page the reader came from (when it is this site's)."""
    back = request.META.get("HTTP_REFERER", "")
    if back and (not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure())
                 or urlsplit(back).path == request.path):
        back = ""
    page = render(request, "405.html", {"back": back}, status=405)
    page["Allow"] = response.get("Allow", "")
    return page
