"""How fast the register import is, against the two limits it cannot beat, measured in one run.

    python -m bench.run --residents 100000 --only bench.bench_import      # 20,000 rows
    python -m bench.run --residents 1000000 --only bench.bench_import     # 100,000 rows

Three measures on the same workbook (one community, one house, synthetic people), interleaved
run by run, each run in a transaction that is rolled back:

1. ours: the import task end to end (`import_job_run`: read the .xlsx, validate every row,
   encrypt, COPY, householders, audit, job outcome), with its deferred foreign keys checked;
2. the parse limit: openpyxl read-only parse of the same file alone (cached values, every row);
3. the write limit: raw COPY of the same rows already validated, encrypted and laid out, with
   the foreign keys checked too.

The target: ours reaches at least 60% of the throughput of the slower limit, per run (the
pipeline parses in a second process while it validates and writes, so it can come close to
the slower of the two). Also printed, without a target: ours against a naive import that does
the same reading and checks but saves each row with `Resident(**row).save()` (timed on a
sample, scaled).
"""

from __future__ import annotations

import io
import os
import random
import time
from contextlib import contextmanager

from bench._django import BENCH_ID_CODES, machine, rolled_back, setup
from bench.harness import Context, Result, cli, result_of, share_of_limit

ORM_SAMPLE = 2_000


