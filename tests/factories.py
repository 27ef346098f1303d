"""factory_boy factories for the core models; each builds a consistent object graph."""

import datetime as dt

import factory

from superconnector.directory.models import EventOrganisation, Organisation, Participant, Person
from superconnector.events.domain.slots import sync_slots
from superconnector.events.models import Event, MeetingSession
from superconnector.meetings.models import MeetingRequest


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Sequence(lambda n: f"Event {n}")
    timezone = "Asia/Hong_Kong"
    starts_on = dt.date(2026, 12, 8)
    ends_on = dt.date(2026, 12, 9)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "enterprise"
    region = "Hong Kong"
    language = "en"


class EventOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventOrganisation

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    key = factory.Sequence(lambda n: f"org-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.com")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    event_organisation = factory.SubFactory(
        EventOrganisationFactory, event=factory.SelfAttribute("..event")
    )
    key = factory.Sequence(lambda n: f"p-{n}")


class MeetingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSession
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    key = factory.Sequence(lambda n: f"s-{n}")
    date = dt.date(2026, 12, 8)
    start = dt.time(9, 0)
    end = dt.time(10, 0)
    slot_minutes = 20
    tables = 2

    @factory.post_generation
    def slots(self, create, extracted, **kwargs):
        if create:
            sync_slots(self)


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    event = factory.SubFactory(EventFactory)
    key = factory.Sequence(lambda n: f"r-{n}")
    sender = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    recipient = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    sender_organisation = factory.SelfAttribute("sender.event_organisation")
    recipient_organisation = factory.SelfAttribute("recipient.event_organisation")
    status = "accepted"


def answer_consents(person, **granted: bool) -> None:
    """The registration consent step, as a delegate who allows profile and contact sharing
    (the portal asks before anything else until the current texts are answered)."""
    from superconnector.privacy.domain.consent import record_consents

    choices = {"profile": True, "contact": True, "cross_border": False, "marketing": False}
    record_consents(person, {**choices, **granted}, channel="registration")
