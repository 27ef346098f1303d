"""Every back-office list as CSV or XLSX, from one row generator per list.

Delegates type the text these lists contain. In CSV, cells a spreadsheet would run as a
formula (=, +, -, @ ...) are neutralised with a leading apostrophe; XLSX states each cell's
type, so text goes in as text cells, unchanged and never evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from superconnector.core.domain.spreadsheets import xlsx_bytes
from superconnector.directory.domain.visibility import unlisted_reasons
from superconnector.directory.models import EventOrganisation, Opportunity, Participant
from superconnector.events.models import Event
from superconnector.meetings.domain.agenda import (
    TABLE_PLAN_COLUMNS,
    spreadsheet_safe,
    table_plan_rows,
)
from superconnector.meetings.models import MeetingOutcome, MeetingRequest
from superconnector.privacy.domain.consent import consent_answers
from superconnector.privacy.models import Purpose

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Export:
    name: str
    title: StrOrPromise
    columns: list[str]
    rows: Callable[[Event], Iterable[list]]


def _local(moment: dt.datetime | None, event: Event) -> str:
    return moment.astimezone(event.tzinfo).strftime("%Y-%m-%d %H:%M") if moment else ""


def _joined(values) -> str:
    return "; ".join(str(v) for v in values or [])


def participant_rows(event: Event):
    participants = (
        Participant.objects.filter(event=event)
        .select_related("person__user", "event_organisation__organisation")
        .order_by("key")
    )
    # What each delegate allowed, so that organisers can honour it outside the platform
    # too (news mail, lists handed to partners abroad): yes, no, or empty if never asked.
    answers = consent_answers(participants.values("person_id"))
    for p in participants.iterator(chunk_size=2000):
        given = answers.get(p.person_id, {})
        yield [
            p.key,
            p.person.name,
            p.person.email,
            p.person.title,
            p.person.phone,
            p.event_organisation.organisation.name,
            p.event_organisation.key,
            # After the columns lists already read by position, not beside the name.
            p.person.name_zh,
            p.role,
            _local(p.checked_in_at, event),
            "yes" if p.absent else "",
            # Why other delegates and the engine do not see them (directory/domain/
            # visibility.py): organisers see everyone, and need to know who is out.
            "; ".join(unlisted_reasons(p)),
            *(_yes_no(given.get(purpose)) for purpose in Purpose.values),
        ]


def _yes_no(answer: bool | None) -> str:
    return "" if answer is None else ("yes" if answer else "no")


def organisation_rows(event: Event):
    for link in (
        EventOrganisation.objects.filter(event=event)
        .select_related("organisation")
        .annotate(n=Count("participants"))
        .order_by("key")
    ):
        o = link.organisation
        yield [
            link.key,
            o.name,
            o.name_zh,
            o.kind,
            o.region,
            _joined(o.sectors),
            o.website,
            link.review_status,
            link.n,
        ]


def opportunity_rows(event: Event):
    for o in (
        Opportunity.objects.filter(event=event)
        .select_related("event_organisation__organisation")
        .order_by("key")
        .iterator(chunk_size=2000)
    ):
        yield [
            o.key,
            o.event_organisation.organisation.name,
            o.direction,
            o.category,
            o.title,
            o.description,
            _joined(o.sectors),
            _joined(o.regions),
            o.language,
        ]


def request_rows(event: Event):
    for r in (
        MeetingRequest.objects.filter(event=event)
        .select_related(
            "sender__person",
            "recipient__person",
            "sender_organisation__organisation",
            "recipient_organisation__organisation",
        )
        .order_by("created_at", "key")
        .iterator(chunk_size=2000)
    ):
        yield [
            r.key,
            r.sender.person.name,
            r.sender_organisation.organisation.name,
            r.recipient.person.name,
            r.recipient_organisation.organisation.name,
            r.status,
            r.priority,
            _local(r.created_at, event),
            _local(r.responded_at, event),
            r.message,
            r.decline_reason,
        ]


def outcome_rows(event: Event):
    for o in (
        MeetingOutcome.objects.filter(meeting__event=event)
        .select_related(
            "meeting__slot",
            "meeting__request",
            "reported_by__person",
            "reported_by__event_organisation__organisation",
        )
        .order_by("meeting__slot__starts_at", "pk")
    ):
        yield [
            o.meeting.request.key,
            _local(o.meeting.slot.starts_at, event),
            o.reported_by.person.name,
            o.reported_by.event_organisation.organisation.name,
            o.kind,
            o.value if o.value is not None else "",
            o.currency if o.value is not None else "",
            o.note,
        ]


def checkin_rows(event: Event):
    for p in (
        Participant.objects.filter(event=event)
        .select_related("person", "event_organisation__organisation")
        .order_by("person__name", "key")
        .iterator(chunk_size=2000)
    ):
        status = "absent" if p.absent else "checked in" if p.checked_in_at else "expected"
        yield [
            p.key,
            p.person.name,
            p.event_organisation.organisation.name,
            status,
            _local(p.checked_in_at, event),
        ]


EXPORTS: dict[str, Export] = {
    export.name: export
    for export in [
        Export(
            "participants",
            _("Participants"),
            [
                "key",
                "name",
                "email",
                "title",
                "phone",
                "organisation",
                "organisation_key",
                "name_zh",
                "role",
                "checked_in_at",
                "absent",
                "not_listed",
                *(f"consent_{purpose}" for purpose in Purpose.values),
            ],
            participant_rows,
        ),
        Export(
            "organisations",
            _("Organisations"),
            [
                "key",
                "name",
                "name_zh",
                "kind",
                "region",
                "sectors",
                "website",
                "review_status",
                "participants",
            ],
            organisation_rows,
        ),
        Export(
            "opportunities",
            _("Opportunities"),
            [
                "key",
                "organisation",
                "direction",
                "category",
                "title",
                "description",
                "sectors",
                "regions",
                "language",
            ],
            opportunity_rows,
        ),
        Export(
            "requests",
            _("Meeting requests"),
            [
                "key",
                "from",
                "from_organisation",
                "to",
                "to_organisation",
                "status",
                "priority",
                "sent_at",
                "answered_at",
                "message",
                "decline_reason",
            ],
            request_rows,
        ),
        Export("meetings", _("Meetings (table plan)"), TABLE_PLAN_COLUMNS, table_plan_rows),
        Export(
            "outcomes",
            _("Outcomes"),
            [
                "request",
                "meeting_at",
                "reported_by",
                "organisation",
                "outcome",
                "value",
                "currency",
                "note",
            ],
            outcome_rows,
        ),
        Export(
            "checkins",
            _("Check-ins"),
            ["key", "name", "organisation", "status", "checked_in_at"],
            checkin_rows,
        ),
    ]
}


def export_csv(event: Event, export: Export) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(export.columns)
    for row in export.rows(event):
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read Chinese correctly


def export_xlsx(event: Event, export: Export) -> bytes:
    """The list as a workbook: text cells as they are (no formula is evaluated in a text
    cell, so the CSV's apostrophe guard would only show as a character)."""
    return xlsx_bytes(str(export.title), export.columns, export.rows(event))
