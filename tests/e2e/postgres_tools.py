"""PostgreSQL for the database drills: the server's own binaries, a private server of the test's own
(initdb in a temporary folder, on a spare port, so stopping it leaves the machine's PostgreSQL
serving everyone else), dumps and restores, and checksums to compare two databases by."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
from django.db import connection

from tests.e2e.processes import free_port
from tests.log_leaks import check_process_output


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def binary(name: str) -> str:
    """The client program of the server's own major version (pg_dump refuses an older one)."""
    candidate = Path(f"/usr/lib/postgresql/{server_major()}/bin/{name}")
    found = str(candidate) if candidate.exists() else shutil.which(name)
    assert found, f"{name} of PostgreSQL {server_major()} is not installed"
    return found


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, capture_output=True, timeout=300, **kwargs)


def dump(url: str, path: Path, *, plain: bool = False) -> Path:
    """`pg_dump` as docs/operations.md says: custom format (for pg_restore), or plain SQL."""
    fmt = "--format=plain" if plain else "--format=custom"
    run([binary("pg_dump"), fmt, "--no-owner", "--no-privileges", f"--file={path}", f"--dbname={url}"])
    return path


def restore(path: Path, url: str) -> None:
    run(
        [
            binary("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={url}",
            str(path),
        ]
    )


def create_database(server_url: str, name: str) -> str:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    return f"{server_url.rsplit('/', 1)[0]}/{name}"


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def tables(url: str) -> list[str]:
    """Every table holding rows: plain tables and each partition (the audit log's months)."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname"
        ).fetchall()
    return [name for (name,) in rows]


def fingerprint(url: str, names: list[str]) -> dict[str, tuple[int, str]]:
    """Per table, its row count and an md5 of every row's text in primary-key order."""
    found = {}
    with psycopg.connect(url) as conn:
        for name in names:
            columns = [
                row[0]
                for row in conn.execute(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                    " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                    " WHERE i.indrelid = %s::regclass AND i.indisprimary",
                    [name],
                ).fetchall()
            ]
            order = ", ".join(f't."{c}"' for c in columns) or "t::text"
            digest_sql = f"coalesce(md5(string_agg(t::text, '|' ORDER BY {order})), '')"
            count, digest = conn.execute(f'SELECT count(*), {digest_sql} FROM "{name}" t').fetchone()  # noqa: S608
            found[name] = (count, digest)
    return found


class PrivatePostgres:
    """A PostgreSQL server in a temporary folder, run by the `postgres` account when the tests run
    as root (the server refuses root), started, stopped and restarted at will."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="sc-drill-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._as = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.directory, account.pw_uid, account.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _pg_ctl(self, *args: str) -> None:
        run([*self._as, binary("pg_ctl"), "-D", str(self.data), *args])

    def init(self) -> None:
        run([*self._as, binary("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
             "--encoding=UTF8", "--locale=C.UTF-8"])  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl("-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        """A fast shutdown: sessions are ended at once, their transactions rolled back."""
        self._pg_ctl("-m", "fast", "-w", "-t", "60", "stop")

    def answers(self) -> bool:
        try:
            with psycopg.connect(self.url, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
        except psycopg.OperationalError:
            return False
        return True

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            if self.answers():
                self._pg_ctl("-m", "immediate", "-w", "stop")
        check_process_output(self.log)
        shutil.rmtree(self.directory, ignore_errors=True)
