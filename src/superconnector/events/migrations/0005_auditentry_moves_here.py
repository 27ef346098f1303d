# The audit log moves from the privacy app to the events app (directory and every data app
# above it record to it, and privacy sits at the top of the data apps). Only Django's idea
# of where the model lives changes: the table keeps its name and its rows.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rename_content_type(apps, schema_editor, old: str, new: str) -> None:
    """Carry the content type (and so the admin permissions granted on it) over to the new
    app. A fresh database has none yet: they are made after migrating."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="auditentry").exists():
        ContentType.objects.using(db).filter(app_label=old, model="auditentry").update(
            app_label=new
        )


def forwards(apps, schema_editor):
    rename_content_type(apps, schema_editor, "privacy", "events")


def backwards(apps, schema_editor):
    rename_content_type(apps, schema_editor, "events", "privacy")


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0004_teams_and_retention"),
        # The table is made there.
        ("privacy", "0003_flag_withdrawn_contact_consents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
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
                        ("actor_label", models.CharField(max_length=320)),
                        ("action", models.CharField(max_length=32)),
                        ("subject", models.CharField(max_length=200)),
                        ("detail", models.JSONField(blank=True, default=dict)),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "event",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="events.event",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "audit entries",
                        "db_table": "privacy_auditentry",
                        "ordering": ["-at", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
