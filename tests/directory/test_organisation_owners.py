"""Who owns a shared organisation (issue 12, deliverable 1: the owner rule).

Any event may link an existing organisation and add delegates of its own choosing, so
being a delegate vouches for nothing. An organisation's owners are its delegates with an
active account whose address is at the organisation's website, or who attended for it in
the event that first brought it onto the platform, or whom platform staff marked
(directory/domain/ownership.py; docs/import-export.md, "Who owns shared records").
"""

from __future__ import annotations

import re

import pytest
from django.test import TestCase
from django.urls import reverse

from superconnector.core.models import OutgoingMail
from superconnector.directory.domain.ownership import (
    domain_vouches,
    is_owner,
    owners_of,
    proposals_awaiting,
)
from superconnector.directory.models import (
    Organisation,
    OrganisationOwner,
    Participant,
    Person,
    ProposedChange,
)
from superconnector.events.domain.access import add_organiser
from superconnector.events.models import AuditEntry, Event
from superconnector.exchange.importer import import_document
from tests.directory.test_ownership import EVENT_X
from tests.factories import answer_consents

pytestmark = pytest.mark.django_db

ZHIYUAN = EVENT_X["organisations"][0]  # website https://zhiyuan.example.com


def y_document(*participants: dict, **organisation) -> dict:
    """Event Y's list: X's Zhiyuan (same website, so linked), with Y's own delegates."""
    return {
        "format": "superconnector/v1",
        "event": {
            "slug": "event-y",
            "name": "Trade Fair",
            "starts_on": "2026-12-08",
            "ends_on": "2026-12-09",
        },
        "organisations": [dict(ZHIYUAN, key="zy", **organisation)],
        "participants": [dict(p, organisation="zy") for p in participants],
    }


def delegate(key: str, email: str, name: str = "Someone") -> dict:
    return {"key": key, "name": name, "email": email, "title": "", "phone": ""}


def with_account(email: str, django_user_model, *, active: bool = True):
    person = Person.objects.get(email=email)
    user = django_user_model.objects.create_user(email, "a-long-password", name=person.name)
    user.is_active = active
    user.save()
    person.user = user
    person.save()
    answer_consents(person)
    return user


@pytest.fixture
def event_x() -> Event:
    import_document(EVENT_X)
    return Event.objects.get(slug="event-x")


@pytest.fixture
def zhiyuan(event_x) -> Organisation:
    return Organisation.objects.get(name="Zhiyuan AI Technology")


# --- the hostile organiser of another event ------------------------------------------------


@pytest.fixture
def hostile_y(event_x, zhiyuan, client, django_user_model):
    """Y's organiser links X's Zhiyuan, adds an accomplice (their real address), proposes a
    new description, and sends Y's invitations: the accomplice signs in with the link."""
    import_document(
        y_document(
            delegate("accomplice", "accomplice@evil.example.com", "Mallory"),
            description="Now run by Mallory's friends.",
        )
    )
    event_y = Event.objects.get(slug="event-y")
    organiser = django_user_model.objects.create_user("orga-y@evil.example.com", "a-long-pw")
    add_organiser(event_y, organiser)
    client.force_login(organiser)
    url = reverse("backoffice:invitations", args=["event-y"])
    count = client.post(url).context["count"]  # the confirmation step, then the send
    with TestCase.captureOnCommitCallbacks(execute=True):  # the send runs as background work
        assert client.post(url, {"confirm": count}).status_code == 302
    client.logout()
    [mail] = OutgoingMail.objects.filter(to="accomplice@evil.example.com")
    link = re.search(r"http://testserver(/accounts/sign-in/\S+)", mail.body).group(1)
    client.get(link)
    client.post(link)  # the sign-in page confirms with a POST
    accomplice = Person.objects.get(email="accomplice@evil.example.com")
    assert accomplice.user is not None and accomplice.user.is_active
    answer_consents(accomplice)
    client.force_login(accomplice.user)
    return event_y, accomplice.user


def test_an_accomplice_another_event_adds_does_not_own_the_organisation(hostile_y, zhiyuan):
    _event_y, accomplice = hostile_y
    assert not is_owner(accomplice, zhiyuan)
    assert accomplice.pk not in owners_of("organisation", [zhiyuan.pk]).get(zhiyuan.pk, set())
    assert list(proposals_awaiting(accomplice)) == []


def test_the_accomplice_cannot_accept_the_events_own_proposals(hostile_y, zhiyuan, client):
    proposal = ProposedChange.objects.get(organisation=zhiyuan, field="description")
    page = client.get("/events/event-y/profile/")
    assert page.status_code == 200 and "Now run by Mallory" not in page.text
    response = client.post(
        f"/events/event-y/profile/proposals/{proposal.pk}/", {"decision": "accept"}
    )
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    assert Organisation.objects.get(pk=zhiyuan.pk).description.startswith("Applied AI lab")


