"""Indexes for the house and household searches at a city's size (issue 12); see
core.registry.filters.HouseFilter and HouseholdFilter.

- Trigram GIN indexes (pg_trgm) on registry_house.address and registry_household.registered_address:
  "address contains" (3 characters or more) as an index scan instead of a scan of every house.
  PostgreSQL only, created like the resident name's (0003): where CREATE EXTENSION is refused the
  indexes are skipped with a notice and the search scans instead. Their pending list is kept at
  256 kB, as the resident name's (0008): GIN reads its whole pending list on every search.
- The household number needs nothing new: it is searched from its start, through the
  varchar_pattern_ops index its db_index already made (registry_household_number_…_like).
"""

from django.db import migrations

INDEXES = {
    "house_address_trgm_idx": ("registry_house", "address"),
    "household_address_trgm_idx": ("registry_household", "registered_address"),
}


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:
            cursor.execute("ROLLBACK TO SAVEPOINT trgm")
            names = ", ".join(INDEXES)
            print(f"\n  pg_trgm is not available: {names} not created (address search scans instead).")
            return
        for name, (table, column) in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
                " WITH (gin_pending_list_limit = 256)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_resident_search_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
