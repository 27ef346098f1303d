"""Consents, self-service export, erasure and the audit log; each defence can fail."""

import json

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from superconnector.core.models import OutgoingMail
from superconnector.directory.models import Participant
from superconnector.events.models import AuditEntry, Event
from superconnector.exchange.importer import import_document
from superconnector.meetings.models import Meeting, MeetingRequest
from superconnector.privacy.domain.consent import current_consents, record_consents, withdraw
from superconnector.privacy.domain.erasure import ERASED_NAME, erase_person, export_person
from superconnector.privacy.models import ConsentRecord
from tests.factories import answer_consents

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(document):
    import_document(document)
    return Event.objects.get(slug=document["event"]["slug"])


def sign_up(event, key, django_user_model):
    participant = Participant.objects.select_related("person").get(event=event, key=key)
    user = django_user_model.objects.create_user(participant.person.email.lower(), "pw-long-enough")
    participant.person.user = user
    participant.person.save()
    answer_consents(participant.person)
    return participant, user


def test_consents_are_separate_unticked_and_kept_with_version_time_and_channel(event):
    person = Participant.objects.get(event=event, key="p1").person
    assert current_consents(person) == dict.fromkeys(
        ["profile", "contact", "cross_border", "marketing"], False
    )
    record_consents(person, {"profile": True, "contact": True, "marketing": False}, channel="web")
    assert current_consents(person) == {
        "profile": True,
        "contact": True,
        "cross_border": False,
        "marketing": False,
    }
    record = ConsentRecord.objects.filter(person=person, purpose="profile").get()
    assert record.version and record.channel == "web" and record.recorded_at
    with pytest.raises(ValueError, match="unknown consent purposes: newsletter"):
        record_consents(person, {"newsletter": True}, channel="web")


def test_withdrawing_the_profile_consent_hides_the_person_at_once(event, client, django_user_model):
    amy, _ = sign_up(event, "p1", django_user_model)
    _viewer, viewer_user = sign_up(event, "p3", django_user_model)
    client.force_login(viewer_user)
    people = f"/events/{event.slug}/directory/?show=people"
    api = f"/api/v1/events/{event.slug}/participants"
    assert amy.person.name in client.get(people).text
    assert "p1" in {p["key"] for p in client.get(api).json()["items"]}
    record_consents(amy.person, {"profile": True}, channel="web")
    withdraw(amy.person, "profile", channel="web")
    assert amy.person.name not in client.get(people).text
    assert "p1" not in {p["key"] for p in client.get(api).json()["items"]}
    # The ledger keeps both answers.
    web = ConsentRecord.objects.filter(person=amy.person, channel="web")
    assert [c.granted for c in web] == [False, True]


def test_export_holds_everything_about_me_and_nothing_about_others(event):
    amy = Participant.objects.get(event=event, key="p1").person
    record_consents(amy, {"profile": True}, channel="web")
    data = json.loads(json.dumps(export_person(amy)))  # JSON-ready
    assert data["person"]["email"] == amy.email
    assert {p["event"] for p in data["participations"]} == {event.slug}
    assert data["meeting_requests"] and all(
        amy.name in (r["from"], r["to"]) for r in data["meeting_requests"]
    )
    assert data["consents"]["current"]["profile"] is True


def test_erasure_anonymises_everywhere_and_blocks_login(event, django_user_model):
    amy, user = sign_up(event, "p1", django_user_model)
    old_email = amy.person.email
    MeetingRequest.objects.filter(recipient=amy).update(message="Call me on +852 5555 0101")
    OutgoingMail.objects.create(to=old_email, subject="Hello Amy", body="Dear Amy Leung")
    client = Client()
    client.force_login(user)
    assert client.get(f"/events/{event.slug}/agenda/", secure=True).status_code == 200
    erase_person(amy.person, actor=None)

    amy.person.refresh_from_db()
    assert amy.person.name == ERASED_NAME and "example" not in amy.person.email
    assert amy.person.phone == "" and amy.person.erased_at is not None
    assert not MeetingRequest.objects.filter(message__contains="5555").exists()
    assert not OutgoingMail.objects.filter(to__iexact=old_email).exists()
    assert not OutgoingMail.objects.filter(body__contains="Amy Leung").exists()
    # The session in progress no longer counts, and the password no longer works.
    assert client.get(f"/events/{event.slug}/agenda/", secure=True).status_code == 302
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username=old_email, password="pw-long-enough") is None
    assert AuditEntry.objects.filter(action="erase", subject=f"person:{amy.person.pk}").exists()


