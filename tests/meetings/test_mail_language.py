"""Mails that lead somewhere (issue 14, deliverable 5): each notification is written in
its reader's language, links to the page where they act, and gives times with their zone."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from superconnector.core.models import OutgoingMail, User
from superconnector.directory.domain.languages import reading_language
from superconnector.events.domain.times import event_time_text, utc_offset_text
from superconnector.meetings.domain.requests import (
    accept_request,
    cancel_request,
    decline_request,
    send_request,
)
from tests.factories import (
    EventFactory,
    EventOrganisationFactory,
    OrganisationFactory,
    ParticipantFactory,
    PersonFactory,
    answer_consents,
)

pytestmark = pytest.mark.django_db


def delegate(event, *, locale="", languages=(), org_language="en"):
    person = PersonFactory(languages=list(languages))
    if locale:
        person.user = User.objects.create_user(person.email, locale=locale)
        person.save()
    organisation = OrganisationFactory(language=org_language)
    return ParticipantFactory(
        event=event,
        person=person,
        event_organisation=EventOrganisationFactory(event=event, organisation=organisation),
    )


def in_language(code, text, **values):
    with translation.override(code):
        return _(text) % values


@pytest.mark.parametrize(
    ("locale", "languages", "org_language", "expected"),
    [
        ("zh-hant", ["en"], "en", "zh-hant"),  # the account's choice first
        ("", ["zh", "en"], "en", "zh-hans"),  # then the languages spoken, in order
        ("", ["en", "zh"], "zh-Hans", "en"),
        ("", ["yue", "en"], "en", "zh-hant"),  # Cantonese reads Traditional
        ("", ["zh"], "zh-Hant", "zh-hant"),  # Chinese in the organisation's script
        ("", ["fr"], "zh-Hans", "zh-hans"),  # none we write: the organisation's language
        ("", [], "en", "en"),
    ],
)
def test_the_reading_language_rule(locale, languages, org_language, expected):
    participant = delegate(
        EventFactory(), locale=locale, languages=languages, org_language=org_language
    )
    assert reading_language(participant.person, participant.organisation) == expected


def test_an_acceptance_is_written_in_the_senders_language_not_the_accepters(client):
    event = EventFactory()
    beijing = delegate(event, languages=["zh", "en"], org_language="zh-Hans")
    london = delegate(event, locale="en")
    with translation.override("en"):  # the page the request is sent from is in English
        request = send_request(london, beijing, message="Hello")
    [received] = OutgoingMail.objects.filter(kind="request_received")
    assert received.to == beijing.person.email
    expected = in_language("zh-hans", "%(name)s would like to meet you", name=london.person.name)
    assert received.subject == expected != f"{london.person.name} would like to meet you"
    # The mail links to the request on the meetings page, absolute, from the site URL, and
    # leads there through a one-time sign-in link (he has never signed in; an account is
    # made for him as for an invitation).
    url = f"http://localhost/events/{event.slug}/meetings/#request-{request.pk}"
    assert url in received.body
    sign_in = re.search(r"http://localhost(/accounts/sign-in/\S+)", received.body)
    assert sign_in, received.body
    beijing.person.refresh_from_db()
    answer_consents(beijing.person)
    assert client.get(sign_in.group(1)).status_code == 200  # a scanner's GET spends nothing
    landed = client.post(sign_in.group(1))
    assert landed.status_code == 302
    assert landed["Location"] == f"/events/{event.slug}/meetings/#request-{request.pk}"
    page = client.get(landed["Location"].split("#")[0])
    assert page.status_code == 200 and f'id="request-{request.pk}"' in page.text
    assert f"/meetings/{request.pk}/accept/" in page.text  # accept is one press away
    assert f"/meetings/{request.pk}/decline/" in page.text
    # Followed while signed out, the plain link goes through the login page and back to it.
    client.logout()
    response = client.get(url.removeprefix("http://localhost").split("#")[0])
    assert response.status_code == 302 and "next=" in response["Location"]

    with translation.override("zh-hans"):  # the Beijing delegate accepts in Chinese
        accept_request(request, by=beijing)
    [accepted] = OutgoingMail.objects.filter(kind="request_accepted")
    assert accepted.to == london.person.email
    assert accepted.subject == f"{beijing.person.name} accepted your meeting request"
    assert url in accepted.body


def test_decline_and_cancel_are_told_in_the_readers_language():
    event = EventFactory()
    beijing = delegate(event, languages=["zh"], org_language="zh-Hans")
    london = delegate(event, locale="en")
    first = send_request(beijing, london)
    with translation.override("en"):
        decline_request(first, by=london, reason="Busy")
    [declined] = OutgoingMail.objects.filter(kind="request_declined")
    name = london.person.name
    assert declined.subject == in_language(
        "zh-hans", "%(name)s declined your meeting request", name=name
    )
    assert f"#request-{first.pk}" in declined.body
    second = send_request(london, beijing)
    with translation.override("en"):
        cancel_request(second, by=london)
    [cancelled] = OutgoingMail.objects.filter(kind="request_cancelled")
    assert cancelled.to == beijing.person.email
    assert cancelled.subject == in_language("zh-hans", "%(name)s cancelled the meeting", name=name)


def test_times_in_mails_name_their_zone():
    event = EventFactory(timezone="Asia/Shanghai")
    moment = dt.datetime(2026, 12, 8, 2, 30, tzinfo=dt.UTC)
    with translation.override("en"):
        assert event_time_text(event, moment).endswith("10:30 (Beijing time, UTC+8)")
    event.timezone = "Asia/Kolkata"
    with translation.override("en"):
        assert event_time_text(event, moment).endswith("08:00 (Kolkata time, UTC+5:30)")
    assert utc_offset_text(moment) == "UTC"


def test_an_invitation_to_a_beijing_delegate_without_an_account_is_in_chinese():
    from superconnector.directory.domain.invitations import invite_participants

    event = EventFactory(name_zh="京港合作论坛")
    beijing = delegate(event, languages=["zh", "en"], org_language="en")
    london = delegate(event, languages=["en"])
    with translation.override("en"):  # the organiser's back office is in English
        assert invite_participants(event, [beijing, london]).queued == 2
    mails = {m.to: m for m in OutgoingMail.objects.filter(kind="invitation")}
    subject = "Your invitation to %(event)s"
    to_beijing = mails[beijing.person.email].subject
    # In Chinese, the event is named by its Chinese name.
    assert (
        to_beijing
        == in_language("zh-hans", subject, event="京港合作论坛")
        != subject % {"event": event.name}
    )
    assert mails[london.person.email].subject == subject % {"event": event.name}


def test_a_sign_in_link_and_a_password_reset_follow_the_persons_languages(client):
    from superconnector.portal.domain.signin import mail_sign_in_link

    event = EventFactory()
    beijing = delegate(event, languages=["zh"], org_language="zh-Hans")
    user = User.objects.create_user(beijing.person.email, "a-long-password")
    beijing.person.user = user
    beijing.person.save()
    with translation.override("en"):  # the login page was in English
        mail_sign_in_link(beijing.person.email)
        client.post(reverse("password_reset"), {"email": beijing.person.email})
    [link] = OutgoingMail.objects.filter(kind="sign_in_link")
    assert link.subject == in_language("zh-hans", "Your sign-in link for Superconnector")
    [reset] = OutgoingMail.objects.filter(kind="password_reset")
    with translation.override("en"):
        english = render_to_string("portal/registration/password_reset_subject.txt").strip()
    assert reset.subject.strip() and reset.subject.strip() != english


def test_expiry_mails_give_the_deadline_with_its_zone_in_each_readers_language():
    from superconnector.meetings.domain.expiry import expire_overdue_requests

    deadline = dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC)  # 22:00 in Hong Kong
    event = EventFactory(request_deadline=deadline)
    beijing = delegate(event, languages=["zh"], org_language="zh-Hans")
    london = delegate(event, locale="en")
    send_request(london, beijing, now=deadline - dt.timedelta(days=1))
    assert expire_overdue_requests(event, now=deadline + dt.timedelta(minutes=1)) == 1
    mails = {m.to: m for m in OutgoingMail.objects.filter(kind="request_expired")}
    to_london, to_beijing = mails[london.person.email], mails[beijing.person.email]
    assert "22:00 (Hong Kong time, UTC+8)" in to_london.body
    with translation.override("zh-hans"):
        zone = _("%(zone)s, %(offset)s") % {"zone": _("Hong Kong time"), "offset": "UTC+8"}
    assert zone == "香港时间，UTC+8"  # the zone and its offset read in Chinese
    assert f"22:00 ({zone})" in to_beijing.body
    assert to_beijing.subject == in_language(
        "zh-hans", "The meeting request from %(name)s expired", name=london.person.name
    )
