"""The audit log (privacy -> events) and schedule publications (backoffice -> meetings)
moved app without their tables moving: a database with rows in them keeps every row, and
the admin permissions granted on them follow (the content types are carried over)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("events", "0004_teams_and_retention"),
    ("privacy", "0003_flag_withdrawn_contact_consents"),
    ("meetings", "0007_scheduling_run_is_a_background_run"),
    ("backoffice", "0003_staged_import_moves_to_exchange"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    return migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def content_type_id(apps, app_label: str, model: str) -> int | None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    row = ContentType.objects.filter(app_label=app_label, model=model).first()
    return row.pk if row else None


def test_rows_and_permissions_stay_when_the_models_change_app():
    apps = migrate(BEFORE)
    ContentType = apps.get_model("contenttypes", "ContentType")
    audit_type, _ = ContentType.objects.get_or_create(app_label="privacy", model="auditentry")
    publication_type, _ = ContentType.objects.get_or_create(
        app_label="backoffice", model="schedulepublication"
    )
    Event = apps.get_model("events", "Event")
    event = Event.objects.create(
        slug="expo", name="Expo", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 2)
    )
    OldAudit = apps.get_model("privacy", "AuditEntry")
    kept = [
        OldAudit.objects.create(
            actor_label="orga@example.com",
            action="view",
            event=event,
            subject=f"participant:p{n}",
            detail={"n": n},
        )
        for n in range(3)
    ]
    OldPublication = apps.get_model("backoffice", "SchedulePublication")
    published = OldPublication.objects.create(
        event=event, published_at=timezone.now(), snapshot={"p1": ["m1"]}, mailed=2
    )
    try:
        apps = migrate_to_latest()
        Audit = apps.get_model("events", "AuditEntry")
        assert sorted(Audit.objects.values_list("pk", "subject", "detail")) == [
            (entry.pk, entry.subject, entry.detail) for entry in kept
        ]
        assert Audit.objects.filter(event_id=event.pk).count() == 3
        # The table goes on counting: a new entry does not collide with the old ones.
        newer = Audit.objects.create(actor_label="system", action="purge", subject="audit-log")
        assert newer.pk > max(entry.pk for entry in kept)
        Publication = apps.get_model("meetings", "SchedulePublication")
        moved = Publication.objects.get()
        assert (moved.pk, moved.snapshot, moved.mailed) == (published.pk, {"p1": ["m1"]}, 2)
        # Same content type rows, relabelled: permissions granted on them still apply.
        assert content_type_id(apps, "events", "auditentry") == audit_type.pk
        assert content_type_id(apps, "meetings", "schedulepublication") == publication_type.pk
        assert content_type_id(apps, "privacy", "auditentry") is None
        assert content_type_id(apps, "backoffice", "schedulepublication") is None
    finally:  # leave the schema as the other tests expect it
        migrate_to_latest()
