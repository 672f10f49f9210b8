"""The load drill: `make stack`'s processes under a crowd of community workers, residents and
district staff (bench/load/locustfile.py), headless, for a bounded time.

    python -m bench.load                       # 12 workers, 10 residents, 3 district staff, 90 s
    python -m bench.load --run-time 60 --workers 6 --residents 6 --districts 2
    python -m bench.load --reuse               # keep the database seeded by the last run

It drops and creates a PostgreSQL database of its own (`sc_load_drill`; never a benchmark's
sc_bench_*), migrates it, loads `seed_demo`, makes the crowd's accounts (bench/load/prepare.py),
starts the Procfile's web, worker, beat and bridge under honcho against it and a Redis database
of its own (db 13, flushed), waits for /readyz with a live worker, runs locust, stops the stack and
prints p50/p95 per endpoint (a Markdown table, as in docs/BENCHMARKS.md). It exits non-zero when
any request failed (a 5xx, or a 4xx the user did not expect) or the stack logged a traceback.
Settings as `make stack` (DJANGO_ENV unset) with DEMO_FAKES=true, for the fake WeChat login.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SERVER_ERROR = re.compile(r'" 5\d\d\b|Traceback \(most recent call last\)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def drill_environment(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_ENV", None)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEMO_FAKES="true",
        PYTHONUNBUFFERED="1",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        **extra,
    )
    return env


def manage(env: dict, *args: str, module: bool = False) -> str:
    command = [sys.executable, "-m", *args] if module else [sys.executable, "manage.py", *args]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def recreate_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    if name.startswith("sc_bench_") or not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"refusing to drop {name!r}: give the drill a database of its own")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(
    env: dict, *, residents: int, workers: int, districts: int, resident_users: int, accounts: Path
) -> None:
    manage(env, "config.ensure_database", module=True)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo", "--residents", str(residents))
    prepare_accounts(env, workers=workers, districts=districts, residents=resident_users, accounts=accounts)


def prepare_accounts(env: dict, *, workers: int, districts: int, residents: int, accounts: Path) -> None:
    manage(
        env,
        "bench.load.prepare",
        str(accounts),
        "--workers",
        str(workers),
        "--districts",
        str(districts),
        "--residents",
        str(residents),
        module=True,
    )


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            body = json.loads(response.read())
    except (OSError, ValueError, urllib.error.HTTPError):
        return False
    return body.get("status") == "ok" and body.get("worker", {}).get("status") == "ok"


@contextlib.contextmanager
def stack(env: dict, log: Path, *, timeout: float = 120) -> Iterator[int]:
    """The Procfile's processes under honcho (as `make stack`), on a free port, until /readyz
    answers with a live worker; stopped (the whole process group) on the way out."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(BIN / "honcho"), "start", "-f", "Procfile", "-p", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + timeout
            while not ready(port):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"the stack did not become ready:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
            yield port
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@dataclass
class Line:
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    rps: float


def run_locust(
    port: int,
    accounts: Path,
    *,
    workers: int,
    residents: int,
    districts: int,
    run_time: int,
    spawn_rate: float,
    folder: Path,
) -> tuple[int, list[Line], str]:
    """Locust headless against the stack; its exit code, the stats per endpoint (Aggregated last)
    and the failures it recorded (CSV text)."""
    env = dict(os.environ)
    env.update(
        LOAD_ACCOUNTS=str(accounts),
        LOAD_WORKERS=str(workers),
        LOAD_RESIDENTS=str(residents),
        LOAD_DISTRICTS=str(districts),
    )
    prefix = folder / "locust"
    users = workers + residents + districts
    command = [
        str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "--host", f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(spawn_rate),
        "-t", f"{run_time}s", "--stop-timeout", "10", "--csv", str(prefix), "--loglevel", "WARNING",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=run_time + 300)
    (folder / "locust.log").write_text(done.stdout + done.stderr)
    lines = []
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            lines.append(
                Line(
                    name=row["Name"] if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}",
                    requests=int(row["Request Count"]),
                    failures=int(row["Failure Count"]),
                    p50=float(row["50%"] if row["50%"] != "N/A" else 0),
                    p95=float(row["95%"] if row["95%"] != "N/A" else 0),
                    p99=float(row["99%"] if row["99%"] != "N/A" else 0),
                    rps=float(row["Requests/s"]),
                )
            )
    failures = Path(f"{prefix}_failures.csv").read_text() if Path(f"{prefix}_failures.csv").exists() else ""
    return done.returncode, lines, failures


