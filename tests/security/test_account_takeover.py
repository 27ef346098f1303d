"""Account takeover across events (issue 12, finding 2): an organiser of event Y only must
never gain a login to a delegate of event X, and no invitation or sign-in link may reach an
address other than the one of the account it signs in to.

The attack: as Y's organiser, import a participant with the e-mail of X's delegate, then
re-import the same participant key with an address of one's own, then send invitations.
The importer no longer rewrites an existing person's e-mail (exchange/importer/planning.py); the
invitation layer (directory/domain/accounts.py, directory/domain/invitations.py) refuses on its
own as well, which the tests that plant a rewritten address directly show.
"""

import contextlib
import re

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from superconnector.core.models import OutgoingMail, SignInLink, User
from superconnector.directory.domain.accounts import AccountRefused, link_account
from superconnector.directory.domain.invitations import invite_participants
from superconnector.directory.models import Participant, Person
from superconnector.events.domain.access import add_organiser
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.exchange.problems import ImportRejected
from superconnector.portal.domain.signin import mail_sign_in_link
from tests.factories import ParticipantFactory, answer_consents

pytestmark = pytest.mark.django_db

MALLORY = "mallory@evil.example"
SIGN_IN = re.compile(r"https?://[^\s/]+(/accounts/sign-in/[^/\s]+/)")


def event_y(email: str) -> dict:
    return {
        "format": "superconnector/v1",
        "event": {
            "slug": "sz-2027",
            "name": "Shenzhen Fair",
            "timezone": "Asia/Shanghai",
            "starts_on": "2027-03-01",
            "ends_on": "2027-03-01",
        },
        "organisations": [
            {
                "key": "shell",
                "name": "Shell Trading",
                "kind": "enterprise",
                "region": "Shenzhen",
                "sectors": ["trade"],
                "description": "Trading.",
            }
        ],
        "participants": [
            {"key": "x1", "organisation": "shell", "name": "Li Na", "email": email},
        ],
    }


@pytest.fixture
def event_x(document) -> Event:
    import_document(document)
    return Event.objects.get(slug="bj-hk-2026")


@pytest.fixture
def mallory(django_user_model):
    """Y's organiser: signs in with their own address, organises nothing else."""
    return django_user_model.objects.create_user(MALLORY, "a-long-password")


def _person(event: Event, key: str) -> Person:
    return Participant.objects.select_related("person").get(event=event, key=key).person


def _invite_as(user, event: Event) -> Client:
    client = Client()
    client.force_login(user)
    url = reverse("backoffice:invitations", args=[event.slug])
    count = client.post(url).context["count"]  # the confirmation step, then the send
    # The send is a background run queued on commit: run it as the worker would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"confirm": count})
    assert response.status_code == 302
    return client


def _link_paths(mail: OutgoingMail) -> list[str]:
    return SIGN_IN.findall(mail.body)


def test_another_events_organiser_cannot_take_over_a_delegate_without_account(event_x, mallory):
    li_na = _person(event_x, "p4")
    assert li_na.user_id is None
    # As organiser of Y only: link X's delegate by her address (allowed: a returning
    # delegate) ...
    import_document(event_y("li.na@example.com"), actor=mallory)
    event = Event.objects.get(slug="sz-2027")
    add_organiser(event, mallory)
    # ... then try to re-point the same participant key at an address of one's own.
    try:
        import_document(event_y(MALLORY), actor=mallory)
    except ImportRejected as rejected:
        said = " ".join(problem.message for problem in rejected.problems)
        assert "li.na@example.com" in said and MALLORY in said
    li_na.refresh_from_db()
    assert li_na.email == "li.na@example.com", "an import re-pointed X's delegate"

    _invite_as(mallory, event)
    # The account is made for the real address only, and the link goes there only.
    assert not OutgoingMail.objects.filter(to__iexact=MALLORY).exists()
    li_na.refresh_from_db()
    assert li_na.user is not None and li_na.user.email == "li.na@example.com"
    assert li_na.user != mallory
    invitation = OutgoingMail.objects.get(kind="invitation", event=event)
    assert invitation.to == "li.na@example.com"
    # Mallory's own account never became a way into X's delegate: X's portal is closed.
    client = Client()
    client.force_login(mallory)
    assert client.get(reverse("portal:agenda", args=[event_x.slug])).status_code == 404


