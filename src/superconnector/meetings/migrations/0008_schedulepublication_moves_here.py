# Schedule publications move from the back office to the meetings app, next to the
# schedule they announce (privacy scrubs them too, and must not import the back office).
# Only Django's idea of where the model lives changes: the table keeps its name and rows.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rename_content_type(apps, schema_editor, old: str, new: str) -> None:
    """Carry the content type (and the permissions granted on it) over to the new app. A
    fresh database has none yet: they are made after migrating."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    model = "schedulepublication"
    if not ContentType.objects.using(db).filter(app_label=new, model=model).exists():
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    rename_content_type(apps, schema_editor, "backoffice", "meetings")


def backwards(apps, schema_editor):
    rename_content_type(apps, schema_editor, "meetings", "backoffice")


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0004_teams_and_retention"),
        ("meetings", "0007_scheduling_run_is_a_background_run"),
        # The table is made there (backoffice 0001); 0003 is the back office's last.
        ("backoffice", "0003_staged_import_moves_to_exchange"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SchedulePublication",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("published_at", models.DateTimeField()),
                        ("snapshot", models.JSONField(blank=True, default=dict)),
                        ("mailed", models.PositiveIntegerField(default=0)),
                        (
                            "event",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="events.event",
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "backoffice_schedulepublication",
                        "ordering": ["-published_at", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
