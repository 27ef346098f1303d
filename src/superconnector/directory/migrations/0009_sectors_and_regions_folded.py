"""Stored sectors and regions in their one form: 人工智能 as ai, 北京 as Beijing.

Until now imports and profile forms kept these as typed, so one sector or place could be
several tags. From now on every write path folds them (directory/labels.py); this folds
what is already stored, with the same functions. Only the spelling changes, never what is
named: an unknown value stays as it is (a sector in the form of a code)."""

from django.db import migrations

from superconnector.directory.labels import (
    normalise_region,
    normalise_regions,
    normalise_sectors,
)

BATCH = 1000


def fold_stored_values(apps, schema_editor) -> None:
    Organisation = apps.get_model("directory", "Organisation")
    Opportunity = apps.get_model("directory", "Opportunity")
    _fold(
        Organisation,
        ("region", "sectors"),
        lambda o: (normalise_region(o.region), normalise_sectors(o.sectors)),
    )
    _fold(
        Opportunity,
        ("sectors", "regions"),
        lambda o: (normalise_sectors(o.sectors), normalise_regions(o.regions)),
    )


def _fold(model, fields: tuple[str, str], folded) -> None:
    changed = []
    for row in model.objects.only("pk", *fields).iterator(chunk_size=BATCH):
        values = folded(row)
        if values != tuple(getattr(row, name) for name in fields):
            for name, value in zip(fields, values, strict=True):
                setattr(row, name, value)
            changed.append(row)
        if len(changed) >= BATCH:
            model.objects.bulk_update(changed, fields)
            changed = []
    if changed:
        model.objects.bulk_update(changed, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_person_name_zh"),
    ]

    operations = [
        migrations.RunPython(fold_stored_values, migrations.RunPython.noop, elidable=True),
    ]
