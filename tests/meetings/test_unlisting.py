"""When someone leaves the listings, what they had open closes at once (issue 12, finding 4):
pending requests are cancelled with a reason in the history, meetings still to come are
cancelled with a notice to the counterpart, and the freed place is offered as for a no-show.

The document: Amy p1 (Harbour Law), Zhang Wei p2 and Li Na p4 (Zhiyuan AI), Peter Ho p3
(Kowloon Bank); r1 p2→p1 accepted and scheduled 2026-12-08 09:25 at T1, r2 p4→p3 pending,
r3 p3→p1 accepted (not scheduled).
"""

import datetime as dt

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from superconnector.backoffice.domain.vetting import set_review_status
from superconnector.core.models import OutgoingMail, User
from superconnector.core.names import display_name
from superconnector.directory.models import EventOrganisation, Participant
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.matchmaking.models import MeetingSuggestion
from superconnector.meetings.domain.unlisting import withdraw_unlisted
from superconnector.meetings.models import Meeting, MeetingRequest, MeetingRequestChange
from superconnector.privacy.domain.consent import withdraw
from superconnector.privacy.domain.erasure import erase_person
from tests.factories import EventOrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

AFTER_EVENT = dt.datetime(2026, 12, 10, tzinfo=dt.UTC)


@pytest.fixture
def event(document) -> Event:
    import_document(document)
    return Event.objects.get(slug="bj-hk-2026")


def person(event, key: str) -> Participant:
    return Participant.objects.select_related("person").get(event=event, key=key)


def status(key: str) -> str:
    return MeetingRequest.objects.get(key=key).status


def unlisting_mail(to: Participant) -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(to=to.person.email, kind="request_unlisted"))


@pytest.fixture
def waiting(event):
    """Someone recommended to meet Zhang Wei, checked in and free: the freed place's taker."""
    candidate = ParticipantFactory(
        event=event,
        event_organisation=EventOrganisationFactory(event=event),
        checked_in_at=timezone.now(),
    )
    MeetingSuggestion.objects.create(
        event=event,
        participant=person(event, "p2"),
        suggested=candidate,
        score=0.8,
        rank=1,
        reasons=[],
    )
    return candidate


def assert_amy_left(event, waiting=None):
    """What must follow Amy (p1) leaving the listings, whatever the reason."""
    assert status("r1") == status("r3") == "cancelled"
    assert status("r2") == "pending"  # not hers
    for key in ("r1", "r3"):
        change = MeetingRequestChange.objects.filter(request__key=key).last()
        assert (change.to_status, change.source, change.note) == (
            "cancelled",
            "unlisted",
            "no longer available",
        )
    assert not Meeting.objects.filter(request__key="r1").exists()
    zhang, peter = person(event, "p2"), person(event, "p3")
    [to_zhang] = unlisting_mail(zhang)
    assert "09:25" in to_zhang.subject and "T1" in to_zhang.body
    [to_peter] = unlisting_mail(peter)
    # Peter chose no language and lists none; his bank writes in Traditional Chinese.
    with translation.override("zh-hant"):
        expected = _("An agreed meeting at %(event)s is cancelled") % {"event": display_name(event)}
    assert to_peter.subject == expected and "cancelled" not in to_peter.subject
    for mail in (to_zhang, to_peter):
        assert "Amy" not in mail.subject + mail.body  # the one who left is not named
    if waiting is not None:
        offered = Meeting.objects.get(seats__participant=waiting)
        assert offered.table == "T1" and offered.request.status == "accepted"
        assert set(offered.seats.values_list("participant__key", flat=True)) == {"p2", waiting.key}


def test_withdrawing_the_profile_consent_closes_requests_and_meetings(event, waiting):
    withdraw(person(event, "p1").person, "profile", channel="web")
    assert_amy_left(event, waiting)


def test_erasure_closes_them(event, waiting):
    erase_person(person(event, "p1").person)
    assert_amy_left(event, waiting)


def test_disabling_the_account_closes_them(event):
    amy = person(event, "p1")
    amy.person.user = User.objects.create_user("amy.leung@example.com", "a-long-password")
    amy.person.save()
    user = amy.person.user
    user.is_active = False
    user.save()  # as the admin's change form does
    assert_amy_left(event)


