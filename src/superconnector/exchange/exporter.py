"""Writing an event as an exchange document (format v1), in canonical form.

Lists are sorted by key, so that two exports of the same data are byte-identical.
"""

from __future__ import annotations

import json

from superconnector.core.domain.ordering import natural_key
from superconnector.directory.models import EventOrganisation, Opportunity, Participant
from superconnector.events.models import Event, MeetingSession
from superconnector.exchange.document import (
    canonical_availability,
    canonical_event,
    canonical_meeting,
    canonical_opportunity,
    canonical_organisation,
    canonical_participant,
    canonical_request,
    canonical_session,
)
from superconnector.exchange.schema import FORMAT
from superconnector.meetings.models import Availability, Meeting, MeetingRequest


def export_event(event: Event) -> dict:
    """The whole event as a canonical exchange document."""
    return {
        "format": FORMAT,
        "event": export_event_row(event),
        "organisations": export_organisations(event),
        "participants": export_participants(event),
        "opportunities": export_opportunities(event),
        "meeting_sessions": export_sessions(event),
        "availability": export_availability(event),
        "meeting_requests": export_requests(event),
        "meetings": export_meetings(event),
    }


def dump_document(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _fmt_date(value) -> str:
    return value.isoformat()


def _fmt_time(value) -> str:
    return value.strftime("%H:%M")


def export_event_row(event: Event) -> dict:
    return canonical_event(
        {
            "slug": event.slug,
            "name": event.name,
            "name_zh": event.name_zh,
            "kind": event.kind or None,
            "timezone": event.timezone,
            "starts_on": _fmt_date(event.starts_on),
            "ends_on": _fmt_date(event.ends_on),
            "venue": event.venue,
            "description": event.description,
        }
    )


def export_organisations(event: Event) -> list[dict]:
    # Plain values, not model instances: an import re-reads whole events of 100,000 rows.
    links = EventOrganisation.objects.filter(event=event).order_by("key")
    return [
        canonical_organisation(
            {
                "key": key,
                "name": name,
                "name_zh": name_zh,
                "kind": kind,
                "region": region,
                "sectors": sectors,
                "description": description,
                "language": language,
                "website": website,
            }
        )
        for key, name, name_zh, kind, region, sectors, description, language, website in (
            links.values_list(
                "key",
                "organisation__name",
                "organisation__name_zh",
                "organisation__kind",
                "organisation__region",
                "organisation__sectors",
                "organisation__description",
                "organisation__language",
                "organisation__website",
            )
        )
    ]


def export_participants(event: Event) -> list[dict]:
    participants = Participant.objects.filter(event=event).order_by("key")
    return [
        canonical_participant(
            {
                "key": key,
                "organisation": organisation,
                "name": name,
                "name_zh": name_zh,
                "title": title,
                "email": email,
                "phone": phone,
                "languages": languages,
                "role": role,
            }
        )
        for key, organisation, name, name_zh, title, email, phone, languages, role in (
            participants.values_list(
                "key",
                "event_organisation__key",
                "person__name",
                "person__name_zh",
                "person__title",
                "person__email",
                "person__phone",
                "person__languages",
                "role",
            )
        )
    ]


def export_opportunities(event: Event) -> list[dict]:
    opportunities = Opportunity.objects.filter(event=event).select_related("event_organisation")
    return [
        canonical_opportunity(
            {
                "key": o.key,
                "organisation": o.event_organisation.key,
                "direction": o.direction,
                "category": o.category,
                "title": o.title,
                "description": o.description,
                "sectors": o.sectors,
                "regions": o.regions,
                "language": o.language,
            }
        )
        for o in opportunities.order_by("key")
    ]


def export_sessions(event: Event) -> list[dict]:
    return [
        canonical_session(
            {
                "key": s.key,
                "date": _fmt_date(s.date),
                "start": _fmt_time(s.start),
                "end": _fmt_time(s.end),
                "slot_minutes": s.slot_minutes,
                "gap_minutes": s.gap_minutes,
                "tables": s.tables,
                "location": s.location,
            }
        )
        for s in MeetingSession.objects.filter(event=event).order_by("key")
    ]


def export_availability(event: Event) -> list[dict]:
    tz = event.tzinfo
    rows = (
        Availability.objects.filter(participant__event=event)
        .select_related("participant")
        .prefetch_related("sessions", "blocks")
    )
    exported = []
    for availability in rows.order_by("participant__key"):
        blocks = [
            {
                "date": _fmt_date(block.starts_at.astimezone(tz).date()),
                "start": _fmt_time(block.starts_at.astimezone(tz)),
                "end": _fmt_time(block.ends_at.astimezone(tz)),
            }
            for block in availability.blocks.all()
        ]
        sessions = (
            None if availability.all_sessions else [s.key for s in availability.sessions.all()]
        )
        exported.append(
            canonical_availability(
                {
                    "participant": availability.participant.key,
                    "sessions": sessions,
                    "unavailable": blocks,
                }
            )
        )
    return exported


def export_requests(event: Event) -> list[dict]:
    requests = MeetingRequest.objects.filter(event=event).select_related("sender", "recipient")
    return [
        canonical_request(
            {
                "key": r.key,
                "from": r.sender.key,
                "to": r.recipient.key,
                "status": r.status,
                "priority": r.priority,
                "message": r.message,
            }
        )
        for r in requests.order_by("key")
    ]


def export_meetings(event: Event) -> list[dict]:
    tz = event.tzinfo
    meetings = Meeting.objects.filter(event=event).select_related("request", "slot")
    rows = [
        canonical_meeting(
            {
                "request": m.request.key,
                "date": _fmt_date(m.slot.starts_at.astimezone(tz).date()),
                "start": _fmt_time(m.slot.starts_at.astimezone(tz)),
                "end": _fmt_time(m.slot.ends_at.astimezone(tz)),
                "table": m.table,
                "locked": m.locked,
            }
        )
        for m in meetings
    ]
    return sorted(
        rows, key=lambda r: (r["date"], r["start"], natural_key(r["table"]), r["request"])
    )
