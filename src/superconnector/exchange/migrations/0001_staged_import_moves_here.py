"""StagedImport moves from the back office to the exchange app: a change of Django's
bookkeeping only. The table keeps its name (backoffice_stagedimport) and its rows; the
back office's 0003 drops the model from its own state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    # Permissions and admin history follow the model to its new app.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="exchange", model="stagedimport").exists():
        ContentType.objects.filter(app_label="backoffice", model="stagedimport").update(
            app_label="exchange"
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="backoffice", model="stagedimport").exists():
        ContentType.objects.filter(app_label="exchange", model="stagedimport").update(
            app_label="backoffice"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("backoffice", "0002_staged_import_runs_in_background"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0003_event_organisers_event_schedule_published_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StagedImport",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("filename", models.CharField(max_length=255)),
                        ("kind", models.CharField(choices=[("exchange", "Exchange document (JSON)"), ("spreadsheet", "Delegate list (CSV or XLSX)")], max_length=16)),
                        ("content", models.BinaryField()),
                        ("digest", models.CharField(max_length=64)),
                        ("ok", models.BooleanField(default=False)),
                        ("report", models.JSONField(blank=True, default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("applied_at", models.DateTimeField(blank=True, null=True)),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("event", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="events.event")),
                        ("error", models.TextField(blank=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("progress", models.FloatField(default=0.0)),
                        ("queued_at", models.DateTimeField(blank=True, null=True)),
                        ("size", models.PositiveBigIntegerField(default=0)),
                        ("stage", models.CharField(blank=True, max_length=100)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("status", models.CharField(choices=[("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")], default="queued", max_length=8)),
                        ("task", models.CharField(choices=[("check", "Check"), ("apply", "Import")], default="check", max_length=8)),
                    ],
                    options={
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "backoffice_stagedimport",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