@pytest.mark.parametrize("status_to", ["hidden", "pending"])
def test_vetting_that_hides_or_reopens_an_organisation_closes_its_people(event, status_to):
    law = EventOrganisation.objects.get(event=event, key="harbour-law")
    assert set_review_status(event, [law.pk], status_to) == 1
    assert_amy_left(event)


def test_an_organisation_saved_unpublished_anywhere_closes_its_people(event):
    """The admin saves the row: the signal runs the same cascade."""
    zhiyuan = EventOrganisation.objects.get(event=event, key="zhiyuan")
    zhiyuan.review_status = "hidden"
    zhiyuan.save()
    assert status("r1") == status("r2") == "cancelled"
    [to_peter] = unlisting_mail(person(event, "p3"))
    # r2 was Li Na's request to Peter, told in his bank's language (he lists none)
    with translation.override("zh-hant"):
        expected = _("A meeting request to you at %(event)s is withdrawn") % {
            "event": display_name(event)
        }
    assert to_peter.subject == expected
    [to_amy] = unlisting_mail(person(event, "p1"))
    assert "Zhang" not in to_amy.body


def test_the_suggestions_naming_them_go_at_once(event, waiting):
    zhang = person(event, "p2")
    withdraw(waiting.person, "profile", channel="web")
    assert not MeetingSuggestion.objects.filter(suggested=waiting).exists()
    assert MeetingSuggestion.objects.filter(participant=zhang).count() == 0


def test_a_meeting_that_has_begun_stays(event):
    amy = person(event, "p1")
    began = dt.datetime(2026, 12, 8, 1, 30, tzinfo=dt.UTC)  # 09:30 Beijing: r1 is under way
    # The state is set without the save signal, so that the cascade runs at `began`.
    type(amy.person).objects.filter(pk=amy.person.pk).update(profile_hidden=True)
    report = withdraw_unlisted([amy], now=began)
    assert Meeting.objects.filter(request__key="r1").exists() and status("r1") == "accepted"
    assert report.closed == ["r3"]


def test_an_event_that_has_ended_is_left_alone(event):
    amy = person(event, "p1")
    type(amy.person).objects.filter(pk=amy.person.pk).update(profile_hidden=True)
    report = withdraw_unlisted([amy], now=AFTER_EVENT)
    assert report.closed == [] and status("r3") == "accepted"
    assert not OutgoingMail.objects.filter(kind="request_unlisted").exists()


def test_listed_people_are_left_alone_and_a_second_run_does_nothing(event):
    amy = person(event, "p1")
    assert withdraw_unlisted([amy]).closed == []  # she is listed
    withdraw(amy.person, "profile", channel="web")
    assert withdraw_unlisted([amy]).closed == []  # closed already by the withdrawal
    assert len(unlisting_mail(person(event, "p2"))) == 1


def test_a_freed_place_is_not_offered_to_someone_unlisted(event, waiting):
    """The no-show path offers places only to listed matches (may_schedule)."""
    from superconnector.meetings.domain.noshow import mark_absent

    type(waiting.person).objects.filter(pk=waiting.person_id).update(profile_hidden=True)
    report = mark_absent(person(event, "p1"))
    assert [place.request for place in report.freed] == ["r1"]
    assert report.offers == []
    assert not Meeting.objects.filter(seats__participant=waiting).exists()


def test_each_counterpart_is_told_in_their_own_language(event, monkeypatch):
    """The notice is written while the counterpart's language is active, as agenda mails
    are (the catalogues are filled later, so the active language is what is checked)."""
    from django.utils import translation

    from superconnector.meetings.domain import unlisting

    monkeypatch.setattr(unlisting, "_", lambda text: f"[{translation.get_language()}] {text}")
    zhang = person(event, "p2")
    zhang.person.user = User.objects.create_user("zhang.wei@example.com", locale="zh-hans")
    zhang.person.save()
    withdraw(person(event, "p1").person, "profile", channel="web")
    [to_zhang] = unlisting_mail(zhang)
    # No account and no languages listed: the language his bank writes in.
    [to_peter] = unlisting_mail(person(event, "p3"))
    assert to_zhang.subject.startswith("[zh-hans]") and to_zhang.body.startswith("[zh-hans]")
    assert to_peter.subject.startswith("[zh-hant]")
