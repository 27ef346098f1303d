"""factory_boy factories, one for every concrete model of Superconnector's apps.

Each builds a consistent, valid object graph: `FooFactory()` saves a `Foo` whose related
rows belong to the same event, and `full_clean()` passes on it (tests/test_factories.py
checks both, and fails when a model has no factory here). Pass fields to override them,
and `event=` to put the whole graph in one event.

Models are named by class name, not by import path or app label (`ModelFactory`), so a
model moving to another app (as AuditEntry, SchedulePublication and StagedImport do)
needs no change here. For whole worlds of related objects, see tests/scenario.py.
"""

import datetime as dt
import hashlib

import factory
from django.apps import apps
from django.utils import timezone
from factory.django import DjangoModelFactory, DjangoOptions, Password

from superconnector.events.domain.slots import sync_slots
from superconnector.privacy.domain.consent import record_consents

APP_PREFIX = "superconnector."
WHEN = dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)  # 09:00 in Hong Kong, the first day


def superconnector_models() -> list:
    """Every concrete model of Superconnector's own apps, from the app registry."""
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith(APP_PREFIX)
        for model in config.get_models()
        if not model._meta.abstract and not model._meta.proxy
    ]


def model_named(name: str):
    """The model whose class is called `name`, in whichever of our apps it lives."""
    found = [model for model in superconnector_models() if model.__name__ == name]
    if len(found) != 1:
        raise LookupError(f"{len(found)} models named {name!r} in Superconnector's apps")
    return found[0]


class ModelOptions(DjangoOptions):
    def get_model_class(self):
        if isinstance(self.model, str) and "." not in self.model:
            self.model = model_named(self.model)
        return super().get_model_class()


class ModelFactory(DjangoModelFactory):
    """A factory whose `Meta.model` may be a bare class name ("AuditEntry")."""

    _options_class = ModelOptions

    class Meta:
        abstract = True


def digest(n: int) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


# --- core -------------------------------------------------------------------------------------


class UserFactory(ModelFactory):
    class Meta:
        model = "User"

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = Password("a-long-password")


class OutgoingMailFactory(ModelFactory):
    class Meta:
        model = "OutgoingMail"

    to = factory.Sequence(lambda n: f"recipient{n}@example.com")
    subject = "Your agenda"
    body = "See you at table T1."
    kind = "agenda"


class ScheduleDraftFactory(ModelFactory):
    """A re-planned schedule kept aside after publication, already decided (a pending one
    would be offered for applying)."""

    class Meta:
        model = "ScheduleDraft"

    event = factory.SubFactory("tests.factories.EventFactory")
    status = "discarded"
    basis = "0" * 64


class BulkMailingFactory(ModelFactory):
    """A finished mailing (an active one would block the event's next, as in production)."""

    class Meta:
        model = "BulkMailing"

    event = factory.SubFactory("tests.factories.EventFactory")
    kind = "invitations"
    status = "done"
    progress = 1.0
    stats = factory.LazyFunction(lambda: {"total": 0, "sent": 0, "left_out": [], "failed": []})


class SignInLinkFactory(ModelFactory):
    class Meta:
        model = "SignInLink"

    user = factory.SubFactory(UserFactory)
    token_hash = factory.Sequence(digest)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=1))


class EmailChangeLinkFactory(ModelFactory):
    class Meta:
        model = "EmailChangeLink"

    user = factory.SubFactory(UserFactory)
    token_hash = factory.Sequence(lambda n: digest(-n - 1))
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=1))
    new_email = factory.Sequence(lambda n: f"new{n}@example.com")


class ThrottleCountFactory(ModelFactory):
    class Meta:
        model = "ThrottleCount"

    key = factory.Sequence(lambda n: f"test:{n}")
    count = 1
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(minutes=15))


class TotpDeviceFactory(ModelFactory):
    class Meta:
        model = "TotpDevice"

    user = factory.SubFactory(UserFactory)
    secret = "JBSWY3DPEHPK3PXP"


class RecoveryCodeFactory(ModelFactory):
    class Meta:
        model = "RecoveryCode"

    user = factory.SubFactory(UserFactory)
    code_hash = factory.Sequence(digest)


# --- events -----------------------------------------------------------------------------------


class EventFactory(ModelFactory):
    class Meta:
        model = "Event"

    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Sequence(lambda n: f"Event {n}")
    timezone = "Asia/Hong_Kong"
    starts_on = dt.date(2026, 12, 8)
    ends_on = dt.date(2026, 12, 9)