def server_errors(log: Path) -> list[str]:
    """Lines of the stack's log with a 5xx or a traceback. Read while the stack still runs: when
    it stops, honcho's SIGTERM reaches Celery's pool children too and the worker logs a lost job."""
    return [line for line in log.read_text(errors="replace").splitlines() if SERVER_ERROR.search(line)]


def table(lines: list[Line]) -> str:
    out = [
        "| endpoint | requests | failures | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for line in lines:
        name = "**all**" if line.name == "Aggregated" else f"`{line.name}`"
        times = f"{line.p50:.0f} | {line.p95:.0f} | {line.p99:.0f}"
        out.append(f"| {name} | {line.requests} | {line.failures} | {times} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=12, help="community workers (locust users)")
    parser.add_argument("--residents", type=int, default=10, help="residents (locust users)")
    parser.add_argument("--districts", type=int, default=3, help="district staff (locust users)")
    parser.add_argument(
        "--run-time", type=int, default=90, help="seconds of load, after the first user starts"
    )
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=0.5,
        help="users started a second; staff sign-ins are limited to 20 a minute from one address",
    )
    parser.add_argument("--seed-residents", type=int, default=2000, help="the demo register's size")
    parser.add_argument("--database", default="sc_load_drill")
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--web-concurrency", default="2", help="uvicorn workers (the Procfile's default)")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    args = parser.parse_args()

    database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    env = drill_environment(
        database_url, redis_url, WEB_CONCURRENCY=args.web_concurrency, WORKER_CONCURRENCY="1"
    )
    folder = Path(tempfile.mkdtemp(prefix="load-drill-"))
    accounts = folder / "accounts.json"
    started = time.monotonic()
    if not args.reuse:
        recreate_database(database_url)
        seed(
            env,
            residents=args.seed_residents,
            workers=args.workers,
            districts=args.districts,
            resident_users=args.residents,
            accounts=accounts,
        )
    else:
        prepare_accounts(
            env, workers=args.workers, districts=args.districts, residents=args.residents, accounts=accounts
        )
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    print(f"seeded {args.database} in {time.monotonic() - started:.0f}s; logs in {folder}", flush=True)

    log = folder / "stack.log"
    load_before = os.getloadavg()
    with stack(env, log) as port:
        code, lines, failures = run_locust(
            port,
            accounts,
            workers=args.workers,
            residents=args.residents,
            districts=args.districts,
            run_time=args.run_time,
            spawn_rate=args.spawn_rate,
            folder=folder,
        )
        load_during = os.getloadavg()
        errors = server_errors(log)
    total = next((line for line in lines if line.name == "Aggregated"), None)
    print(table(lines))
    print(
        f"\nusers: {args.workers} workers, {args.residents} residents, {args.districts} district staff; "
        f"{args.run_time}s at {args.spawn_rate} users/s; web concurrency {args.web_concurrency}"
    )
    if total:
        print(f"requests: {total.requests} ({total.rps:.1f}/s), failures: {total.failures}")
    print(
        f"load average before: {load_before[0]:.2f}; at the end: {' '.join(f'{v:.2f}' for v in load_during)}"
    )
    if failures.count("\n") > 1:
        print(f"\nfailures:\n{failures}")
    if errors:
        print("\nserver errors in the stack's log:\n" + "\n".join(errors[:40]))
    if code != 0 or errors or (total and total.failures):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
