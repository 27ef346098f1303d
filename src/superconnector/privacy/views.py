"""My data: consents, a copy of everything held on me, and erasure."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from superconnector.core.domain.redirects import safe_next_url
from superconnector.core.http import AuthenticatedHttpRequest
from superconnector.directory.models import Person
from superconnector.privacy.domain.consent import current_consents, record_consents
from superconnector.privacy.domain.erasure import erase_person, export_person
from superconnector.privacy.models import PURPOSE_DETAILS, Purpose


class ConsentForm(forms.Form):
    """One unticked box per purpose: consent is given box by box, never bundled."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for purpose, label in Purpose.choices:
            self.fields[purpose] = forms.BooleanField(
                label=label, help_text=PURPOSE_DETAILS[Purpose(purpose)], required=False
            )


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label=gettext_lazy("Type your e-mail address to confirm"), max_length=320
    )


def _person(request: AuthenticatedHttpRequest) -> Person | None:
    return Person.objects.filter(user=request.user).first()


@login_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _person(request)
    if request.method == "POST" and person is not None:
        form = ConsentForm(request.POST)
        if form.is_valid():
            record_consents(person, form.cleaned_data, channel="web")
            messages.success(request, _("Your choices are saved."))
            return redirect("privacy:my-data")
    consents = current_consents(person) if person else {}
    return render(
        request,
        "privacy/my_data.html",
        {"person": person, "form": ConsentForm(initial=consents), "erase_form": EraseForm()},
    )


@login_required
def welcome(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The consent step of registration: four separate, unticked boxes, asked before the
    portal opens; nothing is pre-granted and any answer (even none ticked) lets one in."""
    person = _person(request)
    next_url = safe_next_url(request.POST.get("next") or request.GET.get("next", "")) or "/"
    if person is None:
        return redirect(next_url)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record_consents(person, form.cleaned_data, channel="registration")
        return redirect(next_url)
    return render(request, "privacy/welcome.html", {"form": form, "next": next_url})


@login_required
def download(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _person(request)
    data = export_person(person) if person else {"account": request.user.email}
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-superconnector-data.json"'
    return response


@login_required
def erase(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person = _person(request)
    form = EraseForm(request.POST)
    if person is None or not form.is_valid():
        return redirect("privacy:my-data")
    if form.cleaned_data["confirm"].strip().lower() != request.user.email.lower():
        messages.error(request, _("The e-mail address did not match; nothing was erased."))
        return redirect("privacy:my-data")
    erase_person(person, actor=request.user)
    logout(request)
    messages.success(request, _("Your data has been erased and your account closed."))
    return redirect("home")
