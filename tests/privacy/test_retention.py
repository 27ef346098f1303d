"""Retention: an event's delegates' personal data goes `retention_days` after the event."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from superconnector.api.models import ApiToken
from superconnector.core.domain.signin import create_sign_in_link
from superconnector.core.models import OutgoingMail, SignInLink, User
from superconnector.directory.models import Participant, Person
from superconnector.events.domain.audit import delete_expired_audit_entries, record_audit
from superconnector.events.models import AuditEntry, Event
from superconnector.exchange.models import StagedImport
from superconnector.matchmaking.models import MeetingSuggestion
from superconnector.meetings.domain.noshow import FreedPlace, book_place
from superconnector.meetings.models import (
    Availability,
    Block,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    MeetingRequestChange,
)
from superconnector.privacy.domain.erasure import ERASED_NAME
from superconnector.privacy.domain.retention import (
    kept_until,
    plan_expired_purges,
    purge_expired_events,
)
from superconnector.privacy.models import EventPurge
from superconnector.privacy.tasks import purge_expired_personal_data
from tests.factories import (
    AvailabilityFactory,
    BlockFactory,
    MeetingOutcomeFactory,
    MeetingRequestChangeFactory,
    MeetingSuggestionFactory,
    OutgoingMailFactory,
    StagedImportFactory,
)
from tests.scenario import Scenario

pytestmark = pytest.mark.django_db

# The old event ended on 9 December 2026 and keeps personal data for 180 days.
ENDED = dt.date(2026, 12, 9)
LAST_KEPT = ENDED + dt.timedelta(days=180)
AFTER = LAST_KEPT + dt.timedelta(days=1)


@pytest.fixture
def world():
    """An expired fair and a later one; Ben goes to both, Amy and Cai to the first only."""
    fair = Scenario.create("fair-2026", ends_on=ENDED, retention_days=180)
    later_fair = Scenario.create(
        "fair-2027", starts_on=dt.date(2027, 12, 1), ends_on=dt.date(2027, 12, 2)
    )
    fair.session("am")
    (
        fair.participant("reg-0001", name="Amy Leung", email="amy@example.com")
        .participant("reg-0002", name="Ben Chan", email="ben@example.com")
        .participant("reg-0003", name="Cai Wen", email="cai@example.com")
    )
    amy, ben, cai = (fair.people[key] for key in ("reg-0001", "reg-0002", "reg-0003"))
    later_fair.participant("ben", person=ben.person).participant("dan", name="Dan Ho")

    # Accounts: Amy a delegate's, Cai an organiser of the later fair.
    for key, name in (("reg-0001", "amy"), ("reg-0003", "cai"), ("reg-0002", "ben")):
        fair.account(key, name=name)
    later_fair.organiser("cai", user=fair.users["cai"])
    amy_user, ben_user = fair.users["amy"], fair.users["ben"]

    # What people wrote and did at the old fair.
    fair.request(None, "reg-0001", "reg-0002", "accepted")
    [request] = fair.requests.values()
    MeetingRequest.objects.filter(pk=request.pk).update(message="Call me on +852 5555 0101")
    fair.request(None, "reg-0003", "reg-0002", "declined", decline_reason="Amy said no")
    MeetingRequestChangeFactory(
        request=request,
        from_status="",
        to_status="accepted",
        actor=amy_user,
        note="Amy accepted by phone",
    )
    slot = fair.sessions["am"].slots.first()
    placed = book_place(amy, cai, FreedPlace(slot, "T1", amy, "r"))
    MeetingOutcomeFactory(
        meeting=placed, reported_by=amy, kind="agreement", value=1000, note="Signed with Cai"
    )
    BlockFactory(event=fair.event, blocker=cai, blocked=amy)
    AvailabilityFactory(participant=amy, all_sessions=True)
    MeetingSuggestionFactory(event=fair.event, participant=amy, suggested=ben, score=1, rank=1)
    StagedImportFactory(
        event=fair.event, filename="delegates.csv", kind="spreadsheet", content=b"Amy Leung,amy@"
    )
    fair.token("amy's app", participant="reg-0001")
    fair.organiser("orga", email="orga@example.com")
    fair.token("the council's CRM", team="Organisers")
    create_sign_in_link(amy_user, f"/events/{fair.event.slug}/agenda/")
    create_sign_in_link(ben_user, f"/events/{fair.event.slug}/agenda/")
    create_sign_in_link(ben_user, f"/events/{later_fair.event.slug}/agenda/")
    OutgoingMailFactory(
        event=fair.event, to="amy@example.com", subject="Your agenda", body="…", kind=""
    )

    # What Ben does at the later fair: none of it may change.
    later_fair.request(None, "ben", "dan", "accepted", message="See you in 2027")
    [later] = later_fair.requests.values()
    OutgoingMailFactory(
        event=later_fair.event, to="ben@example.com", subject="Welcome", body="Ben", kind=""
    )
    return {
        "old": fair.event,
        "new": later_fair.event,
        "amy": amy,
        "ben": ben,
        "cai": cai,
        "later": later,
    }


def test_the_last_day_kept_is_the_end_plus_the_retention(world):
    assert kept_until(world["old"]) == LAST_KEPT
    assert purge_expired_events(LAST_KEPT) == []  # kept through that day
    assert [p.event for p in plan_expired_purges(AFTER)] == [world["old"]]


def test_an_expired_event_loses_its_delegates_personal_data(world):
    old = world["old"]

    [record] = purge_expired_events(AFTER)

    # Names and e-mail addresses are gone from the event and from the platform.
    people = Person.objects.filter(participations__event=old)
    assert set(people.values_list("name", flat=True)) == {ERASED_NAME}
    assert not people.filter(email__contains="example.com").exists()
    for name in ("Amy Leung", "Cai Wen"):
        assert not Person.objects.filter(name=name).exists()
    assert not Person.objects.filter(email__in=["amy@example.com", "cai@example.com"]).exists()
    assert not Participant.objects.filter(event=old, key__startswith="reg-").exists()
    # What they wrote, and the ways to reach them or act as them.
    requests = MeetingRequest.objects.filter(event=old)
    assert set(requests.values_list("message", "decline_reason")) == {("", "")}
    assert set(MeetingRequestChange.objects.filter(request__event=old).values_list("note")) == {
        ("",)
    }
    assert MeetingOutcome.objects.get().note == ""
    assert not OutgoingMail.objects.filter(event=old).exists()
    assert not ApiToken.objects.filter(event=old, participant__isnull=False).exists()
    assert ApiToken.objects.filter(event=old, team__isnull=False).exists()  # the team's
    assert not StagedImport.objects.filter(event=old).exists()
    assert not Block.objects.exists() and not Availability.objects.exists()
    assert not MeetingSuggestion.objects.exists()
    assert not SignInLink.objects.filter(next_url__startswith=f"/events/{old.slug}/").exists()
    # Amy's account is closed; Cai's is an organiser's and stays, unlinked.
    amy_user = User.objects.get(pk=world["amy"].person.user_id)
    assert not amy_user.is_active and "example.com" not in amy_user.email
    cai_user = User.objects.get(email="cai@example.com")
    assert cai_user.is_active and not Person.objects.filter(user=cai_user).exists()
    # The event's figures still add up.
    assert Participant.objects.filter(event=old).count() == 3
    assert requests.count() == 3 and Meeting.objects.filter(event=old).count() == 1
    assert MeetingOutcome.objects.get().kind == "agreement"
    # Recorded: when, what went, and in the audit log.
    assert EventPurge.objects.get(event=old) == record
    assert record.counts["people_anonymised"] == 2
    assert record.counts["people_kept_for_other_events"] == 1
    assert record.counts["mails_deleted"] == 1 and record.counts["accounts_closed"] == 1
    entry = AuditEntry.objects.get(action="purge")
    assert entry.event == old and entry.subject == f"event:{old.slug}"
    assert entry.actor_label == "system" and entry.detail == record.counts


def test_a_person_in_a_later_event_keeps_that_events_data(world):
    ben, later = world["ben"], world["later"]

    purge_expired_events(AFTER)

    person = Person.objects.get(pk=ben.person_id)
    assert (person.name, person.email, person.erased_at) == ("Ben Chan", "ben@example.com", None)
    assert User.objects.get(email="ben@example.com").is_active
    # The later event is exactly as it was.
    assert Participant.objects.get(event=world["new"], key="ben").person == person
    later.refresh_from_db()
    assert later.message == "See you in 2027"
    assert OutgoingMail.objects.filter(event=world["new"], to="ben@example.com").exists()
    assert SignInLink.objects.filter(user__email="ben@example.com").count() == 1
    # The old participation now belongs to an anonymous stand-in.
    old_seat = Participant.objects.get(event=world["old"], pk=ben.pk)
    assert old_seat.person != person and old_seat.person.name == ERASED_NAME
    assert not Participant.objects.filter(event=world["old"], person=person).exists()


def test_an_unexpired_event_is_untouched(world):
    new = world["new"]
    before = list(Participant.objects.filter(event=new).values_list("key", "person__name"))

    purge_expired_events(AFTER)

    assert not EventPurge.objects.filter(event=new).exists()
    assert list(Participant.objects.filter(event=new).values_list("key", "person__name")) == (
        before
    )
    assert Person.objects.filter(name="Dan Ho").exists()


def test_purging_again_changes_nothing(world):
    purge_expired_events(AFTER)
    people = sorted(Person.objects.values_list("pk", "name", "email"))
    participants = sorted(Participant.objects.values_list("pk", "key", "person"))

    assert purge_expired_events(AFTER + dt.timedelta(days=30)) == []

    assert sorted(Person.objects.values_list("pk", "name", "email")) == people
    assert sorted(Participant.objects.values_list("pk", "key", "person")) == participants
    assert AuditEntry.objects.filter(action="purge").count() == 1
    assert EventPurge.objects.count() == 1


def test_a_dry_run_lists_what_would_go_and_changes_nothing(world):
    def state():
        return (
            sorted(Person.objects.values_list("pk", "name", "email")),
            sorted(Participant.objects.values_list("pk", "key", "person")),
            sorted(MeetingRequest.objects.values_list("pk", "message")),
            OutgoingMail.objects.count(),
            SignInLink.objects.count(),
            ApiToken.objects.count(),
            AuditEntry.objects.count(),
        )

    before = state()
    out, err = StringIO(), StringIO()

    call_command("purge_expired", "--dry-run", "--today", AFTER.isoformat(), stdout=out, stderr=err)

    assert state() == before and not EventPurge.objects.exists()
    assert f"would purge fair-2026 (kept until {LAST_KEPT})" in out.getvalue()
    assert "people anonymised 2" in out.getvalue() and "fair-2027" not in out.getvalue()
    assert "nothing changed" in err.getvalue()


def test_the_command_purges_and_the_task_runs_it_for_today(world):
    out = StringIO()
    call_command("purge_expired", "--today", AFTER.isoformat(), stdout=out, stderr=StringIO())
    assert "purged fair-2026:" in out.getvalue()

    # The task purges as of the real today: make the later fair long past.
    Event.objects.filter(pk=world["new"].pk).update(
        starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 1, 2), retention_days=30
    )
    result = purge_expired_personal_data.enqueue()
    assert [row["event"] for row in result.return_value] == ["fair-2027"]
    # Ben's last participation is gone now: he is anonymised like everyone else.
    assert not Person.objects.filter(email="ben@example.com").exists()


def _audit_entry_at(when: dt.datetime, subject: str) -> AuditEntry:
    entry = record_audit(None, "view", subject)
    AuditEntry.objects.filter(pk=entry.pk).update(at=when)
    return entry


def test_audit_entries_past_their_retention_go_and_the_log_says_so(settings):
    settings.SUPERCONNECTOR_AUDIT_RETENTION_DAYS = 30
    # Real today: the record of the deletion is stamped now.
    today = timezone.localdate()
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=timezone.get_current_timezone())
    _audit_entry_at(noon - dt.timedelta(days=31), "participant:old")
    _audit_entry_at(noon - dt.timedelta(days=29), "participant:kept")

    dry = StringIO()
    call_command("purge_expired", "--dry-run", "--today", today.isoformat(), stderr=dry)
    assert "1 audit entries deleted; nothing changed" in dry.getvalue()
    assert AuditEntry.objects.count() == 2

    err = StringIO()
    call_command("purge_expired", "--today", today.isoformat(), stdout=StringIO(), stderr=err)

    assert "deleted 1 audit entries past retention" in err.getvalue()
    subjects = set(AuditEntry.objects.values_list("subject", flat=True))
    assert subjects == {"participant:kept", "audit-log"}
    gap = AuditEntry.objects.get(subject="audit-log")
    assert (gap.action, gap.detail["entries"]) == ("purge", 1)
    # Nothing more to delete: no second record of an empty purge.
    assert delete_expired_audit_entries(today) == 0
    assert AuditEntry.objects.filter(subject="audit-log").count() == 1
