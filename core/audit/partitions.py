"""PostgreSQL: the audit table partitioned by month, append-only by trigger, retention by partition.

A row trigger refuses UPDATE and DELETE. Retention drops whole monthly partitions older than
AUDIT_RETENTION_DAYS (DROP TABLE fires no row trigger), and TRUNCATE of a test database is not a
row operation either. Partitions are created ahead by the `audit.maintain_partitions` task; the
migration creates the first ones. Month boundaries follow TIME_ZONE (Asia/Shanghai).

On SQLite the table is plain; the model and its queryset refuse changes, and retention deletes
old rows with a raw statement.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

TABLE = "audit_auditevent"
# Rows outside every monthly partition land here instead of failing the request they audit
# (a write whose audit row fails fails too). Empty in normal operation: partitions are made ahead.
DEFAULT_PARTITION = f"{TABLE}_default"
PARTITION_NAME = re.compile(rf"^{TABLE}_y(\d{{4}})m(\d{{2}})$")

# Runs once, in the migration: the plain table becomes a partitioned one (rows kept).
PARTITION_TABLE_SQL = f"""
ALTER TABLE {TABLE} ALTER COLUMN id DROP IDENTITY IF EXISTS;
ALTER TABLE {TABLE} ALTER COLUMN id DROP DEFAULT;
DROP SEQUENCE IF EXISTS {TABLE}_id_seq;
ALTER TABLE {TABLE} RENAME TO {TABLE}_plain;
ALTER TABLE {TABLE}_plain RENAME CONSTRAINT {TABLE}_pkey TO {TABLE}_plain_pkey;
DROP INDEX audit_auditevent_created_at_58e81936, audit_auditevent_action_2131bb77,
    audit_auditevent_action_2131bb77_like, audit_auditevent_actor_id_270bb4b7,
    audit_audit_object__0e78a5_idx, audit_region_path_idx;
CREATE SEQUENCE {TABLE}_id_seq;
CREATE TABLE {TABLE} (
    id bigint NOT NULL DEFAULT nextval('{TABLE}_id_seq'),
    created_at timestamp with time zone NOT NULL,
    actor_label varchar(150) NOT NULL,
    action varchar(64) NOT NULL,
    object_type varchar(64) NOT NULL,
    object_id varchar(64) NOT NULL,
    object_ids jsonb NOT NULL,
    region_path varchar(255) NOT NULL,
    changes jsonb NOT NULL,
    purpose varchar(255) NOT NULL,
    ip_address inet NULL,
    request_id varchar(64) NOT NULL,
    extra jsonb NOT NULL,
    actor_id bigint NULL,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
ALTER SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id;
CREATE INDEX audit_auditevent_created_at_58e81936 ON {TABLE} (created_at);
CREATE INDEX audit_auditevent_action_2131bb77 ON {TABLE} (action);
CREATE INDEX audit_auditevent_action_2131bb77_like ON {TABLE} (action varchar_pattern_ops);
CREATE INDEX audit_auditevent_actor_id_270bb4b7 ON {TABLE} (actor_id);
CREATE INDEX audit_audit_object__0e78a5_idx ON {TABLE} (object_type, object_id);
CREATE INDEX audit_region_path_idx ON {TABLE} (region_path varchar_pattern_ops);
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""

COPY_ROWS_SQL = f"""
INSERT INTO {TABLE} SELECT id, created_at, actor_label, action, object_type, object_id, object_ids,
    region_path, changes, purpose, ip_address, request_id, extra, actor_id FROM {TABLE}_plain;
SELECT setval('{TABLE}_id_seq', GREATEST((SELECT COALESCE(MAX(id), 0) FROM {TABLE}), 1));
DROP TABLE {TABLE}_plain;
"""  # noqa: S608 - fixed names, no input

UNPARTITION_SQL = f"""
DROP TRIGGER IF EXISTS audit_append_only ON {TABLE};
DROP FUNCTION IF EXISTS audit_refuse_change();
CREATE TABLE {TABLE}_plain (LIKE {TABLE} INCLUDING DEFAULTS);
INSERT INTO {TABLE}_plain SELECT * FROM {TABLE};
ALTER SEQUENCE {TABLE}_id_seq OWNED BY NONE;
DROP TABLE {TABLE};
ALTER TABLE {TABLE}_plain RENAME TO {TABLE};
ALTER TABLE {TABLE} ADD PRIMARY KEY (id);
ALTER SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id;
CREATE INDEX audit_auditevent_created_at_58e81936 ON {TABLE} (created_at);
CREATE INDEX audit_auditevent_action_2131bb77 ON {TABLE} (action);
CREATE INDEX audit_auditevent_action_2131bb77_like ON {TABLE} (action varchar_pattern_ops);
CREATE INDEX audit_auditevent_actor_id_270bb4b7 ON {TABLE} (actor_id);
CREATE INDEX audit_audit_object__0e78a5_idx ON {TABLE} (object_type, object_id);
CREATE INDEX audit_region_path_idx ON {TABLE} (region_path varchar_pattern_ops);
"""  # noqa: S608 - fixed names, no input


def is_partitioned(using=None) -> bool:
    return (using or connection).vendor == "postgresql"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _bound(month: date) -> str:
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime(month.year, month.month, 1, tzinfo=zone).isoformat()


def months_back_to(moment: datetime) -> int:
    """How many months before this one `moment` falls (0: this month), in local time."""
    local = timezone.localtime(moment).date()
    today = timezone.localdate()
    return max(0, (today.year - local.year) * 12 + today.month - local.month)


def partition_name(month: date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


@dataclass(frozen=True)
class MaintenanceReport:
    created: tuple[str, ...]
    dropped: tuple[str, ...]
    deleted_rows: int = 0


def existing_partitions(cursor) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass ORDER BY c.relname",
        [TABLE],
    )
    return [row[0] for row in cursor.fetchall()]


def ensure_partitions(
    cursor, *, today: date | None = None, back: int = 1, ahead: int | None = None
) -> list[str]:
    """Create the monthly partitions from `back` months ago to `ahead` months from now."""
    today = today or timezone.localdate()
    ahead = settings.AUDIT_PARTITIONS_AHEAD_MONTHS if ahead is None else ahead
    month = _month_start(today)
    for _ in range(back):
        month = _month_start(month - timedelta(days=1))
    existing = set(existing_partitions(cursor))
    created = []
    for _ in range(back + ahead + 1):
        name = partition_name(month)
        if name not in existing and _default_holds(cursor, month, existing):
            logger.error(
                "audit rows for %s sit in %s; create that partition by hand", month, DEFAULT_PARTITION
            )
        elif name not in existing:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {TABLE} FOR VALUES FROM (%s) TO (%s)",
                [_bound(month), _bound(_next_month(month))],
            )
            created.append(name)
        month = _next_month(month)
    return created


