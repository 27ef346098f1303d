import pytest

from superconnector.exchange.importer import import_document

pytestmark = pytest.mark.django_db


def test_home_lists_events(client, document):
    import_document(document)
    response = client.get("/")
    assert response.status_code == 200
    assert "Beijing-Hong Kong Seminar" in response.text
    assert "京港研讨会" in response.text


def test_event_page_shows_figures(client, document, django_assert_max_num_queries):
    import_document(document)
    with django_assert_max_num_queries(12):
        response = client.get("/events/bj-hk-2026/")
    assert response.status_code == 200
    assert "Meeting sessions" in response.text
    assert "Professional service provider" in response.text  # labels, not codes
    assert "繁體中文" in response.text


def test_event_page_leads_each_visitor_to_their_next_step(client, document, django_user_model):
    from superconnector.directory.models import Participant

    import_document(document)
    anonymous = client.get("/events/bj-hk-2026/").text
    assert "/accounts/login/?next=/events/bj-hk-2026/" in anonymous
    assert "/orga/" not in anonymous
    participant = Participant.objects.filter(event__slug="bj-hk-2026").first()
    user = django_user_model.objects.create_user(participant.person.email, "a-long-password")
    participant.person.user = user
    participant.person.save()
    client.force_login(user)
    delegate = client.get("/events/bj-hk-2026/").text
    assert "/events/bj-hk-2026/recommendations/" in delegate
    assert "/orga/bj-hk-2026/" not in delegate
    user.is_staff = True
    user.save()
    assert "/orga/bj-hk-2026/" in client.get("/events/bj-hk-2026/").text


def test_unknown_event_is_404(client):
    assert client.get("/events/nope/").status_code == 404


def test_login_page_and_sign_in(client, django_user_model):
    django_user_model.objects.create_user("amy@example.com", "a-long-password")
    assert client.get("/accounts/login/").status_code == 200
    response = client.post(
        "/accounts/login/", {"username": "amy@example.com", "password": "a-long-password"}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated


def test_language_switch_changes_the_interface(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.text


def test_admin_lists_render_for_staff(admin_client, document):
    import_document(document)
    for path in [
        "/admin/directory/participant/",
        "/admin/directory/opportunity/",
        "/admin/meetings/meetingrequest/",
        "/admin/meetings/meeting/",
        "/admin/events/meetingsession/",
        "/admin/directory/organisation/",
    ]:
        assert admin_client.get(path).status_code == 200, path
    assert admin_client.get("/admin/directory/participant/?q=Amy").status_code == 200


def test_the_public_page_counts_only_who_other_delegates_may_see(client, document):
    """An organisation awaiting review, and a person who withdrew the profile consent, are
    not listed (directory/domain/visibility.py): the public figures leave them out too."""
    from superconnector.directory.models import (
        EventOrganisation,
        Opportunity,
        Participant,
        Person,
        ReviewStatus,
    )
    from superconnector.events.models import Event
    from superconnector.meetings.domain.summary import summarise_event

    import_document(document)
    event = Event.objects.get(slug="bj-hk-2026")
    everyone = summarise_event(event)
    link = EventOrganisation.objects.filter(event=event).first()
    EventOrganisation.objects.filter(pk=link.pk).update(review_status=ReviewStatus.PENDING)
    outsider = Participant.objects.filter(event=event).exclude(event_organisation=link).first()
    Person.objects.filter(pk=outsider.person_id).update(profile_hidden=True)

    public = summarise_event(event, listed_only=True)
    assert public.organisations == everyone.organisations - 1
    assert public.participants == everyone.participants - 1 - link.participants.count()
    assert (
        public.opportunities
        == everyone.opportunities - Opportunity.objects.filter(event_organisation=link).count()
    )
    assert summarise_event(event) == everyone  # organisers still see every record
    response = client.get("/events/bj-hk-2026/")
    assert response.context["summary"].participants == public.participants
