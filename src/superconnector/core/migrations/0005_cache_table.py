"""The cache table of the default cache (core.config.parse_cache_url).

Created here, whatever CACHES says, so that `migrate` alone prepares a database: Django
otherwise needs a separate `createcachetable`, which a fresh install would forget.
"""

from django.core.management import call_command
from django.db import migrations

from superconnector.core.config import CACHE_TABLE


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", CACHE_TABLE, database=schema_editor.connection.alias)


def drop_cache_table(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_totpdevice_recoverycode")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
