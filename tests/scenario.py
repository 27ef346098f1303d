"""One way to build a test's world: an event with its organisations, people, opportunities,
sessions, requests, meetings, organisers and API tokens, each under a short name.

    expo = (
        Scenario.create("expo")
        .organisation("law", name="Harbour Law")
        .organisation("ai", name="Zhiyuan AI", kind="startup", review_status="pending")
        .participant("amy", "law", name="Amy Leung", email="amy@example.com")
        .participant("ben", "ai", role="speaker")
        .opportunity("o-need", "ai", "need", "professional_service", "Listing counsel")
        .request("r1", "amy", "ben", "accepted")
        .session("am")
        .meeting("r1", table="T1")
        .organiser("orga", email="orga@example.com")
        .token("amy", participant="amy")
    )
    expo.people["amy"], expo.tokens["amy"], expo.users["orga"], expo.teams["Organisers"]

Every method adds rows and returns the scenario, so calls chain; what it made is kept in
the dictionaries below under the name it was given (for organisations, people,
opportunities, requests and sessions that name is also their key in the event, as in the
exchange format). `Scenario.imported(document)` starts from an imported exchange document
instead, with its rows already named by their keys.

Single rows outside a world come from tests/factories.py, which this builds on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from superconnector.api.domain.tokens import issue_token
from superconnector.directory.models import EventOrganisation, Opportunity, Participant
from superconnector.events.domain.access import ALL_RIGHTS, add_organiser
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.matchmaking.models import OpportunityMatch, OrganisationMatch
from superconnector.meetings.models import MeetingRequest
from tests.factories import (
    EventFactory,
    EventOrganisationFactory,
    MeetingFactory,
    MeetingRequestFactory,
    MeetingSeatFactory,
    MeetingSessionFactory,
    OpportunityFactory,
    OrganisationFactory,
    ParticipantFactory,
    PersonFactory,
    SchedulingRunFactory,
    UserFactory,
    answer_consents,
)

PASSWORD = "a-long-password"

# Fields of a Participant; the other keyword arguments of `participant()` describe the Person.
PARTICIPANT_FIELDS = {"role", "checked_in_at", "absent"}


@dataclass
class Scenario:
    event: Event
    orgs: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    opportunities: dict[str, Any] = field(default_factory=dict)
    requests: dict[str, Any] = field(default_factory=dict)
    sessions: dict[str, Any] = field(default_factory=dict)
    meetings: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    teams: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # name -> the token itself

    # --- starting points ------------------------------------------------------------------

    @classmethod
    def create(cls, slug: str | None = None, **event_fields: Any) -> Scenario:
        """A new event (EventFactory's defaults: 8-9 December 2026 in Hong Kong)."""
        if slug is not None:
            event_fields["slug"] = slug
        return cls(EventFactory(**event_fields))

    @classmethod
    def imported(cls, document: dict) -> Scenario:
        """The event of an exchange document, imported; its rows named by their keys."""
        import_document(document)
        event = Event.objects.get(slug=document["event"]["slug"])
        by_key = lambda rows: {row.key: row for row in rows}  # noqa: E731
        return cls(
            event,
            orgs=by_key(EventOrganisation.objects.filter(event=event)),
            people=by_key(Participant.objects.filter(event=event).select_related("person")),
            opportunities=by_key(Opportunity.objects.filter(event=event)),
            requests=by_key(MeetingRequest.objects.filter(event=event)),
            sessions=by_key(event.sessions.all()),
        )

    # --- the directory --------------------------------------------------------------------

    def organisation(self, key: str, review_status: str = "published", **fields: Any) -> Scenario:
        """An organisation taking part, under `key`; `fields` describe the Organisation
        (or pass `organisation=` to bring one that exists)."""
        organisation = fields.pop("organisation", None) or OrganisationFactory(**fields)
        self.orgs[key] = EventOrganisationFactory(
            event=self.event, key=key, organisation=organisation, review_status=review_status
        )
        return self

    def participant(self, key: str, organisation: str | None = None, **fields: Any) -> Scenario:
        """A delegate under `key`, for the organisation named `organisation` (a new one of
        their own without). `role`, `checked_in_at` and `absent` are the participation's;
        the other `fields` describe the Person (or pass `person=` to bring one)."""
        extra = {name: fields.pop(name) for name in PARTICIPANT_FIELDS & set(fields)}
        if organisation is not None:
            extra["event_organisation"] = self.orgs[organisation]
        person = fields.pop("person", None) or (PersonFactory(**fields) if fields else None)
        if person is not None:
            extra["person"] = person
        self.people[key] = ParticipantFactory(event=self.event, key=key, **extra)
        return self

    def opportunity(
        self,
        key: str,
        organisation: str,
        direction: str,
        category: str,
        title: str,
        **fields: Any,
    ) -> Scenario:
        """An offer or a need of an organisation (in English unless `language` says)."""
        self.opportunities[key] = OpportunityFactory(
            event=self.event,
            event_organisation=self.orgs[organisation],
            key=key,
            direction=direction,
            category=category,
            title=title,
            **fields,
        )
        return self

    # --- recommendations ------------------------------------------------------------------

    def opportunity_match(
        self, need: str, offer: str, score: float, rank_for_need: int, **fields: Any
    ) -> Scenario:
        """A stored recommendation between two opportunities (rank for the offer: 1)."""
        OpportunityMatch.objects.create(
            event=self.event,
            need=self.opportunities[need],
            offer=self.opportunities[offer],
            score=score,
            rank_for_need=rank_for_need,
            **{"rank_for_offer": 1, **fields},
        )
        return self

    def organisation_match(
        self, organisation: str, partner: str, rank: int, **fields: Any
    ) -> Scenario:
        """A stored recommendation of `partner` to `organisation` (score 1/rank)."""
        OrganisationMatch.objects.create(
            event=self.event,
            organisation=self.orgs[organisation],
            partner=self.orgs[partner],
            rank=rank,
            **{"score": 1.0 / rank, **fields},
        )
        return self

    # --- meetings -------------------------------------------------------------------------

    def request(
        self,
        key: str | None,
        sender: str,
        recipient: str,
        status: str = "pending",
        **fields: Any,
    ) -> Scenario:
        """A meeting request between two delegates (key None: a generated one, kept under
        the request's key)."""
        if key is not None:
            fields["key"] = key
        made = MeetingRequestFactory(
            event=self.event,
            sender=self.people[sender],
            recipient=self.people[recipient],
            status=status,
            **fields,
        )
        self.requests[made.key] = made
        return self

    def session(self, key: str, **fields: Any) -> Scenario:
        """A meeting session with its slots (MeetingSessionFactory's: 09:00-10:00, 20-minute
        slots, two tables, on 8 December 2026 unless `fields` say otherwise)."""
        self.sessions[key] = MeetingSessionFactory(event=self.event, key=key, **fields)
        return self

    def meeting(
        self, request: str, session: str | None = None, slot: int = 0, table: str = "T1"
    ) -> Scenario:
        """The request placed at `table` in slot number `slot` of `session` (the only or
        first one by default), with both delegates' seats."""
        chosen = self.sessions[session] if session else next(iter(self.sessions.values()))
        placed = MeetingFactory(
            event=self.event,
            request=self.requests[request],
            slot=chosen.slots.order_by("index")[slot],
            table=table,
        )
        for participant in (placed.request.sender, placed.request.recipient):
            MeetingSeatFactory(meeting=placed, participant=participant)
        self.meetings[request] = placed
        return self

    def scheduling_run(self, **fields: Any) -> Scenario:
        """A finished scheduling run (status and figures from `fields`)."""
        SchedulingRunFactory(event=self.event, **fields)
        return self

    # --- people with accounts: organisers, delegates, API tokens ------------------------

    def user(self, name: str, email: str | None = None, **fields: Any) -> Scenario:
        """An account (password PASSWORD), under `name`; e-mail `name`@example.com."""
        self.users[name] = UserFactory(
            email=email or f"{name}@example.com", password=PASSWORD, **fields
        )
        return self

    def organiser(
        self,
        name: str,
        rights: frozenset[str] | set[str] = ALL_RIGHTS,
        team: str = "Organisers",
        email: str | None = None,
        user: Any = None,
    ) -> Scenario:
        """The account `name` (made now if new, or `user`, an account of another scenario)
        in the event's organiser team `team`, which is created with `rights` if it does not
        exist yet."""
        if user is not None:
            self.users[name] = user
        elif name not in self.users:
            self.user(name, email)
        self.teams[team] = add_organiser(self.event, self.users[name], rights, team)
        return self

    def account(
        self, participant: str, name: str | None = None, email: str | None = None, **kwargs: Any
    ) -> Scenario:
        """An account for a delegate's person, kept under `name` (the delegate's name by
        default): the account `name` if made already, else a new one with the person's
        e-mail address. `consents=True` answers the registration consents as well."""
        consents = kwargs.pop("consents", False)
        person = self.people[participant].person
        name = name or participant
        if name not in self.users:
            self.user(name, email or person.email.lower(), **kwargs)
        person.user = self.users[name]
        person.save()
        if consents:
            answer_consents(person)
        return self

    def token(
        self,
        key: str,
        participant: str | None = None,
        team: str | None = None,
        issued_by: str | None = None,
        name: str | None = None,
    ) -> Scenario:
        """An API token for a delegate or an organiser team, kept under `key` (and called
        `name`, `key` by default)."""
        self.tokens[key] = issue_token(
            name or key,
            event=self.event,
            participant=self.people[participant] if participant else None,
            team=self.teams[team] if team else None,
            issued_by=self.users[issued_by] if issued_by else None,
        )[1]
        return self
