"""The account's own e-mail address (its login): changed only by its owner, confirmed by a
link sent to the new address (portal/domain/email_change.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from superconnector.core.domain.throttle import allow_mail_request
from superconnector.core.http import AuthenticatedHttpRequest
from superconnector.core.models.signin import EmailChangeLink
from superconnector.directory.domain.accounts import AccountRefused
from superconnector.portal.domain.email_change import (
    confirm_email_change,
    find_usable_email_change,
    request_email_change,
)
from superconnector.portal.forms import EmailChangeForm

TEMPLATE = "portal/registration/email_change_form.html"
CONFIRM_TEMPLATE = "portal/registration/email_change_confirm.html"


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["email"]
        if not allow_mail_request(request, new_email, "email-change"):
            form.add_error(
                "email", _("Too many requests for this address; try again in 15 minutes.")
            )
        else:
            try:
                request_email_change(
                    request.user, new_email, base_url=request.build_absolute_uri("/")
                )
            except AccountRefused as refused:
                form.add_error("email", str(refused))
            else:
                messages.success(
                    request,
                    _(
                        "We sent a link to %(email)s. Your address changes when you open it "
                        "and confirm; until then, nothing changes."
                    )
                    % {"email": new_email.lower()},
                )
                return redirect("email-change")
    pending = EmailChangeLink.objects.filter(
        user=request.user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    return render(request, TEMPLATE, {"form": form, "pending": pending})


@require_http_methods(["GET", "POST"])
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners open links, and must not spend them."""
    if request.method == "GET":
        link = find_usable_email_change(token)
        return render(
            request, CONFIRM_TEMPLATE, {"link": link}, status=200 if link is not None else 410
        )
    try:
        link = confirm_email_change(token)
    except AccountRefused as refused:
        return render(
            request,
            CONFIRM_TEMPLATE,
            {"link": find_usable_email_change(token), "error": str(refused)},
            status=409,
        )
    if link is None:
        return render(request, CONFIRM_TEMPLATE, {"link": None}, status=410)
    messages.success(
        request,
        _("Your e-mail address is now %(email)s; sign in with it from now on.")
        % {"email": link.new_email},
    )
    if request.user.is_authenticated and request.user.pk == link.user_id:
        return redirect("privacy:my-data")
    return redirect("login")
