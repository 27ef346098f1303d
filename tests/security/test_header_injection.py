"""Names reach mail headers (subjects, display names): line breaks and other control
characters are refused wherever a name is typed, and a name stored before that rule (or
written by a path that forgot it) can never make a mail fail for ever."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from superconnector.core.domain.mail import deliver
from superconnector.core.models import OutgoingMail
from superconnector.core.validators import single_line, validate_single_line
from superconnector.directory.models import Organisation, Person
from superconnector.events.models import Event
from superconnector.meetings.domain.requests import send_request
from tests.factories import EventFactory, ParticipantFactory

INJECTED = "Amy Leung\r\nBcc: everyone@example.com"


@pytest.mark.parametrize(
    "value", ["a\rb", "a\nb", "a\r\nb", "a\tb", "a\x00b", "a\x0bb", "a\x85b", "a\u2028b"]
)
def test_the_validator_refuses_line_breaks_and_control_characters(value):
    with pytest.raises(ValidationError, match="must be on one line"):
        validate_single_line(value)


@pytest.mark.parametrize(
    "value", ["Amy Leung", "梁愛美", "Zhiyuan AI (智元)", "O'Brien & Co. 🚀", ""]
)
def test_the_validator_lets_ordinary_names_through(value):
    assert validate_single_line(value) is None  # it raises ValidationError to refuse


def test_single_line_replaces_control_characters_for_composing_headers():
    assert single_line(INJECTED) == "Amy Leung Bcc: everyone@example.com"
    assert single_line("a@example.com\r\n", "") == "a@example.com"


# --- Every form that takes a name --------------------------------------------------------


@pytest.mark.django_db
def test_the_portal_profile_refuses_a_line_break_in_the_organisation_names(
    client, django_user_model
):
    participant = ParticipantFactory(event_organisation__review_status="published")
    user = django_user_model.objects.create_user(participant.person.email, "a-long-password")
    participant.person.user = user
    participant.person.save()
    from tests.factories import answer_consents

    answer_consents(participant.person)
    client.force_login(user)
    organisation = participant.event_organisation.organisation
    form = {"name": INJECTED, "name_zh": "海港\n律師", "kind": "enterprise", "language": ""}

    response = client.post(f"/events/{participant.event.slug}/profile/", form)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == [
        "Name must be on one line: line breaks and other control characters are not allowed."
    ]
    assert errors["name_zh"] == [
        "Chinese name must be on one line: line breaks and other control characters are not allowed."
    ]
    organisation.refresh_from_db()
    assert "\n" not in organisation.name


@pytest.mark.django_db
def test_the_back_office_refuses_a_line_break_in_the_event_name(client, django_user_model):
    from superconnector.events.domain.access import add_organiser

    event = EventFactory()
    organiser = django_user_model.objects.create_user("orga@example.com", "a-long-password")
    add_organiser(event, organiser)
    client.force_login(organiser)
    form = {
        "name": "Expo\r\nBcc: everyone@example.com",
        "venue": "Hall\n1",
        "timezone": event.timezone,
        "starts_on": "2026-12-08",
        "ends_on": "2026-12-09",
        "max_pending_requests": 20,
    }

    response = client.post(reverse("backoffice:event-edit", args=[event.slug]), form)

    assert response.status_code == 200
    assert "Name must be on one line" in response.text
    assert "Venue must be on one line" in response.text
    event.refresh_from_db()
    assert "\n" not in event.name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "model"),
    [("/admin/directory/person/{pk}/change/", Person), ("/admin/core/user/{pk}/change/", None)],
)
def test_the_admin_refuses_a_line_break_in_a_name(admin_client, url, model, django_user_model):
    if model is Person:
        record = ParticipantFactory().person
        form = {"email": record.email, "name": INJECTED, "languages": "[]"}
    else:
        record = django_user_model.objects.create_user("amy@example.com", None)
        form = {
            "email": record.email,
            "name": INJECTED,
            "is_active": "on",
            "date_joined_0": "2026-12-01",
            "date_joined_1": "10:00",
        }

    response = admin_client.post(url.format(pk=record.pk), form)

    assert response.status_code == 200, response.get("Location")
    assert "Name must be on one line" in response.text
    record.refresh_from_db()
    assert record.name != INJECTED


@pytest.mark.django_db
def test_the_admin_refuses_a_line_break_in_an_organisation_or_event_name(admin_client):
    organisation = ParticipantFactory().event_organisation.organisation
    response = admin_client.post(
        f"/admin/directory/organisation/{organisation.pk}/change/",
        {"name": "Harbour\nLaw", "kind": "enterprise", "language": "en", "sectors": "[]"},
    )
    assert response.status_code == 200 and "Name must be on one line" in response.text
    event = EventFactory()
    response = admin_client.post(
        f"/admin/events/event/{event.pk}/change/",
        {
            "slug": event.slug,
            "name": "Expo\rBcc: x@example.com",
            "timezone": event.timezone,
            "starts_on": "2026-12-08",
            "ends_on": "2026-12-09",
            "max_pending_requests": 20,
            "retention_days": 180,
        },
    )
    assert response.status_code == 200 and "Name must be on one line" in response.text
    assert not Organisation.objects.filter(name__contains="\n").exists()
    assert not Event.objects.filter(name__contains="\r").exists()


# --- The last guard: composing and sending ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_stored_name_with_a_line_break_still_gets_its_mail_sent():
    sender, recipient = ParticipantFactory(), None
    recipient = ParticipantFactory(event=sender.event)
    # Written straight to the database, as an old import or a forgetful path could have.
    Person.objects.filter(pk=sender.person.pk).update(name=INJECTED)
    sender.person.refresh_from_db()

    with transaction.atomic():
        send_request(sender, recipient)

    sent = OutgoingMail.objects.get(kind="request_received")
    assert sent.status == OutgoingMail.Status.SENT, sent.last_error
    assert [m.subject for m in mail.outbox] == [
        "Amy Leung Bcc: everyone@example.com would like to meet you"
    ]
    assert mail.outbox[0].recipients() == [recipient.person.email]


@pytest.mark.django_db
def test_a_mail_queued_with_a_line_break_in_its_subject_is_sent_not_retried_for_ever():
    queued = OutgoingMail.objects.create(
        to="amy@example.com\r\n", subject="Your agenda for Expo\r\nBcc: x@example.com", body="…"
    )

    assert deliver(queued.pk) is True

    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT and queued.last_error == ""
    assert mail.outbox[0].subject == "Your agenda for Expo Bcc: x@example.com"
    assert mail.outbox[0].to == ["amy@example.com"]


# --- The API's write bodies --------------------------------------------------------------

# Free text that goes into a mail's body, where line breaks belong. Every other string a
# body takes must be OneLine: a new field fails here until someone decides which it is.
MULTI_LINE_BODY_FIELDS = {("MeetingRequestIn", "message"), ("DeclineIn", "reason")}


def _body_schemas():
    from superconnector.api import schemas

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return list(walk(schemas.BodyIn))


def test_every_string_an_api_body_takes_is_one_line_or_declared_free_text():
    from superconnector.api.schemas import _one_line

    found = []
    for schema in _body_schemas():
        for name, field in schema.model_fields.items():
            if field.annotation is not str or (schema.__name__, name) in MULTI_LINE_BODY_FIELDS:
                continue
            validators = [getattr(m, "func", None) for m in field.metadata]
            found.append((schema.__name__, name, _one_line in validators))
    assert found and all(one_line for _, _, one_line in found), found


@pytest.mark.django_db
def test_the_api_refuses_a_line_break_in_a_one_line_field_naming_it():
    from superconnector.api.domain.tokens import issue_token
    from tests.api.conftest import ApiClient

    sender = ParticipantFactory()
    token = issue_token("amy", event=sender.event, participant=sender)[1]
    response = ApiClient(token).post(
        f"/events/{sender.event.slug}/meeting-requests", {"recipient": "p-1\r\nBcc: x@example.com"}
    )
    assert response.status_code == 422
    body = response.json()
    assert "recipient" in str(body) and "one line" in str(body), body
