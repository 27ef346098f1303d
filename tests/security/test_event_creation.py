"""Creating events is a platform right that staff grant, not every team member's (issue 12,
finding 3: a check-in volunteer created an event and held every right in it)."""

import pytest
from django.urls import reverse

from superconnector.events.domain.access import add_organiser
from superconnector.events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

NEW_EVENT = {
    "slug": "volunteer-fair",
    "name": "Volunteer Fair",
    "timezone": "Asia/Hong_Kong",
    "starts_on": "2027-03-01",
    "ends_on": "2027-03-02",
    "max_pending_requests": 5,
}


@pytest.fixture
def event():
    return EventFactory()


def _member(django_user_model, event, email, rights):
    user = django_user_model.objects.create_user(email, "a-long-password")
    add_organiser(event, user, rights, team_name=email)
    return user


@pytest.mark.parametrize("rights", [{"check_in"}, {"view"}, {"view", "edit", "teams"}])
def test_team_members_without_the_grant_cannot_create_events(
    client, django_user_model, event, rights
):
    member = _member(django_user_model, event, "volunteer@example.com", rights)
    client.force_login(member)
    page = client.get(reverse("backoffice:event-create"))
    assert page.status_code == 403
    assert "create events" in page.text
    response = client.post(reverse("backoffice:event-create"), NEW_EVENT)
    assert response.status_code == 403
    assert not Event.objects.filter(slug="volunteer-fair").exists()
    # The event list does not offer what the page refuses.
    listing = client.get(reverse("backoffice:events"))
    assert listing.status_code == 200
    assert reverse("backoffice:event-create") not in listing.text


def test_people_without_a_team_still_get_a_404(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody@example.com", "pw-123456"))
    assert client.get(reverse("backoffice:event-create")).status_code == 404
    assert client.post(reverse("backoffice:event-create"), NEW_EVENT).status_code == 404
    assert not Event.objects.filter(slug="volunteer-fair").exists()


@pytest.mark.parametrize("who", ["granted", "staff"])
def test_granted_users_and_staff_create_events(client, django_user_model, who):
    extra = {"can_create_events": True} if who == "granted" else {"is_staff": True}
    user = django_user_model.objects.create_user(f"{who}@example.com", "pw-123456", **extra)
    client.force_login(user)
    listing = client.get(reverse("backoffice:events"))
    assert reverse("backoffice:event-create") in listing.text
    response = client.post(reverse("backoffice:event-create"), NEW_EVENT)
    assert response.status_code == 302
    created = Event.objects.get(slug="volunteer-fair")
    assert created.teams.filter(members=user).exists()


def test_the_right_is_granted_in_the_admin_and_written_to_the_audit_log(client, django_user_model):
    from superconnector.events.models import AuditEntry

    staff = django_user_model.objects.create_user(
        "staff@example.com", "pw-123456", is_staff=True, is_superuser=True
    )
    volunteer = django_user_model.objects.create_user("volunteer@example.com", "pw-123456")
    client.force_login(staff)
    url = reverse("admin:core_user_change", args=[volunteer.pk])
    form = {
        "email": volunteer.email,
        "name": "",
        "locale": "",
        "is_active": "on",
        "can_create_events": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    volunteer.refresh_from_db()
    assert volunteer.can_create_events
    grant = AuditEntry.objects.get(action="grant")
    assert grant.actor == staff and grant.subject == f"user:{volunteer.pk}"
    assert grant.detail == {"right": "create_events", "user": "volunteer@example.com"}
    # Saving again without a change logs nothing; withdrawing does.
    client.post(url, form)
    assert AuditEntry.objects.filter(action__in=["grant", "revoke"]).count() == 1
    client.post(url, {k: v for k, v in form.items() if k != "can_create_events"})
    volunteer.refresh_from_db()
    assert not volunteer.can_create_events
    assert AuditEntry.objects.filter(action="revoke", subject=f"user:{volunteer.pk}").exists()


def test_creating_an_event_is_logged(client, django_user_model):
    from superconnector.events.models import AuditEntry

    user = django_user_model.objects.create_user("maker@example.com", "pw-123456")
    user.can_create_events = True
    user.save()
    client.force_login(user)
    assert client.post(reverse("backoffice:event-create"), NEW_EVENT).status_code == 302
    entry = AuditEntry.objects.get(action="create")
    assert entry.event.slug == "volunteer-fair" and entry.actor == user


def test_people_who_may_create_events_need_the_second_factor(django_user_model):
    from superconnector.core.domain.totp import requires_two_factor

    user = django_user_model.objects.create_user("maker@example.com", "pw-123456")
    assert not requires_two_factor(user)
    user.can_create_events = True
    assert requires_two_factor(user)
