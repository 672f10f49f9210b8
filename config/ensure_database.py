"""Create the PostgreSQL database named by DATABASE_URL if it does not exist (for `make stack`)."""

from __future__ import annotations

import os
import sys

import psycopg
from psycopg import sql

from config import env


def main() -> int:
    url = env.get("DATABASE_URL")
    if not url or not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return 0
    config = env.database(url, default_sqlite_path="")
    name = config["NAME"]
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.exit(main())
