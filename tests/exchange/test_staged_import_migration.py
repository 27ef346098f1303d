"""The runs' upgrade keeps every row: StagedImport moves from the back office to the exchange
app in Django's bookkeeping only (its table and rows stay), and the matching and scheduling
runs become kinds of the one background run. On SQLite and, with
SUPERCONNECTOR_DATABASE_URL, on PostgreSQL."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from superconnector.exchange.models import StagedImport
from superconnector.matchmaking.models import MatchingRun
from superconnector.meetings.models import SchedulingRun
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("backoffice", "0002_staged_import_runs_in_background"),
    ("matchmaking", "0002_one_active_matching_run"),
    ("meetings", "0006_request_status_expired"),
]


def migrate(targets, state_at=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(state_at or targets).apps


def test_the_upgrade_keeps_uploads_and_runs_with_their_fields():
    apps = migrate([("exchange", None), *BEFORE], state_at=BEFORE)
    try:
        event = EventFactory()
        OldUpload = apps.get_model("backoffice", "StagedImport")
        ContentTypes = apps.get_model("contenttypes", "ContentType")
        ContentTypes.objects.get_or_create(app_label="backoffice", model="stagedimport")
        upload = OldUpload.objects.create(
            event_id=event.pk,
            filename="delegates.csv",
            kind="spreadsheet",
            content=b"name,email\nA,a@x.org\n",
            digest="d" * 64,
            size=21,
            ok=True,
            report={"tallies": {"participants": {"created": 1}}},
            task="apply",
            status="running",
            stage="checking again and writing",
            progress=0.2,
        )
        matching = apps.get_model("matchmaking", "MatchingRun").objects.create(
            event_id=event.pk, status="done", stats={"pairs": 7}, stage="done", progress=1.0
        )
        scheduling = apps.get_model("meetings", "SchedulingRun").objects.create(
            event_id=event.pk, status="failed", time_limit=30, error="MemoryError: oops"
        )
    finally:  # upgrade, and leave the schema as the other tests expect it
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())

    moved = StagedImport.objects.get(pk=upload.pk)
    assert (moved.event_id, moved.filename, bytes(moved.content), moved.size) == (
        event.pk,
        "delegates.csv",
        b"name,email\nA,a@x.org\n",
        21,
    )
    assert (moved.task, moved.status, moved.stage, moved.progress) == (
        "apply",
        "running",
        "checking again and writing",
        0.2,
    )
    assert moved.ok and moved.report == {"tallies": {"participants": {"created": 1}}}
    assert StagedImport._meta.db_table == "backoffice_stagedimport"
    assert ContentType.objects.filter(app_label="exchange", model="stagedimport").exists()
    assert not ContentType.objects.filter(app_label="backoffice", model="stagedimport").exists()
    assert MatchingRun.objects.get(pk=matching.pk).stats == {"pairs": 7}
    kept = SchedulingRun.objects.get(pk=scheduling.pk)
    assert (kept.status, kept.time_limit, kept.error) == ("failed", 30, "MemoryError: oops")
    # A status longer than the old column's eight characters fits now, as in the other runs
    # (PostgreSQL enforces the length).
    StagedImport.objects.filter(pk=moved.pk).update(status="x" * 16)