def rows_for(ctx: Context) -> int:
    """20,000 rows at 100,000 residents, 100,000 at a million (a city's street files at most)."""
    rows = min(100_000, max(2_000, ctx.residents // 5))
    return rows // 10 if ctx.quick else rows


def build(rows: int, seed: int):
    """A community with a grid and a house, its worker, and a workbook of `rows` valid residents."""
    from openpyxl import Workbook

    from core.accounts.models import RoleAssignment, User
    from core.accounts.roles import Role
    from core.imports import columns
    from core.imports.synthetic import PeopleFactory
    from core.regions.models import Region
    from core.registry.models import House

    city = Region.objects.create(level=Region.Level.CITY, name="基准市", code="349900")
    district = Region.objects.create(level=Region.Level.DISTRICT, name="基准区", parent=city)
    street = Region.objects.create(level=Region.Level.STREET, name="基准街道", parent=district)
    community = Region.objects.create(level=Region.Level.COMMUNITY, name="基准社区", parent=street)
    grid = Region.objects.create(level=Region.Level.GRID, name="第1网格", parent=community)
    house = House.objects.create(region=grid, region_path=grid.path, address="基准社区1栋101室")
    user = User.objects.create(username="bench-importer")
    RoleAssignment.objects.create(user=user, role=Role.COMMUNITY_WORKER, region=community)

    people = PeopleFactory(random.Random(seed), BENCH_ID_CODES)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(columns.SHEET_TITLE)
    sheet.append([c.header for c in columns.COLUMNS])
    index = {c.key: i for i, c in enumerate(columns.COLUMNS)}
    written = 0
    while written < rows:
        household = people.household("340202")
        for person in household.members[: rows - written]:
            row = [None] * len(columns.COLUMNS)
            row[index["name"]] = person.name
            row[index["document_number"]] = person.id_number
            row[index["mobile"]] = person.mobile or None
            row[index["house"]] = house.pk
            sheet.append(row)
            written += 1
    content = io.BytesIO()
    book.save(content)
    return community, user, content.getvalue()


def prepared_rows(community, user, content: bytes) -> list[dict]:
    """The rows as the pipeline writes them: validated, placed, ready for the writer."""
    from django.utils import timezone

    from core.imports.rows import RowValidator
    from core.imports.workbook import iter_records

    validator = RowValidator(region=community, user=user, today=timezone.localdate())
    valid, errors = validator.validate(list(iter_records(io.BytesIO(content))))
    assert not errors, errors[:3]
    return valid


def laid_out(rows: list[dict]) -> tuple[list[str], list[list]]:
    """The Resident columns (no primary key) and each row's values, encrypted, in that order."""
    from django.utils import timezone

    from core.registry.identity import encrypt_columns
    from core.registry.models import Resident

    fields = [f for f in Resident._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    values = []
    for row in rows:
        row = encrypt_columns(dict(row))
        values.append(
            [
                now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                else row.get(f.attname, f.get_default())
                for f in fields
            ]
        )  # fmt: skip
    return [f.column for f in fields], values


def check_deferred_constraints() -> None:
    """Run the foreign-key checks PostgreSQL defers to the commit (which a rolled-back run never
    reaches), so that both sides pay for them inside their timing."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def parse_only(content: bytes) -> int:
    """The parse limit: openpyxl read-only, cached values, every row of the data sheet."""
    from openpyxl import load_workbook

    from core.imports import columns

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows = 0
        for _row in book[columns.SHEET_TITLE].iter_rows(values_only=True):
            rows += 1
        return rows
    finally:
        book.close()


def raw_copy(names: list[str], values: list[list]) -> None:
    """COPY of rows already encrypted and laid out: the floor any import pays."""
    from django.db import connection

    statement = "COPY registry_resident ({}) FROM STDIN".format(", ".join(names))
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in values:
            copy.write_row(row)
    check_deferred_constraints()


@contextmanager
def writes_timed(times: dict):
    """Time the pipeline's own writes (the bulk writer), to set a naive writer in their place."""
    from core.imports import services

    original = services.insert_rows

    def insert_rows(model, rows):
        started = time.perf_counter()
        try:
            return original(model, rows)
        finally:
            times["writes"] = times.get("writes", 0.0) + time.perf_counter() - started

    services.insert_rows = insert_rows
    try:
        yield
    finally:
        services.insert_rows = original


def ours(community, user, content: bytes, rows: int, times: dict) -> float:
    """One run of the import task in a rolled-back transaction; its seconds (the upload's checks,
    made in the request before the task is queued, are timed apart)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.imports.models import ImportJob
    from core.imports.services import import_job_create, import_job_run

    with rolled_back():
        started = time.perf_counter()
        job = import_job_create(
            user=user,
            region_id=community.pk,
            upload=SimpleUploadedFile("bench.xlsx", content),
            mode=ImportJob.Mode.STRICT,
        )
        times.setdefault("upload", []).append(time.perf_counter() - started)
        cpu_before = cpu_now()
        started = time.perf_counter()
        with writes_timed(times):
            import_job_run(job_id=job.pk)
            check_deferred_constraints()
        elapsed = time.perf_counter() - started
        times["cpu"] = [after - start for after, start in zip(cpu_now(), cpu_before, strict=True)]
        job.refresh_from_db()
        # The rows are rolled back; the stored upload would be left behind.
        job.file.delete(save=False)
        job.report.delete(save=False)
        assert job.status == ImportJob.Status.SUCCEEDED and job.created_count == rows, (
            job.status,
            job.failure,
            job.error_preview[:3],
        )
    return elapsed


def timed_in_transaction(function) -> float:
    with rolled_back():
        started = time.perf_counter()
        function()
        return time.perf_counter() - started


def orm_per_row(rows: list[dict]) -> float:
    """Seconds per row for Resident(**row).save(), on a sample."""
    from core.registry.models import Resident

    sample = rows[:ORM_SAMPLE]

    def save_each():
        for row in sample:
            Resident(**{k: v for k, v in row.items() if not k.startswith("_")}).save()
        check_deferred_constraints()

    return timed_in_transaction(save_each) / len(sample)


def backend_cpu() -> float:
    """CPU seconds the PostgreSQL backend serving this connection has used (0 if unreadable:
    another machine, or no /proc)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_now() -> tuple[float, float, float]:
    """CPU seconds so far: this process (all threads), its reaped children, its backend."""
    times = os.times()
    return times.user + times.system, times.children_user + times.children_system, backend_cpu()


def run(ctx: Context) -> list[Result]:
    setup()
    from django.conf import settings
    from django.db import connection

    rows = rows_for(ctx)
    runs = 2 if ctx.quick else (3 if ctx.residents >= 1_000_000 else 5)
    settings.IMPORT_MAX_ROWS = max(rows, getattr(settings, "IMPORT_MAX_ROWS", 0))
    settings.IMPORT_MAX_FILE_BYTES = 1 << 30
    settings.IMPORT_MAX_UNPACKED_BYTES = 1 << 32
    load_before = os.getloadavg()[0]
    with rolled_back():
        community, user, content = build(rows, seed=1)
        print(f"{rows:,} rows, workbook {len(content) / 1e6:.1f} MB; {machine()}", flush=True)
        prepared = prepared_rows(community, user, content)
        names, values = laid_out(prepared)
        postgres = connection.vendor == "postgresql"
        extra: dict = {}
        sides = {
            "ours": lambda: ours(community, user, content, rows, extra),
            "parse": lambda: timed_in_transaction(lambda: parse_only(content)),
        }
        if postgres:
            sides["copy"] = lambda: timed_in_transaction(lambda: raw_copy(names, values))
        times: dict[str, list[float]] = {name: [] for name in sides}
        order = list(sides)
        cpu: dict[str, list[float]] = {name: [0.0, 0.0, 0.0] for name in sides}
        for index in range(runs):
            # Rotate which side goes first, so that drift and load hit each alike.
            for name in order[index % len(order) :] + order[: index % len(order)]:
                before = cpu_now()
                times[name].append(sides[name]())
                used = [after - start for after, start in zip(cpu_now(), before, strict=True)]
                if name == "ours":  # the task alone, not the upload's checks before it
                    used = extra["cpu"]
                cpu[name] = [total + part for total, part in zip(cpu[name], used, strict=True)]
                print(
                    f"  run {index + 1}/{runs} {name}: {rows / times[name][-1]:,.0f} rows/s"
                    f" (CPU s: process {used[0]:.2f}, reader {used[1]:.2f}, PostgreSQL {used[2]:.2f})",
                    flush=True,
                )
        orm_row = orm_per_row(prepared)
    load_after = os.getloadavg()[0]

    def rate(samples: list[float]) -> str:
        return f"{rows / sorted(samples)[len(samples) // 2]:,.0f} rows/s"

    slower = [max(pair) for pair in zip(times["parse"], times.get("copy", times["parse"]), strict=True)]
    load = f"load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} CPUs"
    limits = f"parse alone {rate(times['parse'])}" + (f", raw COPY {rate(times['copy'])}" if postgres else "")
    upload = sorted(extra["upload"])[len(extra["upload"]) // 2]
    upload = f"upload checks (in the request) {upload:.1f} s"
    # Where the CPU goes, per run: on a busy machine wall times follow the share of the cores
    # each side gets; these show what each side would need of two idle cores.
    spent = "; ".join(f"{name} " + "+".join(f"{part / runs:.2f}" for part in cpu[name]) for name in sides)
    spent = f"CPU s per run (process+reader+PostgreSQL): {spent}"
    results = [
        result_of(
            f"register import of {rows:,} rows vs the slower of its limits (parse, raw COPY)",
            "ours",
            "slower limit",
            times["ours"],
            slower,
            target=share_of_limit(0.6),
            note=f"ours {rate(times['ours'])}; {limits}; {upload}; {load}\n       {spent}"
            + ("" if postgres else "; not PostgreSQL: no COPY limit, judged against the parse alone"),
        )
    ]
    # A naive import: the same reading and checks, then save() per row instead of our writer.
    writes = extra.get("writes", 0.0) / runs
    naive = [seconds - writes + orm_row * rows for seconds in times["ours"]]
    results.append(
        result_of(
            f"register import of {rows:,} rows: ours vs the same checks with save() per row",
            "ours",
            "naive save()",
            times["ours"],
            naive,
            note=f"save() timed on {ORM_SAMPLE:,} rows and scaled ({1 / orm_row:,.0f} rows/s)",
        )
    )
    for result in results:
        print(result.line(), flush=True)
    return results


if __name__ == "__main__":
    cli(run)
