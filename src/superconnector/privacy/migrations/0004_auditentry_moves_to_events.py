# The audit log now belongs to the events app (events/migrations/0005): the privacy app
# forgets the model and leaves its table, rows and all, to the events app.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_auditentry_moves_here"),
        ("privacy", "0003_flag_withdrawn_contact_consents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
