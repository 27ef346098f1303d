"""Event list, event settings and meeting sessions."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from superconnector.backoffice.domain.access import (
    EventCreationRefused,
    check_may_create_events,
    may_create_events,
    record_event_created,
)
from superconnector.backoffice.forms import EventForm, SessionForm
from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.events.domain.access import add_organiser, organised_events
from superconnector.events.domain.slots import SlotsInUse, sync_slots
from superconnector.events.models import Event, MeetingSession, Right
from superconnector.meetings.deadlines import schedule_request_expiry
from superconnector.meetings.domain.bookings import PlaceTaken, refuse_double_bookings


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = organised_events(request.user).annotate(
        organisation_count=Count("event_organisations", distinct=True),
        participant_count=Count("participants", distinct=True),
    )
    return render(
        request,
        "backoffice/event_list.html",
        {"events": events, "may_create": may_create_events(request.user)},
    )


def _zone_of(request: HttpRequest, event: Event | None) -> str:
    """The time zone the deadline is typed in: the one submitted, else the event's."""

    wanted = request.POST.get("timezone") or (event.timezone if event else "Asia/Hong_Kong")
    return wanted if wanted in zoneinfo.available_timezones() else "UTC"


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    try:
        check_may_create_events(request.user)
    except EventCreationRefused as refused:
        return render(
            request,
            "backoffice/right_missing.html",
            {"message": str(refused), "platform_right": True},
            status=403,
        )
    with timezone.override(_zone_of(request, None)):
        form = EventForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                event = form.save()
                record_event_created(event, request.user)
                add_organiser(event, request.user)
                schedule_request_expiry(event)
            messages.success(request, _("Event created. Add its meeting sessions next."))
            return redirect("backoffice:sessions", slug=event.slug)
        return render(request, "backoffice/event_form.html", {"form": form, "event": None})


@organiser_view(Right.VIEW, write_right=Right.EDIT)
def event_edit(request: HttpRequest, event: Event) -> HttpResponse:
    with timezone.override(_zone_of(request, event)):
        form = EventForm(request.POST or None, instance=event)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                event = form.save()
                # A new time zone moves every slot's instant: recompute them.
                for session in event.sessions.all():
                    sync_slots(session)
                if {"request_deadline", "timezone"} & set(form.changed_data):
                    # Pending requests expire at the (new) deadline: a task waits for it.
                    schedule_request_expiry(event)
            messages.success(request, _("Event saved."))
            return redirect("backoffice:event-edit", slug=event.slug)
        return render_page(request, "backoffice/event_form.html", event, "settings", {"form": form})


@organiser_view(Right.VIEW, write_right=Right.EDIT)
def sessions(request: HttpRequest, event: Event) -> HttpResponse:
    form = SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            session = form.save()
            sync_slots(session)
        messages.success(
            request, _("Session added with %(n)s slots.") % {"n": session.slots.count()}
        )
        return redirect("backoffice:sessions", slug=event.slug)
    rows = event.sessions.annotate(slot_count=Count("slots", distinct=True)).order_by(
        "date", "start", "key"
    )
    return render_page(
        request, "backoffice/sessions.html", event, "sessions", {"form": form, "sessions": rows}
    )


@organiser_view(Right.VIEW, write_right=Right.EDIT)
def session_edit(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = get_object_or_404(MeetingSession, event=event, pk=pk)
    form = SessionForm(request.POST or None, instance=session, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                session = form.save()
                sync_slots(session)
                # Moving a session can make its meetings overlap another session's: refuse
                # here, in words, rather than at commit (PostgreSQL) or not at all (SQLite).
                refuse_double_bookings(event)
        except PlaceTaken as clash:
            form.add_error(
                None, _("The new times would double-book people: %(why)s") % {"why": clash}
            )
        except SlotsInUse:
            form.add_error(
                None,
                _(
                    "Slots that would disappear still hold meetings: re-plan or cancel "
                    "those meetings first."
                ),
            )
        else:
            messages.success(request, _("Session saved; its slots were regenerated."))
            return redirect("backoffice:sessions", slug=event.slug)
    return render_page(
        request,
        "backoffice/session_form.html",
        event,
        "sessions",
        {"form": form, "session": session},
    )


@require_POST
@organiser_view(Right.EDIT)
def session_delete(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = get_object_or_404(MeetingSession, event=event, pk=pk)
    if session.slots.filter(meetings__isnull=False).exists():
        messages.error(request, _("This session holds meetings; it cannot be deleted."))
    else:
        session.delete()
        messages.success(request, _("Session deleted."))
    return redirect("backoffice:sessions", slug=event.slug)
