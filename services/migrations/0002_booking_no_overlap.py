"""No two live bookings of a room overlap, on PostgreSQL as a constraint of the database itself
(an exclusion constraint over the room and the booking's time range, which needs btree_gist for
the room's equality). Other databases rely on the room's row lock (services/venues.py)."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE services_booking ADD CONSTRAINT svc_booking_no_overlap
    EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (NOT cancelled);
"""
DROP = "ALTER TABLE services_booking DROP CONSTRAINT IF EXISTS svc_booking_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("services", "0001_community_services")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
