"""Logging in and out, changing one's password, two-factor authentication, and each user's home page."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from chumchon.access import selectors, services
from chumchon.access.forms import PasswordChangeForm, TokenForm
from chumchon.insights import opendata


def home(request):
    if not request.user.is_authenticated:
        # The public reads the country's figures from open data's release: a count of fewer than five people (and
        # their money) is not shown, nor what would give one back — early in a year the whole country may be one
        # payment.
        headline, running = opendata.headline(timezone.localdate())
        return render(request, "access/home_public.html", {
            "headline": headline, "headline_running": running, "suppressed_below": opendata.SUPPRESS_BELOW,
            "suppressed": headline is not None and None in headline.values()})
    fund = selectors.single_fund_of(request.user)
    if fund is not None:
        return redirect("welfare:fund_detail", code=fund.organisation.code)
    if selectors.only_a_member(request.user):
        return redirect("welfare:my_record")
    return render(request, "access/home.html", {
        "sections": selectors.home_sections(request.user),
        "figures": selectors.scope_figures(request.user),
    })


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """A logged-in user changes their own password: the current one, then the new one twice, held to the site's
    password validators. Audited; this session stays logged in (with its second factor), the user's others end.
    A forgotten password is reset by an administrator (``chumchon changepassword USERNAME``, docs/access.md)."""

    form_class = PasswordChangeForm
    template_name = "access/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        services.password_change(actor=self.request.user, user=form.user,
                                 password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"breadcrumbs": [{"label": _("Change password"), "url": ""}]}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "access/password_change_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"breadcrumbs": [
            {"label": _("Change password"), "url": reverse_lazy("password_change")},
            {"label": _("Password changed"), "url": ""}]}


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return resolve_url("home")


@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Enter a code (or enrol an authenticator first) to finish logging in, for roles that need it."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_verified():
        return redirect(_safe_next(request))
    enrolled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    device = None if enrolled else services.totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        verified = None
        if device is not None and services.totp_device_confirm(user=request.user, device=device, token=token):
            verified = device
        elif device is None or TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            verified = match_token(request.user, token)
        if verified is not None:
            otp_login(request, verified)
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is not right. Try the newest code from your app."))
    context = {"form": form, "enrolled": enrolled, "next": _safe_next(request)}
    if device is not None:
        secret = b32encode(device.bin_key).decode()
        context["secret"] = secret
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        context["qr_svg"] = image.to_string(encoding="unicode")
    return render(request, "access/two_factor.html", context)
