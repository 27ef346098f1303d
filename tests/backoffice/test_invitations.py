"""Bulk invitations: one mail per delegate who never signed in, each with a working link."""

import re

import pytest
from django.urls import reverse

from superconnector.core.models import OutgoingMail
from superconnector.directory.models import Participant

pytestmark = pytest.mark.django_db


def test_invitations_reach_those_who_never_signed_in_and_their_links_work(
    orga_client, event, django_user_model, django_capture_on_commit_callbacks
):
    from django.test import Client
    from django.utils import timezone

    url = reverse("backoffice:invitations", args=[event.slug])
    participants = list(Participant.objects.filter(event=event).select_related("person"))
    # One delegate has signed in before and is left out; one is absent.
    veteran = participants[0]
    user = django_user_model.objects.create_user(veteran.person.email.lower(), "a-long-password")
    user.last_login = timezone.now()
    user.save()
    veteran.person.user = user
    veteran.person.save()
    participants[1].absent = True
    participants[1].save()
    expected = {p.person.email for p in participants[2:]}

    page = orga_client.get(url)
    assert page.status_code == 200 and page.context["waiting"] == len(expected)
    # The button asks first, with the count; nothing is sent until it is confirmed.
    confirmation = orga_client.post(url)
    assert confirmation.status_code == 200 and not OutgoingMail.objects.exists()
    assert f"{len(expected)} invitations will be sent." in confirmation.text
    assert orga_client.post(url, {"confirm": "999"}).status_code == 200  # a stale count
    assert not OutgoingMail.objects.exists()
    # Confirmed: the mailing runs in the background (queued on commit; run here at once).
    with django_capture_on_commit_callbacks(execute=True):
        response = orga_client.post(url, {"confirm": str(len(expected))})
    assert response.status_code == 302
    mails = list(OutgoingMail.objects.all())
    assert {m.to for m in mails} == expected
    link = re.search(r"http://testserver(/accounts/sign-in/\S+)", mails[0].body)
    assert link, mails[0].body
    assert Client().get(link.group(1)).status_code == 200


def test_delegates_cannot_send_invitations(client, event, django_user_model):
    user = django_user_model.objects.create_user("someone@example.com", "a-long-password")
    client.force_login(user)
    url = reverse("backoffice:invitations", args=[event.slug])
    assert client.post(url, {"confirm": "4"}).status_code == 404
    assert not OutgoingMail.objects.exists()
