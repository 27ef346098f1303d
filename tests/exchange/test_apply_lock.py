"""The import plans outside its write transaction and re-plans inside it only when something
the plan read changed meanwhile (issue 12, deliverable 4: a delegate's write never waits
long on SQLite). exchange/fingerprint.py says what "something the plan read" is.

Each test changes the database between the plan and its transaction, through the seam
importer.importing._before_apply, as a delegate or a second import would at that moment.
"""

from __future__ import annotations

import pytest
from django.db import connection

from superconnector.directory.models import Participant, Person, ProposedChange
from superconnector.events.models import AuditEntry, Event
from superconnector.exchange.importer import import_document, importing
from superconnector.exchange.importer.planning import Planner
from superconnector.exchange.spreadsheet import import_delegate_list
from tests.directory.test_ownership import EVENT_X, GBK_CSV
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_x() -> Event:
    import_document(EVENT_X)
    return Event.objects.get(slug="event-x")


@pytest.fixture
def planner_depths(monkeypatch) -> list[int]:
    """How deep in atomic blocks each plan was made: the test's own block is depth 1."""
    depths: list[int] = []
    run = Planner.run

    def recording_run(self):
        depths.append(len(connection.atomic_blocks))
        return run(self)

    monkeypatch.setattr(Planner, "run", recording_run)
    return depths


def between_plan_and_apply(monkeypatch, change) -> None:
    calls = []

    def hook(plan):
        if not calls:  # once: a nested import in `change` passes here too
            calls.append(plan)
            change()

    monkeypatch.setattr(importing, "_before_apply", hook)


def retitle(key: str, title: str) -> dict:
    participant = next(p for p in EVENT_X["participants"] if p["key"] == key)
    return {
        "format": "superconnector/v1",
        "event": EVENT_X["event"],
        "participants": [dict(participant, title=title)],
    }


def test_without_a_change_meanwhile_the_plan_is_written_as_made(event_x, planner_depths):
    report = import_document(retitle("wang", "Chairman"))
    assert Person.objects.get(email="wang.jianguo@example.com").title == "Chairman"
    assert report.timing["planned_again"] is False
    assert planner_depths == [1]  # planned once, outside the import's transaction


def test_an_owners_edit_meanwhile_is_not_overwritten(event_x, monkeypatch, django_user_model):
    """Planned: wang's record is nobody's, so the new title applies. Meanwhile wang signs
    up and edits his title: his record now has an owner, so the import may only propose."""

    def wang_edits_his_profile():
        wang = Person.objects.get(email="wang.jianguo@example.com")
        wang.user = django_user_model.objects.create_user(wang.email, "a-long-password")
        wang.title = "Founder"
        wang.save()

    between_plan_and_apply(monkeypatch, wang_edits_his_profile)
    report = import_document(retitle("wang", "Chairman"))
    wang = Person.objects.get(email="wang.jianguo@example.com")
    assert wang.title == "Founder"
    proposal = ProposedChange.objects.get(person=wang)
    assert (proposal.old_value, proposal.proposed_value) == ("Founder", "Chairman")
    assert report.timing["planned_again"] is True
    [change] = report.shared_changes
    assert (change["current"], change["outcome"]) == ("Founder", "propose")


def test_the_same_import_meanwhile_is_not_applied_twice(event_x, monkeypatch):
    """Event Y's list proposes changes to X's shared people. The same list imported by a
    colleague between the plan and its transaction must not propose (or audit) twice."""
    event_y = EventFactory(slug="event-y", name="Trade Fair")

    def import_list():
        return import_delegate_list(GBK_CSV, "delegates.csv", event_y.slug)

    between_plan_and_apply(monkeypatch, import_list)
    report = import_list()
    assert report.timing["planned_again"] is True
    assert ProposedChange.objects.filter(field="title").count() == 1
    assert (
        AuditEntry.objects.filter(event=event_x, action="propose", detail__field="title").count()
        == 1
    )
    assert Participant.objects.filter(event=event_y).count() == 4
    assert report.tallies["participants"].linked == 0
    assert report.tallies["participants"].unchanged == 4


def test_a_delegate_created_meanwhile_is_not_created_twice(event_x, monkeypatch):
    document = {
        "format": "superconnector/v1",
        "event": EVENT_X["event"],
        "participants": [
            {
                "key": "sun",
                "organisation": "zhiyuan",
                "name": "Sun Li",
                "email": "sun.li@example.com",
            }
        ],
    }
    between_plan_and_apply(monkeypatch, lambda: import_document(document))
    report = import_document(document)
    assert Person.objects.filter(email="sun.li@example.com").count() == 1
    assert Participant.objects.filter(event=event_x, key="sun").count() == 1
    assert report.timing["planned_again"] is True
    assert report.tallies["participants"].created == 0