def test_the_audit_log_cannot_be_edited_in_the_admin(admin_client, event):
    from superconnector.events.domain.audit import record_audit

    entry = record_audit(None, "export", "export:participants", event=event)
    assert admin_client.get("/admin/events/auditentry/").status_code == 200
    assert admin_client.get(f"/admin/events/auditentry/{entry.pk}/delete/").status_code == 403
    response = admin_client.post(
        f"/admin/events/auditentry/{entry.pk}/change/", {"action": "nothing"}
    )
    entry.refresh_from_db()
    assert entry.action == "export" and response.status_code in (200, 403)


def test_a_delegate_manages_consents_downloads_and_erases_from_my_data(event, django_user_model):
    amy, user = sign_up(event, "p1", django_user_model)
    client = Client()
    client.force_login(user)
    assert client.get("/accounts/my-data/", secure=True).status_code == 200
    client.post("/accounts/my-data/", {"profile": "on", "contact": "on"}, secure=True)
    assert current_consents(amy.person)["contact"] is True
    assert current_consents(amy.person)["marketing"] is False
    download = client.get("/accounts/my-data/download/", secure=True)
    assert download.json()["person"]["email"] == amy.person.email
    # Erasure needs a POST with the address typed in; a wrong one erases nothing.
    assert client.get("/accounts/my-data/erase/", secure=True).status_code == 405
    client.post("/accounts/my-data/erase/", {"confirm": "someone@else.com"}, secure=True)
    amy.person.refresh_from_db()
    assert amy.person.erased_at is None
    client.post("/accounts/my-data/erase/", {"confirm": user.email}, secure=True)
    amy.person.refresh_from_db()
    assert amy.person.erased_at is not None


def test_erasure_reaches_the_copies_that_name_her_in_others_records(event, django_user_model):
    from superconnector.backoffice.domain.imports import apply_import
    from superconnector.backoffice.uploads import stage_import
    from superconnector.exchange.models import StagedImport
    from superconnector.meetings.domain.publication import (
        count_affected,
        last_publication,
        publish_event_schedule,
    )
    from superconnector.meetings.models import MeetingRequestChange

    amy, _user = sign_up(event, "p1", django_user_model)
    name, email = amy.person.name, amy.person.email
    amy.person.phone = "+852 5555 0101"
    amy.person.save()
    zhang = Participant.objects.select_related("person").get(event=event, key="p2")
    publish_event_schedule(event, None)  # Zhang's published agenda names Amy
    assert name in json.dumps(last_publication(event).snapshot)
    written = OutgoingMail.objects.create(
        event=event,
        to=zhang.person.email,
        subject=f"Your meeting with {name}",
        body=f"{name} ({email}, +852 5555 0101) meets you at 09:25. Not {name}son, nor Li Nan.",
    )
    request = MeetingRequest.objects.filter(recipient=amy).first()
    MeetingRequestChange.objects.create(
        request=request, from_status="pending", to_status="declined", note=f"Sorry, {name}"
    )
    csv = f"Name,Email,Company\r\n{name},{email},Harbour Law\r\n".encode()
    applied = stage_import(event, None, "applied.csv", csv)
    apply_import(applied, None)
    stage_import(event, None, "waiting.csv", csv)

    erase_person(amy.person, actor=None)

    mail = OutgoingMail.objects.get(pk=written.pk)
    assert mail.subject == f"Your meeting with {ERASED_NAME}"
    assert name not in mail.body.replace(f"{name}son", "") and email not in mail.body
    assert "5555 0101" not in mail.body
    assert f"{name}son" in mail.body and "Li Nan" in mail.body  # other names are left alone
    snapshot = json.dumps(last_publication(event).snapshot, ensure_ascii=False)
    assert name not in snapshot and ERASED_NAME in snapshot
    # Her meeting still to come with Zhang is cancelled (she left the listings): the next
    # publication tells Zhang of that, and of nothing else (no false change from the scrub).
    assert count_affected(event) == 1
    assert not Meeting.objects.filter(request__recipient=amy).exists()
    assert not OutgoingMail.objects.filter(event=event, body__contains=name).exclude(
        body__contains=f"{name}son"
    )  # the publication's own mail to Zhang too
    assert not MeetingRequestChange.objects.filter(note__contains=name).exists()
    [kept] = StagedImport.objects.filter(event=event)  # the waiting one would bring her back
    assert kept.pk == applied.pk and bytes(kept.content) == b""
    assert email not in json.dumps(kept.report)


