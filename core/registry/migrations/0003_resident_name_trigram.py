"""A trigram GIN index for "name contains" on PostgreSQL; nothing on SQLite.

pg_trgm makes `name LIKE '%三%'` an index scan over millions of residents. The extension needs
a role allowed to CREATE EXTENSION; where that is refused the index is skipped with a notice
(search still works, by sequential scan) rather than failing the deployment.
"""

from django.db import migrations

INDEX = "resident_name_trgm_idx"


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - a missing privilege must not stop the migration
            cursor.execute("ROLLBACK TO SAVEPOINT trgm")
            print(f"\n  pg_trgm is not available: {INDEX} not created (name search scans instead).")
            return
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_resident USING gin (name gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_tag_ended_by_transfer_note")]

    operations = [migrations.RunPython(create_index, drop_index)]
