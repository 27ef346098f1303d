import pytest

from superconnector.directory.models import Participant
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from tests.factories import ParticipantFactory, answer_consents


@pytest.fixture
def event(document) -> Event:
    """bj-hk-2026 (Asia/Shanghai): Amy p1 (Harbour Law), Zhang Wei p2 and Li Na p4
    (Zhiyuan AI), Peter Ho p3 (Kowloon Bank); r1 p2→p1 accepted and scheduled 09:25 at T1,
    r2 p4→p3 pending, r3 p3→p1 accepted."""
    import_document(document)
    return Event.objects.get(slug="bj-hk-2026")


@pytest.fixture
def account(event, django_user_model):
    """account("p1") -> the user of that participant, made on first use."""

    def make(key: str):
        participant = Participant.objects.select_related("person").get(event=event, key=key)
        if participant.person.user_id:
            return participant.person.user
        user = django_user_model.objects.create_user(
            participant.person.email.lower(), "a-long-password", name=participant.person.name
        )
        participant.person.user = user
        participant.person.save()
        answer_consents(participant.person)
        return user

    return make


@pytest.fixture
def amy(account):
    return account("p1")


@pytest.fixture
def amy_client(client, amy):
    client.force_login(amy)
    return client


@pytest.fixture
def outsider_client(client, django_user_model):
    """Signed in as a participant of another event."""
    other = ParticipantFactory()
    user = django_user_model.objects.create_user("outsider@example.com", "a-long-password")
    other.person.user = user
    other.person.save()
    answer_consents(other.person)
    client.force_login(user)
    return client


def participant(event, key: str) -> Participant:
    return Participant.objects.select_related("person", "event_organisation").get(
        event=event, key=key
    )
