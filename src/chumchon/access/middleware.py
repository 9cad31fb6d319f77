"""Two-factor authentication is required for roles that can see or change the whole country."""

from django.shortcuts import redirect
from django.urls import reverse

from chumchon.access.roles import RULES, Role
from chumchon.access.scoping import assignments_of

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
