"""StagedImport moved to the exchange app (exchange 0001): the back office forgets the
model without touching its table, which the exchange app now owns."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("backoffice", "0002_staged_import_runs_in_background"),
        ("exchange", "0001_staged_import_moves_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StagedImport")],
            database_operations=[],
        ),
    ]
