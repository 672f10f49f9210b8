"""`make bench` and `make bench-small`: seed a PostgreSQL database of the benchmarks' own at the
given scale (once; later runs reuse it), run every registered benchmark against it, print each
result and a summary, keep the figures in var/bench/<residents>.json, and exit non-zero when
any target is missed.

    python -m bench.run --residents 1000000            # make bench
    python -m bench.run --residents 100000             # make bench-small
    python -m bench.run --residents 100000 --only bench.bench_lists --quick

The database is BENCH_DATABASE_URL, by default sc_bench_<residents> on the local PostgreSQL;
the live-notice benchmark also needs Redis: BENCH_REDIS_URL, by default the local Redis's db 11.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.registry import BENCHMARKS

ROOT = Path(__file__).resolve().parent.parent


# Benchmarks of the services mode (websockets through the channel layer): they get the local
# Redis unless BENCH_REDIS_URL names another; the rest run without Redis, as the embedded default.
NEEDS_REDIS = {"bench.bench_notices"}
DEFAULT_BENCH_REDIS_URL = "redis://127.0.0.1:6379/11"


def with_redis(env: dict) -> dict:
    return {**env, "REDIS_URL": os.environ.get("BENCH_REDIS_URL", DEFAULT_BENCH_REDIS_URL)}


def database_url(residents: int) -> str:
    return os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/sc_bench_{residents}"


def run_step(args: list[str], env: dict) -> None:
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True)


def residents_in(env: dict) -> int:
    output = subprocess.run(
        [sys.executable, "-m", "bench.count_residents"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(output.stdout.strip() or 0)


def prepare(residents: int, env: dict) -> None:
    """Create, migrate and (if it is not yet) seed the benchmark database."""
    run_step(["-m", "config.ensure_database"], env)
    run_step(["manage.py", "migrate", "--noinput", "-v0"], env)
    present = residents_in(env)
    if present and abs(present - residents) > residents * 0.05:
        sys.exit(
            f"{env['DATABASE_URL']} holds {present:,} residents, not {residents:,}: drop it (dropdb) or set"
            " BENCH_DATABASE_URL to another database"
        )
    if not present:
        print(
            f"seeding {residents:,} residents into {env['DATABASE_URL']} (once; later runs reuse it)",
            flush=True,
        )
        started = time.perf_counter()
        run_step(["manage.py", "seed_demo", "--residents", str(residents)], env)
        run_step(["-m", "bench.vacuum"], env)
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)


def describe_machine(url: str, load_at_start: float) -> str:
    import platform

    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
    return (
        f"{os.cpu_count()} CPUs, load average {load_at_start:.1f} at the start and {os.getloadavg()[0]:.1f}"
        f" at the end, PostgreSQL {version}, Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--only", action="append", help="run only these modules (repeatable)")
    parser.add_argument("--quick", action="store_true", help="few runs: check the benchmarks work")
    options = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(options.residents),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("REDIS_URL", None) if "BENCH_REDIS_URL" not in os.environ else env.update(
        REDIS_URL=os.environ["BENCH_REDIS_URL"]
    )
    prepare(options.residents, env)
    load_at_start = os.getloadavg()[0]

    modules = options.only or BENCHMARKS
    results: list[dict] = []
    failed_to_run: list[str] = []
    for module in modules:
        print(f"\n== {module} ({options.residents:,} residents)", flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            args = ["-m", module, "--residents", str(options.residents), "--json", out.name]
            completed = subprocess.run(
                [sys.executable, *args, *(["--quick"] if options.quick else [])],
                cwd=ROOT,
                env=with_redis(env) if module in NEEDS_REDIS else env,
            )
            produced = Path(out.name).read_text() if Path(out.name).stat().st_size else ""
        if produced:
            results.extend({**r, "module": module} for r in json.loads(produced))
        if completed.returncode not in (0, 1) or not produced:
            failed_to_run.append(module)

    missed = [r for r in results if not r["passed"]]
    print(f"\n== summary: {len(results)} measures, {len(missed)} missed, {len(failed_to_run)} failed to run")
    for r in missed:
        shown = r.get("shown") or f"{r['ratio']:.2f}×"
        print(f"  MISS {r['module']}: {r['name']} ({shown}, target {r['target']})")
    for module in failed_to_run:
        print(f"  FAILED {module}")
    machine = describe_machine(env["DATABASE_URL"], load_at_start)
    print(f"machine: {machine}")
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{options.residents}.json").write_text(
        json.dumps(
            {"residents": options.residents, "machine": machine, "results": results},
            ensure_ascii=False,
            indent=1,
        )
    )
    return 1 if missed or failed_to_run else 0


if __name__ == "__main__":
    sys.exit(main())