def test_another_events_organiser_cannot_re_point_a_delegate_with_an_account(
    event_x, mallory, django_user_model
):
    amy = _person(event_x, "p1")
    account = django_user_model.objects.create_user("amy.leung@example.com", "pw-123456")
    link_account(amy, account)
    payload = event_y("amy.leung@example.com")
    payload["participants"][0]["name"] = "Amy Leung"
    import_document(payload, actor=mallory)
    event = Event.objects.get(slug="sz-2027")
    add_organiser(event, mallory)
    payload["participants"][0]["email"] = MALLORY
    # Refused (an error naming both addresses) or ignored: either way nothing moves.
    with contextlib.suppress(ImportRejected):
        import_document(payload, actor=mallory)
    amy.refresh_from_db()
    account.refresh_from_db()
    assert amy.email == account.email == "amy.leung@example.com"
    _invite_as(mallory, event)
    assert not OutgoingMail.objects.filter(to__iexact=MALLORY).exists()
    assert set(OutgoingMail.objects.values_list("to", flat=True)) == {"amy.leung@example.com"}


def test_an_invitation_never_mails_a_link_to_another_address_than_its_accounts(
    event_x, mallory, django_user_model
):
    """An old record whose address was rewritten under its account (as the importer once
    did): the invitation would mail Amy's sign-in link to Mallory. It is refused instead,
    and the organiser is told whom it left out."""
    amy = _person(event_x, "p1")
    account = django_user_model.objects.create_user("amy.leung@example.com", "pw-123456")
    link_account(amy, account)
    answer_consents(amy)
    event = ParticipantFactory(person=amy).event
    add_organiser(event, mallory)
    Person.objects.filter(pk=amy.pk).update(email=MALLORY)

    client = _invite_as(mallory, event)
    assert not OutgoingMail.objects.filter(to__iexact=MALLORY).exists()
    assert not SignInLink.objects.filter(user=account).exists()
    page = client.get(reverse("backoffice:invitations", args=[event.slug]))
    assert "1 left out" in page.text and "whose address differs" in page.text
    assert amy.name in page.text
    # Nothing else moved: the account keeps its address and its person.
    account.refresh_from_db()
    assert account.email == "amy.leung@example.com" and account.person == amy


def test_invitations_mail_the_accounts_address_and_its_link_signs_in_that_account(
    event_x,
):
    people = Participant.objects.filter(event=event_x, key__in=["p1", "p4"])
    sent = invite_participants(event_x, people, base_url="https://fair.example.org")
    assert sent.queued == 2 and sent.refused == []
    for mail in OutgoingMail.objects.filter(kind="invitation"):
        user = User.objects.get(email=mail.to)
        assert user.person.email == mail.to
        (path,) = _link_paths(mail)
        client = Client()
        client.post(path)
        assert client.session["_auth_user_id"] == str(user.pk)


def test_erased_people_and_disabled_accounts_get_no_invitation(event_x, django_user_model):
    from superconnector.privacy.domain.erasure import anonymise_person

    anonymise_person(_person(event_x, "p2"))
    peter = _person(event_x, "p3")
    disabled = django_user_model.objects.create_user("peter.ho@example.com", is_active=False)
    link_account(peter, disabled)
    people = Participant.objects.filter(event=event_x, key__in=["p2", "p3"])
    sent = invite_participants(event_x, people)
    assert sent.queued == 0 and len(sent.refused) == 2
    assert not OutgoingMail.objects.filter(kind="invitation").exists()  # counterparts may be told
    assert not User.objects.filter(email__endswith="erased.invalid").exists()


def test_an_account_is_only_linked_to_the_person_with_its_address(
    event_x, mallory, django_user_model
):
    li_na, amy = _person(event_x, "p4"), _person(event_x, "p1")
    with pytest.raises(AccountRefused, match="only ever linked"):
        link_account(li_na, mallory)
    li_na.refresh_from_db()
    assert li_na.user_id is None
    own = django_user_model.objects.create_user("li.na@example.com")
    link_account(li_na, own)
    # A person keeps the account they have; an account belongs to one person.
    other = django_user_model.objects.create_user("LI.NA+2@example.com")
    with pytest.raises(AccountRefused, match="already has another account"):
        link_account(li_na, other)
    # Records as an old rewrite left them: Li Na's address moved away from her account's,
    # and another person now has the account's address.
    Person.objects.filter(pk=li_na.pk).update(email="li.na.old@example.com")
    Person.objects.filter(pk=amy.pk).update(email="LI.NA@example.com")
    amy.refresh_from_db()
    with pytest.raises(AccountRefused, match="already belongs to another person"):
        link_account(amy, own)


def test_a_sign_in_link_for_an_address_reaches_only_that_address(event_x, django_user_model):
    """A person whose address was rewritten does not make their account reachable through
    the new address: sign-in links are looked up by the account's own address."""
    amy = _person(event_x, "p1")
    account = django_user_model.objects.create_user("amy.leung@example.com")
    link_account(amy, account)
    Person.objects.filter(pk=amy.pk).update(email=MALLORY)
    mail_sign_in_link(MALLORY)
    assert not OutgoingMail.objects.exists()
    mail_sign_in_link("AMY.LEUNG@example.com")
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["amy.leung@example.com"]
