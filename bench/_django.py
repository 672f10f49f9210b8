"""Start Django for a benchmark run and give it a place of its own in the database.

Every measurement runs inside a transaction that is rolled back, so a benchmark leaves the
database as it found it and can be run again on the same data.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager

# Area codes no demo resident has (valid province 34), so benchmark people never collide with
# a register already loaded in the same database.
BENCH_ID_CODES = ("349901", "349902", "349903")
REGISTER_TABLES = (
    "registry_resident",
    "registry_residenttag",
    "registry_household",
    "registry_house",
    "registry_unit",
    "registry_building",
    "registry_compound",
    "registry_membershipchange",
)


def setup(vacuum: bool = True, tables: tuple[str, ...] = ()) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    if not vacuum:
        return
    if connection.vendor != "postgresql":
        print(f"note: running on {connection.vendor}; set DATABASE_URL=postgres://… for the real numbers")
        return
    # Rolled-back runs leave dead rows behind; clear them and refresh the planner's statistics so
    # that every run starts from the same state.
    with connection.cursor() as cursor:
        for table in (*REGISTER_TABLES, *tables):
            cursor.execute(f"VACUUM ANALYZE {table}")


@contextmanager
def rolled_back():
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextmanager
def timed(results: dict, name: str):
    started = time.perf_counter()
    yield
    results[name] = time.perf_counter() - started


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = connection.vendor
    return f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, {database}"
