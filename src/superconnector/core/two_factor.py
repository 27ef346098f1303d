"""Pages of the second factor: set up an authenticator app, confirm it with a first code,
verify a sign-in, use a recovery code, and make new recovery codes.

The rules live in core/domain/totp.py; OrganiserTwoFactorMiddleware sends organisers here.
Every page is `never_cache`: they show secrets and recovery codes, which must not stay in
a shared computer's browser cache.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from superconnector.core.domain.qr import qr_svg
from superconnector.core.domain.redirects import safe_next_url
from superconnector.core.domain.totp import (
    TooManyCodes,
    confirm_device,
    confirmed_device,
    grouped_secret,
    is_session_verified,
    mark_session_verified,
    pending_device,
    provisioning_uri,
    replace_recovery_codes,
    requires_two_factor,
    unused_recovery_code_count,
    use_recovery_code,
    verify_code,
)
from superconnector.core.forms import TwoFactorCodeForm
from superconnector.core.http import AuthenticatedHttpRequest

LOW_RECOVERY_CODES = 3


def _next_url(request: HttpRequest) -> str:
    return safe_next_url(request.POST.get("next") or request.GET.get("next"))


def _to(name: str, next_url: str) -> HttpResponse:
    """Redirect to page `name`, passing `next` on."""
    url = reverse(name)
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


def _refuse_throttled(form: TwoFactorCodeForm) -> None:
    form.add_error(
        None,
        _(
            "Too many wrong codes: for your safety, no more codes are accepted for 15 "
            "minutes. Try again later."
        ),
    )


@never_cache
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    context = {
        "device": device,
        "required": requires_two_factor(request.user),
        "verified": is_session_verified(request),
        "unused_codes": unused_recovery_code_count(request.user) if device else 0,
    }
    return render(request, "core/two_factor/overview.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def set_up(request: AuthenticatedHttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    device = pending_device(request.user)
    if device is None:
        # Already set up: a second app is not added (nor the first replaced) from here.
        return _to("two-factor" if is_session_verified(request) else "two-factor-verify", next_url)
    form = TwoFactorCodeForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        codes = confirm_device(device, form.cleaned_data["code"])
        if codes is not None:
            mark_session_verified(request)
            return render(
                request,
                "core/two_factor/recovery_codes.html",
                {"codes": codes, "next": next_url or reverse("two-factor"), "first": True},
            )
        form.add_error(
            "code", _("That code is not right. Check the app shows Superconnector, and retry.")
        )
    uri = provisioning_uri(device.secret, request.user.email)
    context = {
        "form": form,
        "secret": grouped_secret(device.secret),
        "uri": uri,
        "qr": qr_svg(uri, label=_("QR code for your authenticator app")),
    }
    return render(request, "core/two_factor/setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if confirmed_device(request.user) is None:
        return _to("two-factor-setup", next_url)
    if is_session_verified(request) and request.method == "GET":
        return redirect(next_url or reverse("two-factor"))
    form = TwoFactorCodeForm(request.POST or None, initial={"next": next_url})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            right = verify_code(request.user, form.cleaned_data["code"])
        except TooManyCodes:
            _refuse_throttled(form)
            status = 429
        else:
            if right:
                mark_session_verified(request)
                return redirect(next_url or reverse("two-factor"))
            form.add_error("code", _("That code is not right, or it has been used already."))
    return render(
        request,
        "core/two_factor/verify.html",
        {"form": form, "next": next_url},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def use_recovery(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if confirmed_device(request.user) is None:
        return _to("two-factor-setup", next_url)
    form = TwoFactorCodeForm(request.POST or None, initial={"next": next_url})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            right = use_recovery_code(request.user, form.cleaned_data["code"])
        except TooManyCodes:
            _refuse_throttled(form)
            status = 429
            right = None
        if right:
            mark_session_verified(request)
            left = unused_recovery_code_count(request.user)
            messages.warning(
                request,
                ngettext(
                    "Recovery code used: %(count)d code left.",
                    "Recovery code used: %(count)d codes left.",
                    left,
                )
                % {"count": left},
            )
            if left <= LOW_RECOVERY_CODES:
                messages.warning(request, _("Make new recovery codes soon."))
            return redirect(next_url or reverse("two-factor"))
        if right is False:
            form.add_error("code", _("That recovery code is not right, or it has been used."))
    return render(
        request, "core/two_factor/recovery.html", {"form": form, "next": next_url}, status=status
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def renew_recovery_codes(request: HttpRequest) -> HttpResponse:
    if confirmed_device(request.user) is None:
        return _to("two-factor-setup", reverse("two-factor-recovery-codes"))
    if not is_session_verified(request):
        # Whoever sees the new codes can sign in with them: prove the app first.
        return _to("two-factor-verify", reverse("two-factor-recovery-codes"))
    if request.method == "POST":
        codes = replace_recovery_codes(request.user)
        return render(
            request,
            "core/two_factor/recovery_codes.html",
            {"codes": codes, "next": reverse("two-factor"), "first": False},
        )
    return render(request, "core/two_factor/renew_recovery_codes.html")
