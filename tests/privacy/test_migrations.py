"""Contact consents withdrawn before the flag existed are acted on after the upgrade."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("directory", "0004_opportunity_confidential"), ("privacy", "0002_eventpurge")]
AFTER = [("privacy", "0003_flag_withdrawn_contact_consents")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_upgrade_flags_people_whose_latest_contact_answer_was_no():
    apps = migrate(BEFORE)
    Person = apps.get_model("directory", "Person")
    ConsentRecord = apps.get_model("privacy", "ConsentRecord")
    people = {n: Person.objects.create(email=f"{n}@example.com", name=n) for n in "abcd"}

    def answer(name, purpose, granted):
        ConsentRecord.objects.create(
            person=people[name], purpose=purpose, granted=granted, version="2026-11", channel="web"
        )

    answer("a", "contact", False)  # withdrew
    answer("b", "contact", False)
    answer("b", "contact", True)  # changed their mind: shares
    answer("c", "profile", False)  # another purpose only
    try:
        apps = migrate(AFTER)
        Person = apps.get_model("directory", "Person")
        hidden = set(Person.objects.filter(contact_hidden=True).values_list("name", flat=True))
        assert hidden == {"a"}
    finally:  # leave the schema as the other tests expect it
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
