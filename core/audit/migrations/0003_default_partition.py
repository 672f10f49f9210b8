from django.db import migrations

from core.audit import partitions


def create_default(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        partitions.ensure_default_partition(cursor)


def drop_default(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {partitions.DEFAULT_PARTITION}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_partitioned")]

    operations = [migrations.RunPython(create_default, drop_default)]
