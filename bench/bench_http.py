"""The fixed cost of a request: the resident list (a page of 20, one community) over HTTP, against a
bare ASGI endpoint running the same SQL, both served by the same uvicorn.

    BENCH_DATABASE_URL=postgres://…/sc_bench_1000000 \
        python -m bench.run --residents 1000000 --only bench.bench_http
    DATABASE_URL=postgres://… python -m bench.bench_http --runs 200

Starts two uvicorn processes, one worker each, with the options of the Procfile's `web` line:
config.asgi (production settings, a community worker's JWT) and bench/bare_asgi.py (psycopg and
orjson, no Django) running the SQL our view ran for one request (captured once with
CaptureQueriesContext: user, roles, count, page, tags). One client (http.client, keep-alive)
alternates GETs against both. Target: ours at most 2× the bare endpoint's p50.

Where the time goes is measured the same way without HTTP: Django's test client against the same
SQL run by psycopg with orjson in this process; the rest of each side is ASGI and HTTP.
BENCH_HTTP_OPTIONS="--loop asyncio --http h11" replaces the Procfile's options (to compare them).
Nothing is written to the database (the token is signed here; an account is made, then deleted,
only when the database has no community worker).
"""

from __future__ import annotations

import http.client
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from bench.harness import Context, Result, at_most, cli, compare

ROOT = Path(__file__).resolve().parent.parent
URL = "/api/v1/registry/residents/"
USERNAME = "worker"  # seed_demo's community worker (core/imports/demo.py DEMO_ACCOUNTS)


def production_env() -> dict[str, str]:
    """Production settings (no DEBUG, persistent connections) with the development keys, so the
    seeded data decrypts and this process can sign the token the server accepts."""
    from config import env

    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": env.DEV_SECRET_KEY,
        "PII_KEY": env.DEV_PII_KEY,
        "PII_INDEX_KEY": env.DEV_PII_INDEX_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    }


def production_options() -> list[str]:
    """The uvicorn options of the Procfile's web line, less where it listens and how many workers."""
    if os.environ.get("BENCH_HTTP_OPTIONS") is not None:
        return shlex.split(os.environ["BENCH_HTTP_OPTIONS"])
    line = next(x for x in (ROOT / "Procfile").read_text().splitlines() if x.startswith("web:"))
    tokens = shlex.split(line.removeprefix("web:"))
    tokens = tokens[tokens.index("config.asgi:application") + 1 :]
    options, skip = [], False
    for token in tokens:
        if skip:
            skip = False
        elif token in {"--host", "--port", "--workers"}:
            skip = True
        else:
            options.append(token)
    return options


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far (Linux /proc), 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    def __init__(self, port: int, pid: int):
        self.port, self.pid = port, pid


@contextmanager
def served(app: str, env: dict, log: Path):
    """uvicorn serving `app` on a free port, one worker, the production options."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "1", *production_options()]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"{app} did not start: {log.read_text()[-2000:]}") from None
                    time.sleep(0.2)
            yield Server(port, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)


class Client:
    """One keep-alive connection; the same code for both servers."""

    def __init__(self, port: int, headers: dict):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = headers

    reconnects = 0

    def get(self) -> bytes:
        try:
            self.connection.request("GET", URL, headers=self.headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed the idle connection (keep-alive timeout while the other side ran
            # a slow request): open it again, once, and count it.
            self.reconnects += 1
            self.connection.close()
            self.connection.request("GET", URL, headers=self.headers)
            response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {URL}: {response.status} {body[:300]!r}")
        return body


@contextmanager
def community_worker():
    """seed_demo's community worker, or (a database without it) one made now and deleted after."""
    from core.accounts.models import RoleAssignment, User
    from core.accounts.roles import Role
    from core.regions.models import Region

    user = User.objects.filter(username=USERNAME, is_active=True).first()
    if user is not None:
        yield user
        return
    community = Region.objects.filter(level=Region.Level.COMMUNITY).order_by("id").first()
    user = User.objects.create(username="bench-http-worker", is_staff=True)
    RoleAssignment.objects.create(user=user, role=Role.COMMUNITY_WORKER, region=community)
    try:
        yield user
    finally:
        RoleAssignment.objects.filter(user=user).delete()
        user.delete()


