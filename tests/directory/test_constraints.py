"""The database itself refuses rows that break the platform's invariants."""

import pytest
from django.db import IntegrityError, transaction

from superconnector.directory.models import EventOrganisation, Opportunity, Participant, Person
from superconnector.meetings.models import Meeting, MeetingRequest, MeetingSeat
from tests.factories import (
    EventFactory,
    EventOrganisationFactory,
    MeetingRequestFactory,
    MeetingSessionFactory,
    OrganisationFactory,
    ParticipantFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def refuses(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_organisation_key_is_unique_within_an_event_but_not_across_events():
    link = EventOrganisationFactory(key="acme")
    assert refuses(lambda: EventOrganisationFactory(event=link.event, key="acme"))
    EventOrganisationFactory(key="acme")  # another event may use the same key


def test_an_organisation_joins_an_event_once():
    link = EventOrganisationFactory()
    assert refuses(
        lambda: EventOrganisation.objects.create(
            event=link.event, organisation=link.organisation, key="other-key"
        )
    )


def test_person_email_is_unique_ignoring_case():
    PersonFactory(email="amy@example.com")
    assert refuses(lambda: Person.objects.create(name="Amy", email="AMY@example.com"))


def test_participant_key_unique_per_event_and_person_registers_once():
    participant = ParticipantFactory(key="p1")
    assert refuses(lambda: ParticipantFactory(event=participant.event, key="p1"))
    assert refuses(
        lambda: Participant.objects.create(
            event=participant.event,
            person=participant.person,
            event_organisation=participant.event_organisation,
            key="p-other",
        )
    )


def test_opportunity_key_is_unique_within_an_event():
    link = EventOrganisationFactory()

    def create():
        Opportunity.objects.create(
            event=link.event,
            event_organisation=link,
            key="o1",
            direction="offer",
            category="technology",
            title="x",
            language="en",
        )

    create()
    assert refuses(create)


def test_session_must_end_after_it_starts_and_have_tables():
    import datetime as dt

    assert refuses(lambda: MeetingSessionFactory(start=dt.time(10), end=dt.time(9)))
    assert refuses(lambda: MeetingSessionFactory(tables=0))


def test_request_must_be_between_different_organisations():
    event = EventFactory()
    link = EventOrganisationFactory(event=event)
    a = ParticipantFactory(event=event, event_organisation=link)
    b = ParticipantFactory(event=event, event_organisation=link)
    assert refuses(lambda: MeetingRequestFactory(event=event, sender=a, recipient=b))


def test_request_cannot_be_with_oneself_or_out_of_priority_range():
    request = MeetingRequestFactory()
    assert refuses(
        lambda: MeetingRequestFactory(
            event=request.event, sender=request.sender, recipient=request.sender
        )
    )
    assert refuses(lambda: MeetingRequestFactory(priority=4))
    assert refuses(lambda: MeetingRequestFactory(status="maybe"))


def test_one_open_request_per_pair_in_either_direction():
    request = MeetingRequestFactory(status="pending")
    event, a, b = request.event, request.sender, request.recipient
    assert refuses(
        lambda: MeetingRequestFactory(event=event, sender=b, recipient=a, status="accepted")
    )
    # Closed requests do not block a new one.
    request.status = "declined"
    request.save()
    MeetingRequestFactory(event=event, sender=b, recipient=a, status="pending")
    assert MeetingRequest.objects.filter(event=event).count() == 2


def _meeting(request, slot, table):
    meeting = Meeting.objects.create(event=request.event, request=request, slot=slot, table=table)
    for participant in (request.sender, request.recipient):
        MeetingSeat.objects.create(meeting=meeting, participant=participant, slot=slot)
    return meeting


def test_a_table_is_used_once_per_slot():
    first = MeetingRequestFactory()
    second = MeetingRequestFactory(event=first.event)
    slot = MeetingSessionFactory(event=first.event).slots.first()
    _meeting(first, slot, "T1")
    assert refuses(lambda: _meeting(second, slot, "T1"))
    _meeting(second, slot, "T2")


def test_a_person_is_in_at_most_one_meeting_per_slot():
    first = MeetingRequestFactory()
    other = ParticipantFactory(event=first.event)
    second = MeetingRequestFactory(event=first.event, sender=first.sender, recipient=other)
    session = MeetingSessionFactory(event=first.event)
    slot, later = session.slots.all()[:2]
    _meeting(first, slot, "T1")
    assert refuses(lambda: _meeting(second, slot, "T2"))
    _meeting(second, later, "T2")


def test_organisations_are_platform_wide():
    organisation = OrganisationFactory()
    EventOrganisationFactory(organisation=organisation)
    EventOrganisationFactory(organisation=organisation)
    assert organisation.participations.count() == 2