def test_a_write_the_plan_does_not_depend_on_does_not_force_a_new_plan(
    event_x, monkeypatch, planner_depths
):
    """A delegate of the same event saving their own profile meanwhile (someone the file
    does not name): the plan still holds, and is written without planning again."""

    def zhao_edits_his_profile():
        zhao = Person.objects.get(email="zhao.min@example.com")
        zhao.title = "Senior Analyst"
        zhao.save()

    between_plan_and_apply(monkeypatch, zhao_edits_his_profile)
    report = import_document(retitle("wang", "Chairman"))
    assert report.timing["planned_again"] is False
    assert planner_depths == [1]
    assert Person.objects.get(email="zhao.min@example.com").title == "Senior Analyst"
    assert Person.objects.get(email="wang.jianguo@example.com").title == "Chairman"


@pytest.mark.django_db(transaction=True)
def test_outside_any_transaction_the_plan_is_made_in_a_read_snapshot(planner_depths):
    """The production path (no test transaction around it): plan in a read-only snapshot,
    then one write transaction."""
    import_document(EVENT_X)
    report = import_document(retitle("wang", "Chairman"))
    assert Person.objects.get(email="wang.jianguo@example.com").title == "Chairman"
    assert report.timing["planned_again"] is False
    assert planner_depths == [0, 0]
    assert not connection.in_atomic_block


def test_rows_inserted_in_one_go_leave_the_ids_in_order(event_x):
    """New rows get ids drawn from the table's sequence (SQLite: the next free ones under
    the write lock): records created afterwards the usual way do not collide with them."""
    document = {
        "format": "superconnector/v1",
        "event": EVENT_X["event"],
        "participants": [
            {
                "key": f"n{i}",
                "organisation": "zhiyuan",
                "name": f"New {i}",
                "email": f"n{i}@example.com",
            }
            for i in range(3)
        ],
    }
    import_document(document)
    imported = list(Person.objects.filter(email__startswith="n").order_by("pk"))
    assert [p.email for p in imported] == ["n0@example.com", "n1@example.com", "n2@example.com"]
    later = Person.objects.create(email="later@example.com", name="Later")
    assert later.pk > imported[-1].pk
    participant = Participant.objects.select_related("person", "event_organisation").get(
        event=event_x, key="n1"
    )
    assert participant.person.email == "n1@example.com"
    assert participant.event_organisation.key == "zhiyuan"
    assert participant.created_at is not None and participant.updated_at is not None


def test_a_staff_owner_mark_meanwhile_changes_the_fingerprint(event_x):
    """Who owns an organisation decides apply or propose (ownership.owners_of): a staff mark
    made between the plan and its transaction must make the import plan again."""
    from superconnector.directory.models import Organisation, OrganisationOwner
    from superconnector.exchange.fingerprint import take_fingerprint

    organisation = Organisation.objects.get(
        participations__event=event_x, participations__key="zhiyuan"
    )
    person = Person.objects.filter(participations__event_organisation__organisation=organisation)[0]

    def fingerprint():
        return take_fingerprint(
            slug=event_x.slug,
            event_id=event_x.pk,
            lists=[],
            organisation_ids=[organisation.pk],
            person_ids=[],
            actor=None,
        )

    before = fingerprint()
    assert fingerprint() == before
    OrganisationOwner.objects.create(organisation=organisation, person=person)
    assert fingerprint() != before


def test_a_delegates_edit_while_a_list_is_read_is_not_written_back(event_x, monkeypatch):
    """A delegate list starts from the event's rows as exported, then the importer plans in
    its own snapshot. A delegate who saves their organisation's description, or their
    phone, in between must keep it: what the list took from the export rather than from
    its cells changes nothing (spreadsheet.build.build_document marks it as assumed)."""
    from superconnector.directory.models import Organisation
    from superconnector.exchange.spreadsheet import importing

    def delegates_edit_meanwhile(*args, **kwargs):
        zhiyuan = Organisation.objects.get(name="Zhiyuan AI Technology")
        zhiyuan.description = "Edited by its delegate a moment ago."
        zhiyuan.save()
        chen = Person.objects.get(email="chen.zhiqiang@example.com")
        chen.phone = "+86 10 5555 0101"
        chen.save()
        return import_document(*args, **kwargs)

    monkeypatch.setattr(importing, "import_document", delegates_edit_meanwhile)
    import_delegate_list(GBK_CSV, "delegates.csv", event_x.slug)
    zhiyuan = Organisation.objects.get(name="Zhiyuan AI Technology")
    assert zhiyuan.description == "Edited by its delegate a moment ago."
    assert Person.objects.get(email="chen.zhiqiang@example.com").phone == "+86 10 5555 0101"
    # What the list's cells did say still applies (the event owns these records alone).
    assert Person.objects.get(email="wang.jianguo@example.com").title == "Chief Executive"
