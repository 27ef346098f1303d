"""Signing in with a one-time link sent by e-mail."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from superconnector.core.domain.redirects import safe_next_url
from superconnector.core.domain.signin import find_usable_link, use_sign_in_link
from superconnector.core.domain.throttle import allow_mail_request
from superconnector.portal.domain.signin import mail_sign_in_link
from superconnector.portal.forms import SignInLinkForm

BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def request_sign_in_link(request: HttpRequest) -> HttpResponse:
    form = SignInLinkForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if allow_mail_request(request, email, "sign-in-link"):
            mail_sign_in_link(
                email, form.cleaned_data["next"], base_url=request.build_absolute_uri("/")
            )
        # The same answer whether or not the address has an account, and when throttled.
        return redirect("sign-in-link-sent")
    return render(request, "portal/registration/sign_in_link_form.html", {"form": form})


def sign_in_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/registration/sign_in_link_sent.html")


@require_http_methods(["GET", "POST"])
def sign_in_with_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners open links, and must not spend them."""
    if request.method == "GET":
        valid = find_usable_link(token) is not None
        return render(
            request,
            "portal/registration/sign_in_with_link.html",
            {"valid": valid},
            status=200 if valid else 410,
        )
    link = use_sign_in_link(token)
    if link is None:
        return render(
            request, "portal/registration/sign_in_with_link.html", {"valid": False}, status=410
        )
    login(request, link.user, backend=BACKEND)  # cycles the session key
    return redirect(safe_next_url(link.next_url) or reverse("home"))
