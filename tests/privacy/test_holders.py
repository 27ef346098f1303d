"""Personal data held by the audience apps reaches erasure and retention through the
holders they register with privacy (privacy/holders.py), not through privacy importing them."""

import pytest

from superconnector.api.domain.tokens import issue_token
from superconnector.api.models import ApiToken
from superconnector.events.domain.access import add_organiser
from superconnector.privacy import holders
from superconnector.privacy.domain.erasure import erase_person
from superconnector.privacy.holders import PersonalDataHolder, register_holder
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_the_api_registers_what_it_holds():
    # Registered from its AppConfig.ready(): a holder that is not registered is personal
    # data that erasure and retention silently miss. (Uploads are exchange.StagedImport, in
    # a data app: privacy reads them directly.)
    assert {holder.name for holder in holders.registered_holders()} == {"api_tokens"}


def test_erasure_revokes_the_tokens_that_act_as_the_person(django_user_model):
    amy = ParticipantFactory()
    user = django_user_model.objects.create_user(amy.person.email, "a-long-password")
    amy.person.user = user
    amy.person.save()
    event = amy.event
    team = add_organiser(event, user)
    as_delegate = issue_token("phone", event=event, participant=amy)[0]
    issued_by_her = issue_token("script", event=event, team=team, issued_by=user)[0]
    someone_else = issue_token("other", event=event, participant=ParticipantFactory(event=event))[0]

    erase_person(amy.person)

    revoked = set(ApiToken.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True))
    assert revoked == {as_delegate.pk, issued_by_her.pk}
    assert someone_else.pk not in revoked


def test_a_holder_needs_a_name_and_registering_again_replaces_it(monkeypatch):
    monkeypatch.setattr(holders, "_holders", {})

    class Notes(PersonalDataHolder):
        name = "notes"

    with pytest.raises(ValueError):
        register_holder(PersonalDataHolder())
    first, second = Notes(), Notes()
    register_holder(first)
    register_holder(second)
    assert holders.registered_holders() == [second]
