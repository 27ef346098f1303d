"""People who withdrew "share my contact details" before the flag existed get it now:
until this release the answer was recorded but not acted on (consent._apply)."""

from django.db import migrations


def flag_withdrawn_contact_consents(apps, schema_editor) -> None:
    ConsentRecord = apps.get_model("privacy", "ConsentRecord")
    Person = apps.get_model("directory", "Person")
    latest: dict[int, bool] = {}
    records = ConsentRecord.objects.filter(purpose="contact").order_by(
        "person_id", "-recorded_at", "-pk"
    )
    for person_id, granted in records.values_list("person_id", "granted"):
        latest.setdefault(person_id, granted)
    withdrawn = [person_id for person_id, granted in latest.items() if not granted]
    Person.objects.filter(pk__in=withdrawn).update(contact_hidden=True)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_eventpurge"),
        ("directory", "0005_person_contact_hidden"),
    ]

    operations = [
        migrations.RunPython(flag_withdrawn_contact_consents, migrations.RunPython.noop)
    ]