class MeetingSessionFactory(ModelFactory):
    """A morning session on 8 December 2026 (the default event's first day); its slots are
    made with it."""

    class Meta:
        model = "MeetingSession"
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


class SlotFactory(ModelFactory):
    """One of its session's slots (the session makes them all; this picks the first)."""

    class Meta:
        model = "Slot"
        django_get_or_create = ("session", "index")

    session = factory.SubFactory(MeetingSessionFactory)
    index = 0
    starts_at = WHEN
    ends_at = WHEN + dt.timedelta(minutes=20)


class TeamFactory(ModelFactory):
    class Meta:
        model = "Team"

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


# --- directory --------------------------------------------------------------------------------


class OrganisationFactory(ModelFactory):
    class Meta:
        model = "Organisation"

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "enterprise"
    region = "Hong Kong"
    language = "en"


class EventOrganisationFactory(ModelFactory):
    class Meta:
        model = "EventOrganisation"

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    key = factory.Sequence(lambda n: f"org-{n}")


class PersonFactory(ModelFactory):
    class Meta:
        model = "Person"

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.com")


class OrganisationOwnerFactory(ModelFactory):
    class Meta:
        model = "OrganisationOwner"

    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(PersonFactory)
    note = "Founder; the firm has no website"


class ParticipantFactory(ModelFactory):
    class Meta:
        model = "Participant"

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    event_organisation = factory.SubFactory(
        EventOrganisationFactory, event=factory.SelfAttribute("..event")
    )
    key = factory.Sequence(lambda n: f"p-{n}")


class OpportunityFactory(ModelFactory):
    class Meta:
        model = "Opportunity"

    event = factory.SubFactory(EventFactory)
    event_organisation = factory.SubFactory(
        EventOrganisationFactory, event=factory.SelfAttribute("..event")
    )
    key = factory.Sequence(lambda n: f"o-{n}")
    direction = "offer"
    category = "professional_service"
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    language = "en"


class ProposedChangeFactory(ModelFactory):
    """Another event's import proposing a new region for an organisation."""

    class Meta:
        model = "ProposedChange"

    organisation = factory.SubFactory(OrganisationFactory)
    field = "region"
    old_value = factory.SelfAttribute("organisation.region")
    proposed_value = "Macau"
    event = factory.SubFactory(EventFactory)
    source = "import"


# --- meetings ---------------------------------------------------------------------------------


class MeetingRequestFactory(ModelFactory):
    class Meta:
        model = "MeetingRequest"

    event = factory.SubFactory(EventFactory)
    key = factory.Sequence(lambda n: f"r-{n}")
    sender = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    recipient = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    sender_organisation = factory.SelfAttribute("sender.event_organisation")
    recipient_organisation = factory.SelfAttribute("recipient.event_organisation")
    status = "accepted"


class MeetingRequestChangeFactory(ModelFactory):
    class Meta:
        model = "MeetingRequestChange"

    request = factory.SubFactory(MeetingRequestFactory)
    from_status = "pending"
    to_status = "accepted"


class BlockFactory(ModelFactory):
    class Meta:
        model = "Block"

    event = factory.SubFactory(EventFactory)
    blocker = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    blocked = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))


class MeetingFactory(ModelFactory):
    """An accepted request placed in the first slot of a session of its event."""

    class Meta:
        model = "Meeting"

    event = factory.SubFactory(EventFactory)
    request = factory.SubFactory(MeetingRequestFactory, event=factory.SelfAttribute("..event"))
    slot = factory.SubFactory(SlotFactory, session__event=factory.SelfAttribute("...event"))
    table = factory.Sequence(lambda n: f"T{n}")


class MeetingSeatFactory(ModelFactory):
    """The sender's seat at a meeting (pass `participant=` for the recipient's)."""

    class Meta:
        model = "MeetingSeat"

    meeting = factory.SubFactory(MeetingFactory)
    participant = factory.SelfAttribute("meeting.request.sender")
    slot = factory.SelfAttribute("meeting.slot")


class MeetingOutcomeFactory(ModelFactory):
    class Meta:
        model = "MeetingOutcome"

    meeting = factory.SubFactory(MeetingFactory)
    reported_by = factory.SelfAttribute("meeting.request.sender")
    kind = "follow_up"


class AvailabilityFactory(ModelFactory):
    class Meta:
        model = "Availability"

    participant = factory.SubFactory(ParticipantFactory)
    all_sessions = True


class UnavailableBlockFactory(ModelFactory):
    class Meta:
        model = "UnavailableBlock"

    availability = factory.SubFactory(AvailabilityFactory)
    starts_at = WHEN
    ends_at = WHEN + dt.timedelta(minutes=30)


