from django.db import migrations, models

ACTIVE = ["queued", "running"]


def settle_duplicate_active_runs(apps, schema_editor):
    """Earlier double clicks may have left two active runs of one event: keep the newest."""
    MatchingRun = apps.get_model("matchmaking", "MatchingRun")
    seen = set()
    for run in MatchingRun.objects.filter(status__in=ACTIVE).order_by("-created_at", "-pk"):
        if run.event_id in seen:
            run.status = "failed"
            run.error = "Superseded by a newer run of the same event."
            run.save(update_fields=["status", "error"])
        seen.add(run.event_id)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_teams_and_retention"),
        ("matchmaking", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(settle_duplicate_active_runs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="matchingrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ACTIVE)),
                fields=("event",),
                name="matching_run_one_active_per_event",
            ),
        ),
    ]
