"""VACUUM ANALYZE the whole benchmark database after seeding: the visibility map lets index-only
scans skip the heap, and the planner sees the data as a city's would be."""

from bench._django import setup

if __name__ == "__main__":
    setup(vacuum=False)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
