"""My meeting requests: inbox and outbox, answering, cancelling and sending."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from superconnector.meetings.domain.expiry import expire_before_reading
from superconnector.meetings.domain.people import met_by_colleagues
from superconnector.meetings.domain.repair import accept_and_place, cancel_and_offer
from superconnector.meetings.domain.requests import (
    RequestRefused,
    decline_request,
    send_request,
)
from superconnector.portal.domain.meetings import possible_recipients, request_of, requests_of
from superconnector.portal.forms import DeclineForm, MeetingRequestForm
from superconnector.portal.views.common import delegate_view, render_page


@delegate_view
def meetings(request: HttpRequest, event, participant) -> HttpResponse:
    # Never show a request as pending, "answer due by" a moment already past.
    expire_before_reading(event)
    deadline = event.request_deadline
    return render_page(
        request,
        "portal/meetings.html",
        participant,
        "meetings",
        {
            "requests": requests_of(participant),
            "decline_form": DeclineForm(),
            "answer_due": deadline if deadline and deadline > timezone.now() else None,
        },
    )


@delegate_view
def request_create(request: HttpRequest, event, participant) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    candidates = possible_recipients(
        participant, to=source.get("to", ""), organisation=source.get("organisation", "")
    )
    if not candidates:
        raise Http404("nobody to ask")
    by_pk = {str(p.pk): p for p in candidates}
    choices = [
        (str(p.pk), f"{p.person.name} – {p.event_organisation.organisation.name}")
        for p in candidates
    ]
    form = MeetingRequestForm(
        request.POST if request.method == "POST" else None, recipients=choices
    )
    if request.method == "POST" and form.is_valid():
        recipient = by_pk[form.cleaned_data["recipient"]]
        try:
            sent = send_request(
                participant,
                recipient,
                message=form.cleaned_data["message"],
                priority=form.cleaned_data["priority"],
                actor=request.user,
            )
        except RequestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            if sent.sender_id == participant.pk:
                messages.success(
                    request,
                    _("Meeting request sent to %(name)s.") % {"name": recipient.person.name},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s had already asked you: the meeting is confirmed.")
                    % {"name": recipient.person.name},
                )
            return redirect("portal:meetings", slug=event.slug)
    return render_page(
        request,
        "portal/request_form.html",
        participant,
        "meetings",
        {
            "form": form,
            "candidates": candidates,
            # A firm asked twice, by two colleagues, is what the people list avoids; here the
            # delegate chooses, told first.
            "met_by_colleagues": [
                m
                for m in met_by_colleagues(participant)
                if m.organisation.pk in {c.event_organisation_id for c in candidates}
            ],
            "to": source.get("to", ""),
            "organisation": source.get("organisation", ""),
        },
    )


def _act(request: HttpRequest, event, participant, pk: int, action, success: str):
    meeting_request = request_of(participant, pk)
    if meeting_request is None:
        raise Http404("not one of your requests")
    try:
        action(meeting_request)
    except RequestRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success)
    return redirect("portal:meetings", slug=event.slug)


@require_POST
@delegate_view
def request_accept(request: HttpRequest, event, participant, pk: int) -> HttpResponse:
    return _act(
        request,
        event,
        participant,
        pk,
        lambda r: accept_and_place(r, by=participant, actor=request.user),
        _("Request accepted: the meeting will be scheduled."),
    )


@require_POST
@delegate_view
def request_decline(request: HttpRequest, event, participant, pk: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        event,
        participant,
        pk,
        lambda r: decline_request(r, by=participant, reason=reason, actor=request.user),
        _("Request declined."),
    )


@require_POST
@delegate_view
def request_cancel(request: HttpRequest, event, participant, pk: int) -> HttpResponse:
    return _act(
        request,
        event,
        participant,
        pk,
        lambda r: cancel_and_offer(r, by=participant, actor=request.user),
        _("Request cancelled."),
    )
