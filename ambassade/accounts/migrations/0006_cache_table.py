"""The shared cache lives in the database by default (login throttling, the portal's rate
limit): its table is created with the schema, so that no deployment step can forget it."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_organisation_auto_confirm_articles")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
