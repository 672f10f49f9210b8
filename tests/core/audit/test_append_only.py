"""The audit log is append-only everywhere; on PostgreSQL by trigger, partitioned by month,
with retention dropping whole partitions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.audit import partitions
from core.audit.models import AppendOnlyError, AuditEvent
from core.audit.services import audit_record, changed_fields


def row(**fields) -> AuditEvent:
    return audit_record(actor=None, action=fields.pop("action", "accounts.user.create"), **fields)


def test_the_model_refuses_change_and_delete(db):
    event = row()
    event.action = "accounts.user.deactivate"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x.y")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "accounts.user.create"


def test_personal_data_is_masked_whatever_the_caller_passes(db):
    event = row(
        changes=changed_fields(
            {"mobile": "13912345678", "note": "call 13912345678", "status": "active"},
            {"mobile": "13800001111", "note": "id 340202198001011234", "status": "moved_out"},
            personal=["mobile"],
        ),
        extra={"query": "340202198001011234"},
    )
    event.refresh_from_db()
    assert event.changes["mobile"] == {"old": "***", "new": "***"}
    assert event.changes["note"] == {"old": "call 139****5678", "new": "id 3402**********1234"}
    assert event.changes["status"] == {"old": "active", "new": "moved_out"}
    assert event.extra == {"query": "3402**********1234"}


def test_a_personal_data_read_must_state_its_purpose(db):
    with pytest.raises(ValueError):
        row(action="registry.resident.reveal")
    assert row(action="registry.resident.reveal", purpose="家访核实").purpose == "家访核实"
    with pytest.raises(ValueError):
        row(action="Not A Code")


def test_an_action_no_app_declared_is_refused(db):
    with pytest.raises(ValueError, match=r"'accounts\.user\.vanish' is not declared by any app"):
        row(action="accounts.user.vanish")
    assert not AuditEvent.objects.exists()


@pytest.mark.postgres
def test_postgres_trigger_refuses_update_and_delete_even_in_raw_sql(db):
    event = row()
    for statement in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="accounts.user.create").exists()


@pytest.mark.postgres
def test_postgres_table_is_partitioned_by_month_with_partitions_ahead(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'audit_auditevent'")
        assert cursor.fetchone()[0] == "p"
        names = partitions.existing_partitions(cursor)
    today = timezone.localdate()
    assert partitions.partition_name(today.replace(day=1)) in names
    event = row()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [event.pk])
        assert cursor.fetchone()[0] == partitions.partition_name(timezone.localtime(event.created_at).date())


@pytest.mark.postgres
def test_retention_drops_whole_old_partitions_which_the_trigger_does_not_block(db, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    old_month = date(2020, 1, 1)
    with connection.cursor() as cursor:
        partitions.ensure_partitions(cursor, today=old_month, back=0, ahead=0)
        cursor.execute(
            "INSERT INTO audit_auditevent (created_at, actor_label, action, object_type, object_id,"
            " object_ids, region_path, changes, purpose, request_id, extra)"
            " VALUES ('2020-01-15 10:00+08', '', 'old.row', '', '', '[]', '', '{}', '', '', '{}')"
        )
    recent = row()
    report = partitions.maintain()
    assert partitions.partition_name(old_month) in report.dropped
    assert not AuditEvent.objects.filter(action="old.row").exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    # Idempotent: nothing left to do on a second run.
    assert partitions.maintain().dropped == ()


@pytest.mark.postgres
def test_a_row_outside_every_month_lands_in_the_default_partition_instead_of_failing(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (created_at, actor_label, action, object_type, object_id,"
            " object_ids, region_path, changes, purpose, request_id, extra)"
            " VALUES ('2031-06-15 10:00+08', '', 'future.row', '', '', '[]', '', '{}', '', '', '{}')"
            " RETURNING tableoid::regclass::text"
        )
        assert cursor.fetchone()[0] == partitions.DEFAULT_PARTITION
        # That month's partition cannot be made while the default holds its rows: skipped, not crashed.
        assert partitions.ensure_partitions(cursor, today=date(2031, 6, 1), back=0, ahead=0) == []


@pytest.mark.postgres
def test_maintenance_creates_partitions_ahead(db, settings):
    settings.AUDIT_PARTITIONS_AHEAD_MONTHS = 5
    partitions.maintain()
    with connection.cursor() as cursor:
        names = set(partitions.existing_partitions(cursor))
    month = timezone.localdate().replace(day=1)
    for _ in range(6):
        assert partitions.partition_name(month) in names
        month = (month + timedelta(days=32)).replace(day=1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_truncate_of_a_test_database_is_not_blocked():
    row()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")
    assert not AuditEvent.objects.exists()


def test_sqlite_retention_deletes_old_rows(db, settings):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL drops partitions (tested above)")
    settings.AUDIT_RETENTION_DAYS = 180
    old = row()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET created_at = %s WHERE id = %s",
            [(timezone.now() - timedelta(days=400)).isoformat(), old.pk],
        )
    recent = row()
    assert partitions.maintain().deleted_rows == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_periodic_task_is_declared(db):
    from core.extensions.registry import registry

    task = registry.get("periodic_tasks", "audit.maintain_partitions")
    assert task.task == "audit.maintain_partitions" and task.expires_seconds


def test_the_admin_cannot_change_or_delete(db, client):
    from django.contrib.admin.sites import site

    admin = site._registry[AuditEvent]
    assert not admin.has_add_permission(None)
    assert not admin.has_change_permission(None)
    assert not admin.has_delete_permission(None)
