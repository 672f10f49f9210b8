"""The audit log becomes append-only: on PostgreSQL, partitioned by month with a trigger refusing
UPDATE and DELETE (see core/audit/partitions.py); elsewhere the model enforces it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def partition(apps, schema_editor):
    from core.audit import partitions

    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(partitions.PARTITION_TABLE_SQL)
        cursor.execute(f"SELECT MIN(created_at) FROM {partitions.TABLE}_plain")
        oldest = cursor.fetchone()[0]
        partitions.ensure_partitions(cursor, back=partitions.months_back_to(oldest) if oldest else 1)
        cursor.execute(partitions.COPY_ROWS_SQL)


def unpartition(apps, schema_editor):
    from core.audit import partitions

    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(partitions.UNPARTITION_SQL)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.RunPython(partition, unpartition),
    ]
