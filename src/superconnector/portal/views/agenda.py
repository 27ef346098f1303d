"""My agenda, its calendar feed, business cards, and outcomes after meetings."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from superconnector.directory.domain.visibility import shown_name
from superconnector.events.models import Event
from superconnector.meetings.domain.agenda import calendar_for
from superconnector.meetings.domain.contacts import contact_shared_ids
from superconnector.meetings.domain.outcomes import OutcomeRefused, record_outcome
from superconnector.meetings.models import MeetingOutcome
from superconnector.portal.domain.agenda import (
    agenda_rows,
    business_cards,
    meeting_for_outcome,
    schedule_is_published,
)
from superconnector.portal.domain.feeds import (
    FeedGone,
    calendar_token,
    participant_for_calendar_token,
)
from superconnector.portal.forms import OutcomeForm
from superconnector.portal.views.common import delegate_view, render_page


@delegate_view
def agenda(request: HttpRequest, event, participant) -> HttpResponse:
    feed_path = reverse(
        "portal:calendar", kwargs={"slug": event.slug, "token": calendar_token(participant)}
    )
    cards = business_cards(participant)
    return render_page(
        request,
        "portal/agenda.html",
        participant,
        "agenda",
        {
            "published": schedule_is_published(participant),
            "rows": agenda_rows(participant),
            "cards": cards,
            "cards_by_id": {c.pk: c for c in cards},
            "contacts": contact_shared_ids(participant),
            "feed_url": request.build_absolute_uri(feed_path),
            "webcal_url": "webcal://" + request.get_host() + feed_path,
        },
    )


def calendar_feed(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The iCalendar feed: no session, the signed token in the address is the credential."""
    event = get_object_or_404(Event, slug=slug)
    try:
        participant = participant_for_calendar_token(event, token)
    except FeedGone:
        # Calendar apps drop a subscription that answers 410; a 404 they keep polling.
        return HttpResponse(status=410)
    if participant is None:
        raise Http404("unknown calendar feed")
    # Before publication the feed is valid and empty, so early subscribers fill in later.
    body = (
        calendar_for(participant) if schedule_is_published(participant) else _empty_calendar(event)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{event.slug}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def _empty_calendar(event: Event) -> bytes:
    from icalendar import Calendar  # noqa: PLC0415 (icalendar takes about 0.2 s to import; only calendar files need it)

    calendar = Calendar()
    calendar.add("prodid", "-//Superconnector//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", event.name)
    return calendar.to_ical()


@delegate_view
def outcome(request: HttpRequest, event, participant, pk: int) -> HttpResponse:
    meeting = meeting_for_outcome(participant, pk)
    if meeting is None:
        raise Http404("not one of your meetings")
    existing = MeetingOutcome.objects.filter(meeting=meeting, reported_by=participant).first()
    initial = (
        {
            "kind": existing.kind,
            "value": existing.value,
            "currency": existing.currency,
            "note": existing.note,
        }
        if existing
        else None
    )
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_outcome(meeting, by=participant, **form.cleaned_data)
        except OutcomeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Thank you: the outcome is recorded."))
            return redirect("portal:agenda", slug=event.slug)
    request_ = meeting.request
    other = request_.recipient if request_.sender_id == participant.pk else request_.sender
    other_name, other_organisation = shown_name(participant, other)
    return render_page(
        request,
        "portal/outcome_form.html",
        participant,
        "agenda",
        {
            "form": form,
            "meeting": meeting,
            "other_name": other_name,
            "other_organisation": other_organisation,
            "starts_at": meeting.slot.starts_at.astimezone(event.tzinfo),
        },
    )