def test_the_accomplices_profile_edit_becomes_a_proposal(hostile_y, zhiyuan, client):
    _event_y, accomplice = hostile_y
    page = client.get("/events/event-y/profile/")
    assert "you are not among its owners" in page.text
    response = client.post(
        "/events/event-y/profile/",
        {
            "name": ZHIYUAN["name"],
            "name_zh": ZHIYUAN["name_zh"],
            "kind": "enterprise",
            "region": "Beijing",
            "sectors": "ai, robotics",
            "website": "https://evil.example.com",
            "description": ZHIYUAN["description"],
            "language": "en",
        },
        follow=True,
    )
    assert "your changes to filled fields are sent to the organisation" in response.text.lower()
    stored = Organisation.objects.get(pk=zhiyuan.pk)
    assert (stored.kind, stored.website) == ("research_institution", "https://zhiyuan.example.com")
    mine = ProposedChange.objects.filter(actor=accomplice, status="pending")
    assert {(p.field, p.proposed_value, p.source) for p in mine} == {
        ("kind", "enterprise", "portal"),
        ("website", "https://evil.example.com", "portal"),
    }
    page = client.get("/events/event-y/profile/")
    assert "Your proposals awaiting the owners" in page.text
    assert "https://evil.example.com" in page.text
    # X's audit log hears of it.
    assert AuditEntry.objects.filter(
        event__slug="event-x", action="propose", actor=accomplice, detail__field="kind"
    ).exists()


def test_the_real_owner_sees_who_proposed_it(hostile_y, zhiyuan, client, django_user_model):
    client.post(
        "/events/event-y/profile/",
        {
            "name": ZHIYUAN["name"],
            "kind": "enterprise",
            "region": "Beijing",
            "sectors": "ai, robotics",
            "website": ZHIYUAN["website"],
            "description": ZHIYUAN["description"],
            "language": "en",
        },
    )
    wang = with_account("wang.jianguo@example.com", django_user_model)
    assert is_owner(wang, zhiyuan)
    client.force_login(wang)
    page = client.get("/events/event-x/profile/")
    assert "proposed by Mallory, a delegate who is not among its owners" in page.text


def test_another_event_cannot_fill_an_empty_website_to_vouch_for_its_own_delegates(
    event_x, zhiyuan, django_user_model
):
    """A website of the event's choosing would make its accomplice an owner by domain."""
    Organisation.objects.filter(pk=zhiyuan.pk).update(website="", website_host="")
    import_document(
        y_document(
            delegate("accomplice", "accomplice@evil.example.com"),
            website="https://evil.example.com",
        )
    )
    assert Organisation.objects.get(pk=zhiyuan.pk).website == ""
    assert ProposedChange.objects.get(organisation=zhiyuan, field="website").proposed_value == (
        "https://evil.example.com"
    )
    accomplice = with_account("accomplice@evil.example.com", django_user_model)
    assert not is_owner(accomplice, zhiyuan)


# --- who is vouched for --------------------------------------------------------------------


def test_a_delegate_with_an_address_at_the_organisations_website_owns_it(
    event_x, zhiyuan, django_user_model
):
    import_document(
        y_document(
            delegate("li", "li.na@zhiyuan.example.com"),
            delegate("ma", "ma.lin@beijing.zhiyuan.example.com"),
            delegate("lookalike", "fake@evilzhiyuan.example.com"),
            delegate("parent", "boss@example.com"),
        )
    )
    li = with_account("li.na@zhiyuan.example.com", django_user_model)
    ma = with_account("ma.lin@beijing.zhiyuan.example.com", django_user_model)
    lookalike = with_account("fake@evilzhiyuan.example.com", django_user_model)
    parent = with_account("boss@example.com", django_user_model)
    assert is_owner(li, zhiyuan) and is_owner(ma, zhiyuan)
    assert not is_owner(lookalike, zhiyuan) and not is_owner(parent, zhiyuan)
    assert {p.field for p in proposals_awaiting(li)} == set()
    # The domain-vouched owner decides another event's proposal.
    import_document(dict(EVENT_X, organisations=[dict(ZHIYUAN, region="Tianjin")]))
    assert {p.field for p in proposals_awaiting(li)} == {"region"}


def test_public_mail_domains_never_vouch(event_x, django_user_model):
    """NetEase's own site is 163.com, but anyone can open a 163.com mailbox."""
    netease = dict(ZHIYUAN, key="netease", name="NetEase", website="https://www.163.com")
    import_document(dict(EVENT_X, organisations=[*EVENT_X["organisations"], netease]))
    document = y_document(delegate("anyone", "anyone@163.com"), delegate("vip", "x@vip.163.com"))
    document["organisations"] = [dict(netease, key="zy")]
    import_document(document)
    organisation = Organisation.objects.get(name="NetEase")
    for email in ("anyone@163.com", "x@vip.163.com"):
        assert not is_owner(with_account(email, django_user_model), organisation)


