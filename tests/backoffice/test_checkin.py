import pytest
from django.urls import reverse

from superconnector.directory.domain.checkin import (
    badge_token,
    check_in,
    find_participants,
    participant_for_token,
    undo_check_in,
)
from superconnector.directory.models import Participant
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_badge_token_names_the_participant_and_cannot_be_forged(event):
    amy = Participant.objects.get(key="p1")
    token = badge_token(amy)
    assert participant_for_token(event, token) == amy
    assert participant_for_token(event, token[:-2] + "xx") is None
    body = token.rsplit(":", 1)[0]
    other = Participant.objects.get(key="p2")
    assert (
        participant_for_token(event, f"e{event.pk}p{other.pk}:" + token.rsplit(":", 1)[1]) is None
    )
    assert body == f"e{event.pk}p{amy.pk}"


def test_a_token_from_another_event_is_refused(event):
    stranger = ParticipantFactory()
    assert participant_for_token(event, badge_token(stranger)) is None


def test_find_by_name_organisation_email_or_token(event):
    amy = Participant.objects.get(key="p1")
    assert find_participants(event, "amy") == [amy]
    assert [p.key for p in find_participants(event, "zhiyuan")] == ["p4", "p2"]  # by name
    assert [p.key for p in find_participants(event, "智元")] == ["p4", "p2"]
    assert find_participants(event, "peter.ho@") == [Participant.objects.get(key="p3")]
    assert find_participants(event, badge_token(amy)) == [amy]
    assert find_participants(event, "  ") == []


def test_check_in_keeps_the_first_time_and_undo_clears_it(event):
    amy = Participant.objects.get(key="p1")
    amy.absent = True
    check_in(amy)
    first = amy.checked_in_at
    assert first is not None and amy.absent is False  # arriving ends a no-show mark
    check_in(amy)
    amy.refresh_from_db()
    assert amy.checked_in_at == first
    undo_check_in(amy)
    amy.refresh_from_db()
    assert amy.checked_in_at is None


def test_desk_checks_in_with_htmx_and_gets_the_row_back(orga_client, event):
    amy = Participant.objects.get(key="p1")
    url = reverse("backoffice:checkin-action", args=[event.slug, amy.pk])
    response = orga_client.post(url, {"action": "check_in"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tr class="checkin-row" id="participant-{amy.pk}">')
    assert "checked in" in response.text and "Undo check-in" in response.text
    amy.refresh_from_db()
    assert amy.checked_in_at is not None
    orga_client.post(url, {"action": "undo"})
    amy.refresh_from_db()
    assert amy.checked_in_at is None


def test_scanned_token_finds_the_delegate_on_the_page(orga_client, event):
    amy = Participant.objects.get(key="p1")
    response = orga_client.get(
        reverse("backoffice:checkin", args=[event.slug]),
        {"q": badge_token(amy)},
        headers={"HX-Request": "true"},
    )
    assert response.context["results"] == [amy]
    assert "Amy Leung" in response.text and "Zhang Wei" not in response.text


def test_badges_pdf(orga_client, event):
    response = orga_client.get(reverse("backoffice:badges", args=[event.slug]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    one = orga_client.get(
        reverse("backoffice:badges", args=[event.slug]),
        {"participant": Participant.objects.get(key="p2").pk},
    )
    assert one.content.startswith(b"%PDF") and len(one.content) < len(response.content)


def test_badges_pdf_embeds_the_cjk_font_for_chinese_names(event):
    from superconnector.backoffice.domain.badges import badges_pdf

    person = Participant.objects.select_related("person").get(key="p2").person
    person.name = "张伟"
    person.save()
    pdf = badges_pdf(
        event,
        Participant.objects.filter(key="p2").select_related(
            "person", "event_organisation__organisation"
        ),
    )
    # A TrueType subset embedded in the file (tests/backoffice/test_badge_font.py reads it).
    assert pdf.startswith(b"%PDF") and b"+DroidSansFallback" in pdf and b"/FontFile2" in pdf


def test_organisers_still_find_an_unlisted_delegate_marked_with_why(orga_client, event):
    """Other delegates no longer see Li Na (profile withdrawn, organisation set back to
    review); the organisers do, told why (directory/domain/visibility.py)."""
    from superconnector.directory.models import EventOrganisation, Person

    li = Participant.objects.get(key="p4")
    Person.objects.filter(pk=li.person_id).update(profile_hidden=True)
    EventOrganisation.objects.filter(pk=li.event_organisation_id).update(review_status="pending")
    response = orga_client.get(reverse("backoffice:checkin", args=[event.slug]), {"q": "Li Na"})
    assert "Li Na" in response.text
    assert "not listed" in response.text
    assert "organisation awaiting review, withdrew the profile consent" in response.text
    listed = orga_client.get(reverse("backoffice:checkin", args=[event.slug]), {"q": "Amy"})
    assert "not listed" not in listed.text