def access_token(user) -> str:
    from rest_framework_simplejwt.tokens import AccessToken

    from core.accounts.authentication import EPOCH_CLAIM, MFA_CLAIM

    token = AccessToken.for_user(user)  # an access token alone is not recorded anywhere
    token[EPOCH_CLAIM] = user.token_epoch
    token[MFA_CLAIM] = False  # a community worker signs in with a password only
    token.set_exp(lifetime=timedelta(hours=2))
    return str(token)


def run(ctx: Context) -> list[Result]:
    os.environ.update(production_env())
    from bench._django import machine, setup

    setup(vacuum=False)
    import orjson
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    results: list[Result] = []
    with community_worker() as user, tempfile.TemporaryDirectory() as tmp:
        headers = {"Authorization": f"Bearer {access_token(user)}", "X-Forwarded-Proto": "https"}
        django_client = DjangoClient(HTTP_AUTHORIZATION=headers["Authorization"])

        def ours_in_process():
            response = django_client.get(URL, secure=True)
            assert response.status_code == 200, response.content[:300]
            return response.content

        ours_in_process()
        with CaptureQueriesContext(connection) as captured:
            page = orjson.loads(ours_in_process())
        statements = [q["sql"] for q in captured.captured_queries]
        sql_file = Path(tmp) / "queries.json"
        sql_file.write_bytes(orjson.dumps(statements))
        print(
            f"{machine()}; {user.username}: {page['total']:,} residents, {len(page['results'])} on the page,"
            f" {len(statements)} queries a request; uvicorn {' '.join(production_options())}",
            flush=True,
        )

        database_url = os.environ["DATABASE_URL"]
        os.environ.update(BARE_SQL_FILE=str(sql_file), BARE_DATABASE_URL=database_url)
        import psycopg

        from bench import bare_asgi

        raw = psycopg.connect(database_url, autocommit=True)
        inproc = compare(
            "in-process: Django test client vs the same SQL by psycopg + orjson",
            ("django", ours_in_process),
            ("raw", lambda: bare_asgi.answer_sync(raw)),
            runs=ctx.runs * 2,
        )
        results.append(inproc)

        server_env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with (
            served("config.asgi:application", server_env, Path(tmp) / "ours.log") as ours_server,
            served("bench.bare_asgi:app", server_env, Path(tmp) / "bare.log") as bare_server,
        ):
            ours, bare = Client(ours_server.port, headers), Client(bare_server.port, headers)
            cpu_before = cpu_seconds(ours_server.pid), cpu_seconds(bare_server.pid)
            http_result = compare(
                "resident list, page of 20, one community: HTTP, ours vs bare ASGI (same SQL, orjson)",
                ("ours", ours.get),
                ("bare", bare.get),
                target=at_most(2),
                runs=ctx.runs * 4,
                warmup=10,
            )
            requests = http_result.runs + 10
            ours_cpu = (cpu_seconds(ours_server.pid) - cpu_before[0]) / requests * 1000
            bare_cpu = (cpu_seconds(bare_server.pid) - cpu_before[1]) / requests * 1000
        raw.close()
        ours_http, bare_http = http_result.ours_p50_ms, http_result.baseline_p50_ms
        ours_app, raw_app = inproc.ours_p50_ms, inproc.baseline_p50_ms
        http_result.note = (
            f"where ours' {ours_http:.1f} ms go (p50s): SQL and rows as raw psycopg {raw_app:.1f} ms;"
            f" Django/DRF in-process on top {ours_app - raw_app:.1f} ms;"
            f" ASGI+HTTP {ours_http - ours_app:.1f} ms"
            f" (bare's ASGI+HTTP {bare_http - raw_app:.1f} ms); server CPU a request: ours {ours_cpu:.1f} ms,"
            f" bare {bare_cpu:.1f} ms; reconnects {ours.reconnects}/{bare.reconnects};"
            f" load {os.getloadavg()[0]:.1f}"
        )
        print("       " + http_result.note, flush=True)
        results.append(http_result)
    return results


if __name__ == "__main__":
    cli(run)
