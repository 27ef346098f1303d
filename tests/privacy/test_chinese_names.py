"""A person's Chinese name is personal data like their name: exported to them, erased with
them, and scrubbed from the mail others received about them."""

import pytest

from superconnector.core.models import OutgoingMail
from superconnector.directory.models import Participant, Person
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.privacy.domain.erasure import ERASED_NAME, erase_person, export_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhang(document):
    document["participants"][1]["name_zh"] = "张伟"
    import_document(document)
    return Participant.objects.select_related("person").get(key="p2").person


def test_the_self_service_export_holds_the_chinese_name(zhang):
    assert export_person(zhang)["person"]["name_zh"] == "张伟"


def test_erasure_clears_the_chinese_name_and_scrubs_it_from_others_mail(zhang):
    event = Event.objects.get()
    mail = OutgoingMail.objects.create(
        to="amy.leung@example.com", subject="张伟想与您会面", body="张伟（智元）", event=event
    )
    erase_person(zhang)
    assert Person.objects.get(pk=zhang.pk).name_zh == ""
    mail.refresh_from_db()
    assert "张伟" not in mail.subject + mail.body
    assert mail.subject == f"{ERASED_NAME}想与您会面"