class SchedulingRunFactory(ModelFactory):
    """A finished run (an active one would block the event's next, as in production)."""

    class Meta:
        model = "SchedulingRun"

    event = factory.SubFactory(EventFactory)
    status = "done"
    progress = 1.0


class SchedulePublicationFactory(ModelFactory):
    class Meta:
        model = "SchedulePublication"

    event = factory.SubFactory(EventFactory)
    published_at = factory.LazyFunction(timezone.now)


# --- matchmaking ------------------------------------------------------------------------------


class MatchingRunFactory(ModelFactory):
    """A finished run (an active one would block the event's next, as in production)."""

    class Meta:
        model = "MatchingRun"

    event = factory.SubFactory(EventFactory)
    status = "done"
    progress = 1.0


class EmbeddingRecordFactory(ModelFactory):
    class Meta:
        model = "EmbeddingRecord"

    model = "test-model"
    role = "passage"
    text_hash = factory.Sequence(digest)
    dim = 4
    vector = bytes(16)  # four float32 zeros


class OpportunityMatchFactory(ModelFactory):
    class Meta:
        model = "OpportunityMatch"

    event = factory.SubFactory(EventFactory)
    need = factory.SubFactory(
        OpportunityFactory, event=factory.SelfAttribute("..event"), direction="need"
    )
    offer = factory.SubFactory(OpportunityFactory, event=factory.SelfAttribute("..event"))
    score = 0.8
    rank_for_need = 1
    rank_for_offer = 1


class OrganisationMatchFactory(ModelFactory):
    class Meta:
        model = "OrganisationMatch"

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(
        EventOrganisationFactory, event=factory.SelfAttribute("..event")
    )
    partner = factory.SubFactory(EventOrganisationFactory, event=factory.SelfAttribute("..event"))
    score = 0.8
    rank = 1


class MeetingSuggestionFactory(ModelFactory):
    class Meta:
        model = "MeetingSuggestion"

    event = factory.SubFactory(EventFactory)
    participant = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    suggested = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    score = 0.8
    rank = 1


class FeedbackFactory(ModelFactory):
    """A delegate's verdict on an opportunity of their event."""

    class Meta:
        model = "Feedback"

    event = factory.SubFactory(EventFactory)
    participant = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    opportunity = factory.SubFactory(OpportunityFactory, event=factory.SelfAttribute("..event"))
    verdict = "not_relevant"


# --- exchange (staged imports) ----------------------------------------------------------------


class StagedImportFactory(ModelFactory):
    class Meta:
        model = "StagedImport"

    event = factory.SubFactory(EventFactory)
    filename = "delegates.csv"
    kind = "spreadsheet"
    content = b"name,email\nAmy Leung,amy@example.com\n"
    digest = factory.LazyAttribute(lambda staged: hashlib.sha256(staged.content).hexdigest())
    size = factory.LazyAttribute(lambda staged: len(staged.content))


# --- api --------------------------------------------------------------------------------------


class ApiTokenFactory(ModelFactory):
    """A delegate's token (only its hash is stored; use issue_token for a usable one)."""

    class Meta:
        model = "ApiToken"

    name = "test token"
    token_hash = factory.Sequence(digest)
    prefix = factory.LazyAttribute(lambda token: token.token_hash[:8])
    event = factory.SubFactory(EventFactory)
    participant = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))


# --- privacy ----------------------------------------------------------------------------------


class ConsentRecordFactory(ModelFactory):
    class Meta:
        model = "ConsentRecord"

    person = factory.SubFactory(PersonFactory)
    purpose = "profile"
    granted = True
    version = "1"
    channel = "registration"


class AuditEntryFactory(ModelFactory):
    """An organiser viewing a delegate (the system's own entries have no actor)."""

    class Meta:
        model = "AuditEntry"

    actor = factory.SubFactory(UserFactory)
    actor_label = factory.SelfAttribute("actor.email")
    action = "view"
    event = factory.SubFactory(EventFactory)
    subject = "participant:p1"


class EventPurgeFactory(ModelFactory):
    class Meta:
        model = "EventPurge"

    event = factory.SubFactory(EventFactory)
    purged_at = factory.LazyFunction(timezone.now)


def answer_consents(person, **granted: bool) -> None:
    """The registration consent step, as a delegate who allows profile and contact sharing
    (the portal asks before anything else until the current texts are answered)."""
    choices = {"profile": True, "contact": True, "cross_border": False, "marketing": False}
    record_consents(person, {**choices, **granted}, channel="registration")