def test_after_erasure_search_and_exports_find_her_no_more(event, django_user_model, admin_client):
    amy, _user = sign_up(event, "p1", django_user_model)
    name, email = amy.person.name, amy.person.email
    _zhang, zhang_user = sign_up(event, "p2", django_user_model)
    client = Client()
    client.force_login(zhang_user)
    people = f"/events/{event.slug}/directory/?show=people&q=Amy"
    export = f"/orga/{event.slug}/exports/participants.csv"
    assert name in client.get(people, secure=True).text  # can fail: she is found before
    assert email in admin_client.get(export, secure=True).content.decode()

    erase_person(amy.person, actor=None)

    assert name not in client.get(people, secure=True).text
    exported = admin_client.get(export, secure=True).content.decode()
    assert name not in exported and email not in exported and ERASED_NAME in exported


def test_withdrawing_the_contact_consent_hides_email_and_phone_from_people_met(
    event, django_user_model
):
    from superconnector.privacy.models import Purpose

    amy, _ = sign_up(event, "p1", django_user_model)  # r1: Zhang Wei -> Amy, accepted
    amy.person.phone = "+852 5555 0101"
    amy.person.save()
    _zhang, zhang_user = sign_up(event, "p2", django_user_model)
    zhang = Client()
    zhang.force_login(zhang_user)
    base = f"/events/{event.slug}"

    def shown() -> dict[str, bool]:
        api = zhang.get(f"/api/v1/events/{event.slug}/participants/p1", secure=True).json()
        return {
            "business card": amy.person.email in zhang.get(f"{base}/agenda/", secure=True).text,
            "directory": amy.person.email
            in zhang.get(f"{base}/directory/?show=people&q=Amy", secure=True).text,
            "api e-mail": api["email"] == amy.person.email,
            "api phone": api["phone"] == "+852 5555 0101",
        }

    assert all(shown().values()), shown()  # granted at sign-up: shared after the meeting
    withdraw(amy.person, Purpose.CONTACT, channel="web")
    assert not any(shown().values()), shown()
    agenda = zhang.get(f"{base}/agenda/", secure=True).text
    assert "Has chosen not to share contact details." in agenda
    record_consents(amy.person, {Purpose.CONTACT: True}, channel="web")
    assert all(shown().values()), shown()


def test_the_participants_export_says_what_each_delegate_allowed(
    event, django_user_model, admin_client
):
    import csv
    import io

    from superconnector.privacy.models import Purpose

    amy, _ = sign_up(event, "p1", django_user_model)  # profile and contact: yes; others: no
    record_consents(amy.person, {Purpose.CROSS_BORDER: True}, channel="web")
    response = admin_client.get(f"/orga/{event.slug}/exports/participants.csv", secure=True)
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    consent = [f"consent_{purpose}" for purpose in Purpose.values]
    assert [rows["p1"][c] for c in consent] == ["yes", "yes", "yes", "no"]
    assert [rows["p3"][c] for c in consent] == ["", "", "", ""]  # never asked (imported)