def _default_holds(cursor, month: date, existing: set[str]) -> bool:
    """Whether the default partition has rows of this month (PostgreSQL then refuses the partition)."""
    if DEFAULT_PARTITION not in existing:
        return False
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION} WHERE created_at >= %s AND created_at < %s)",  # noqa: S608
        [_bound(month), _bound(_next_month(month))],
    )
    return cursor.fetchone()[0]


def ensure_default_partition(cursor) -> None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {DEFAULT_PARTITION} PARTITION OF {TABLE} DEFAULT")


def drop_expired_partitions(cursor, *, today: date | None = None) -> list[str]:
    """Drop every partition whose whole month ended more than AUDIT_RETENTION_DAYS ago."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    dropped = []
    for name in existing_partitions(cursor):
        match = PARTITION_NAME.match(name)
        if not match:
            continue
        month = date(int(match.group(1)), int(match.group(2)), 1)
        if _next_month(month) <= cutoff:
            cursor.execute(f"DROP TABLE {name}")
            dropped.append(name)
    return dropped


def maintain(*, today: date | None = None) -> MaintenanceReport:
    """Create partitions ahead and apply retention. Idempotent; the periodic task calls it daily."""
    today = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        if is_partitioned():
            created = ensure_partitions(cursor, today=today)
            dropped = drop_expired_partitions(cursor, today=today)
            return MaintenanceReport(created=tuple(created), dropped=tuple(dropped))
        # SQLite: a plain table; delete the expired rows directly (the model would refuse).
        zone = ZoneInfo(settings.TIME_ZONE)
        cutoff_day = _month_start(today - timedelta(days=settings.AUDIT_RETENTION_DAYS))
        cutoff = datetime(cutoff_day.year, cutoff_day.month, 1, tzinfo=zone)
        from core.audit.models import AuditEvent

        field = AuditEvent._meta.get_field("created_at")
        value = field.get_db_prep_value(cutoff, connection)
        cursor.execute(f"DELETE FROM {TABLE} WHERE created_at < %s", [value])  # noqa: S608
        return MaintenanceReport(created=(), dropped=(), deleted_rows=cursor.rowcount)
