"""A delegate's people to meet, as the portal shows them and `recommend --json` prints them.

The matching run stores each delegate's list (matchmaking/domain/matching.store_suggestions,
built by engine/people.py): one entry per partner organisation, its people in order, the
first the one to see. This module reads it as of now:
- only people the delegate may be recommended (directory/domain/visibility.py, the one
  rule), so someone unlisted since the run is gone at once;
- the delegate's verdicts at once: "not relevant" on a person hides that person (their
  colleague takes the entry), "competitor" and "already know them" hide the organisation,
  and the next stored entry moves up;
- organisations a colleague already meets (a request open or accepted) are left out of
  the list and named beside it, so that a firm does not ask the same people twice;
- what each entry answers, from the links the engine found between the two organisations,
  without an opportunity the delegate may not read or has rejected.

It lives in meetings (not matchmaking) because requests decide part of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from superconnector.directory.domain.visibility import (
    is_listed,
    listed_participants,
    requestable_participants,
    visible_participants,
)
from superconnector.directory.models import EventOrganisation, Opportunity, Participant, Role
from superconnector.engine.matching.reasons import reason
from superconnector.engine.people import SHOWN
from superconnector.events.models import Event
from superconnector.matchmaking.domain.reasons import localise_reasons, stored_reasons
from superconnector.matchmaking.domain.visibility import visible_opportunities
from superconnector.matchmaking.models import Feedback, MeetingSuggestion
from superconnector.meetings.models import ACTIVE_STATUSES, MeetingRequest


@dataclass
class Answer:
    """A need and the offer that answers it (one side's each)."""

    need: Opportunity
    offer: Opportunity
    score: float


@dataclass
class PeopleEntry:
    organisation: EventOrganisation
    person: Participant  # the one to see
    colleagues: list[Participant]
    score: float
    answers_mine: list[Answer]  # their offers for my organisation's needs
    answers_theirs: list[Answer]  # my organisation's offers for their needs
    # Someone of the organisation the delegate already has a request open or accepted with.
    in_touch_with: Participant | None = None

    @property
    def reasons(self) -> list[dict[str, object]]:
        """The entry's reasons as stored reasons (matchmaking/domain/reasons.py), from the
        links shown: one per answered need, and "mutual" when both sides answer."""
        found = [
            reason("answers_need_with", need=a.need.title, offer=a.offer.title)
            for a in self.answers_mine
        ] + [
            reason("looking_for_yours", need=a.need.title, offer=a.offer.title)
            for a in self.answers_theirs
        ]
        if self.answers_mine and self.answers_theirs:
            found.append(reason("mutual"))
        return stored_reasons(found)


@dataclass
class ColleagueMeeting:
    """An organisation left out of the list because a colleague already meets it."""

    organisation: EventOrganisation
    colleague: Participant
    counterpart: Participant
    status: str


@dataclass
class PeopleToMeet:
    entries: list[PeopleEntry] = field(default_factory=list)
    met_by_colleagues: list[ColleagueMeeting] = field(default_factory=list)


def list_people_to_meet(participant: Participant, *, limit: int = SHOWN) -> PeopleToMeet:
    """The delegate's people to meet now: at most `limit` entries, best first."""
    if not is_listed(participant):
        return PeopleToMeet()
    rows = list(
        MeetingSuggestion.objects.filter(participant=participant)
        .filter(suggested__in=requestable_participants(participant))
        .exclude(suggested_id__in=_judged(participant, "person"))
        .exclude(suggested__event_organisation_id__in=_judged(participant, "organisation"))
        .select_related("suggested__person", "suggested__event_organisation__organisation")
        .order_by("rank", "choice")
    )
    met = met_by_colleagues(participant)
    met_organisations = {meeting.organisation.pk for meeting in met}
    groups: dict[int, list[MeetingSuggestion]] = {}
    for row in rows:
        if row.suggested.event_organisation_id not in met_organisations:
            groups.setdefault(row.rank, []).append(row)
    chosen = list(groups.values())[:limit]
    answers = _Answers(participant, (row for group in chosen for row in group))
    in_touch = _in_touch_with(participant)
    entries = [
        PeopleEntry(
            organisation=group[0].suggested.event_organisation,
            person=group[0].suggested,
            colleagues=[row.suggested for row in group[1:]],
            score=group[0].score,
            answers_mine=answers.of(group[0], mine=True),
            answers_theirs=answers.of(group[0], mine=False),
            in_touch_with=in_touch.get(group[0].suggested.event_organisation_id),
        )
        for group in chosen
    ]
    suggested_organisations = {row.suggested.event_organisation_id for row in rows}
    return PeopleToMeet(
        entries=entries,
        met_by_colleagues=[m for m in met if m.organisation.pk in suggested_organisations],
    )


def _judged(participant: Participant, target: str) -> QuerySet[Feedback, dict[str, int]]:
    """Ids of the people or organisations the delegate's verdicts hide (a subquery)."""
    return Feedback.objects.filter(participant=participant, **{f"{target}__isnull": False}).values(
        target
    )


def _in_touch_with(participant: Participant) -> dict[int, Participant]:
    """Organisation id -> the first person of it the delegate has a request open or
    accepted with (among people the delegate may be recommended)."""
    others = requestable_participants(participant)
    requests = (
        MeetingRequest.objects.filter(status__in=ACTIVE_STATUSES)
        .filter(
            Q(sender=participant, recipient__in=others)
            | Q(recipient=participant, sender__in=others)
        )
        .select_related("sender__person", "recipient__person")
        .order_by("pk")
    )
    found: dict[int, Participant] = {}
    for request in requests:
        other = request.recipient if request.sender_id == participant.pk else request.sender
        found.setdefault(other.event_organisation_id, other)
    return found


def met_by_colleagues(participant: Participant) -> list[ColleagueMeeting]:
    """Open or accepted requests between the delegate's colleagues and other organisations,
    both sides people the delegate may see; one per organisation, the first by request."""
    seen = visible_participants(participant)
    colleagues = seen.filter(event_organisation_id=participant.event_organisation_id).exclude(
        pk=participant.pk
    )
    requests = (
        MeetingRequest.objects.filter(status__in=ACTIVE_STATUSES)
        .filter(Q(sender__in=colleagues) | Q(recipient__in=colleagues))
        .filter(sender__in=seen, recipient__in=seen)
        .select_related(
            "sender__person",
            "sender__event_organisation__organisation",
            "recipient__person",
            "recipient__event_organisation__organisation",
        )
        .order_by("pk")
    )
    found: dict[int, ColleagueMeeting] = {}
    for request in requests:
        colleague, counterpart = request.sender, request.recipient
        if colleague.event_organisation_id != participant.event_organisation_id:
            colleague, counterpart = counterpart, colleague
        found.setdefault(
            counterpart.event_organisation_id,
            ColleagueMeeting(
                counterpart.event_organisation, colleague, counterpart, request.status
            ),
        )
    return list(found.values())


class _Answers:
    """The links of the entries shown, as opportunities the delegate may read."""

    def __init__(self, participant: Participant, rows: Iterable[MeetingSuggestion]) -> None:
        self.own = participant.event_organisation_id
        keys = {key for row in rows for link in row.links for key in (link["need"], link["offer"])}
        rejected = Feedback.objects.filter(
            participant=participant, opportunity__isnull=False
        ).values("opportunity")
        readable = (
            Opportunity.objects.filter(event_id=participant.event_id, key__in=keys)
            .filter(
                Q(event_organisation_id=self.own) | Q(pk__in=visible_opportunities(participant))
            )
            .exclude(pk__in=rejected)
        )
        self.by_key = {o.key: o for o in readable}

    def of(self, row: MeetingSuggestion, *, mine: bool) -> list[Answer]:
        found = []
        for link in row.links:
            need, offer = self.by_key.get(link["need"]), self.by_key.get(link["offer"])
            if need is None or offer is None:
                continue
            if (need.event_organisation_id == self.own) == mine:
                found.append(Answer(need, offer, link["score"]))
        return found


def people_document(event: Event, top_k: int = SHOWN) -> dict[str, list[dict[str, object]]]:
    """Every listed delegate's people to meet in the exchange format's `recommend --json`
    shape ("participants"), as the portal shows them: the person to see with the entry's
    score and reasons (text, in the active language), plus the organisation and the
    colleagues named beside them."""
    document: dict[str, list[dict[str, object]]] = {}
    delegates = (
        listed_participants(event)
        .exclude(role=Role.ORGANISER)
        .select_related("person__user", "event_organisation")
        .order_by("key")
    )
    for participant in delegates:
        document[participant.key] = people_entries(participant, top_k)
    return document


def people_entries(participant: Participant, top_k: int = SHOWN) -> list[dict[str, object]]:
    """One delegate's people to meet in the `recommend --json` shape (see people_document)."""
    shown = list_people_to_meet(participant, limit=min(top_k, SHOWN))
    return [
        {
            "participant": entry.person.key,
            "score": entry.score,
            "reasons": localise_reasons(entry.reasons),
            "organisation": entry.organisation.key,
            "colleagues": [colleague.key for colleague in entry.colleagues],
        }
        for entry in shown.entries
    ]
