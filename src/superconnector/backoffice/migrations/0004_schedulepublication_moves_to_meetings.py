# Schedule publications now belong to the meetings app (meetings/migrations/0008): the
# back office forgets the model and leaves its table, rows and all, to the meetings app.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0003_staged_import_moves_to_exchange"),
        ("meetings", "0008_schedulepublication_moves_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SchedulePublication")],
            database_operations=[],
        ),
    ]