@pytest.mark.parametrize(
    ("email", "host", "vouches"),
    [
        ("li@zhiyuan.example.com", "zhiyuan.example.com", True),
        ("li@mail.zhiyuan.example.com", "zhiyuan.example.com", True),
        ("LI@Zhiyuan.Example.COM", "zhiyuan.example.com", True),
        ("li@example.com", "zhiyuan.example.com", False),  # a parent domain is not theirs
        ("li@evilzhiyuan.example.com", "zhiyuan.example.com", False),
        ("li@gmail.com", "gmail.com", False),
        ("li@qq.com", "qq.com", False),
        ("li@vip.163.com", "163.com", False),
        ("li@foxmail.com", "foxmail.com", False),
        ("li@anything.com.cn", "com.cn", False),  # a website on a bare public suffix
        ("li@anything.com", "com", False),
        ("li@zhiyuan.example.com", "", False),
        ("", "zhiyuan.example.com", False),
    ],
)
def test_domain_vouches(email, host, vouches):
    assert domain_vouches(email, host) is vouches


def test_the_first_events_delegates_own_it_whatever_their_address(
    event_x, zhiyuan, django_user_model
):
    """X brought Zhiyuan onto the platform: X's delegates own it (their addresses are at
    example.com, not at zhiyuan.example.com). Y's delegate with the same kind of address
    does not, nor does X's delegate with a disabled account."""
    import_document(y_document(delegate("y-guest", "guest@example.com")))
    chen = with_account("chen.zhiqiang@example.com", django_user_model)
    wang = with_account("wang.jianguo@example.com", django_user_model, active=False)
    guest = with_account("guest@example.com", django_user_model)
    assert is_owner(chen, zhiyuan)
    assert not is_owner(wang, zhiyuan)
    assert not is_owner(guest, zhiyuan)
    assert owners_of("organisation", [zhiyuan.pk])[zhiyuan.pk] == {chen.pk}
    # Attending Y as well changes nothing for X's delegate.
    import_document(
        y_document(delegate("y-guest", "guest@example.com"), EVENT_X["participants"][1])
    )
    assert is_owner(chen, zhiyuan) and not is_owner(guest, zhiyuan)


def test_staff_mark_an_owner_in_the_admin_and_it_is_audited(
    event_x, zhiyuan, client, django_user_model
):
    import_document(y_document(delegate("partner", "partner@consultants.example.net")))
    partner = with_account("partner@consultants.example.net", django_user_model)
    assert not is_owner(partner, zhiyuan)
    staff = django_user_model.objects.create_superuser("root@example.com", "a-long-password")
    client.force_login(staff)
    response = client.post(
        "/admin/directory/organisationowner/add/",
        {
            "organisation": zhiyuan.pk,
            "person": partner.person.pk,
            "note": "Confirmed by phone with Zhiyuan's CEO",
        },
    )
    assert response.status_code == 302
    mark = OrganisationOwner.objects.get()
    assert mark.granted_by == staff
    assert is_owner(partner, zhiyuan)
    for slug in ("event-x", "event-y"):
        entry = AuditEntry.objects.get(event__slug=slug, action="grant-owner")
        assert entry.actor == staff and entry.subject == f"organisation:{zhiyuan.pk}"
        assert entry.detail["email"] == "partner@consultants.example.net"
    response = client.post(f"/admin/directory/organisationowner/{mark.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not is_owner(partner, zhiyuan)
    for slug in ("event-x", "event-y"):
        assert AuditEntry.objects.filter(event__slug=slug, action="revoke-owner").count() == 1


def test_a_staff_mark_needs_an_active_account_and_a_part_in_some_event(
    event_x, zhiyuan, django_user_model
):
    outsider = Person.objects.create(email="outsider@example.org", name="Outsider")
    user = django_user_model.objects.create_user(outsider.email, "a-long-password")
    outsider.user = user
    outsider.save()
    OrganisationOwner.objects.create(organisation=zhiyuan, person=outsider)
    assert not is_owner(user, zhiyuan)
    assert not Participant.objects.filter(person=outsider).exists()


def test_staff_settle_an_organisation_another_event_brought_on_first(django_user_model):
    """Y imported Zhiyuan before X did, with its accomplice as delegate: the first event
    vouches for the accomplice until staff mark the real owners."""
    import_document(y_document(delegate("accomplice", "accomplice@evil.example.com")))
    import_document(EVENT_X)
    zhiyuan = Organisation.objects.get(name="Zhiyuan AI Technology")
    accomplice = with_account("accomplice@evil.example.com", django_user_model)
    wang = with_account("wang.jianguo@example.com", django_user_model)
    assert is_owner(accomplice, zhiyuan) and not is_owner(wang, zhiyuan)
    OrganisationOwner.objects.create(organisation=zhiyuan, person=wang.person)
    assert is_owner(wang, zhiyuan) and not is_owner(accomplice, zhiyuan)
