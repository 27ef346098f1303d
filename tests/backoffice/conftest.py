import pytest

from superconnector.directory.models import Participant
from superconnector.events.domain.access import add_organiser
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document


@pytest.fixture
def event(document, django_user_model) -> Event:
    import_document(document)
    return Event.objects.get(slug="bj-hk-2026")


@pytest.fixture
def organiser(event, django_user_model):
    user = django_user_model.objects.create_user("orga@example.com", "a-long-password")
    add_organiser(event, user)
    return user


@pytest.fixture
def delegate(event, django_user_model):
    """Amy Leung (p1), a delegate of the event with an account: not an organiser."""
    user = django_user_model.objects.create_user("amy.leung@example.com", "a-long-password")
    participant = Participant.objects.select_related("person").get(event=event, key="p1")
    participant.person.user = user
    participant.person.save()
    return user


@pytest.fixture
def orga_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def delegate_client(client, delegate):
    client.force_login(delegate)
    return client
