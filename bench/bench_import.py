"""How fast the register import is, against raw COPY and a naive ORM save() per row.

    DATABASE_URL=postgres://… python -m bench.bench_import --rows 100000

Prints ratios measured in one run on the same prepared rows: our whole pipeline (read the .xlsx
with openpyxl, validate every row, encrypt, COPY, audit), raw COPY of the rows already
validated and encrypted, and Resident(**row).save() per row on a sample, scaled up. Each
measurement is rolled back, so the database is left as it was.
"""

from __future__ import annotations

import argparse
import io
import random
import time
from contextlib import contextmanager

from bench._django import BENCH_ID_CODES, machine, rolled_back, setup, timed


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


def raw_copy(rows: list[dict]) -> None:
    """COPY of rows already encrypted and laid out: the floor any import pays."""
    from django.db import connection

    from core.registry.models import Resident

    fields = [f for f in Resident._meta.concrete_fields if not f.primary_key]
    statement = "COPY registry_resident ({}) FROM STDIN".format(", ".join(f.column for f in fields))
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


@contextmanager
def writes_timed(times: dict):
    """Time the pipeline's own writes (the bulk writer), to set a naive writer in their place."""
    from core.imports import services

    original = services.insert_rows
    times["pipeline_writes"] = 0.0

    def insert_rows(model, rows):
        started = time.perf_counter()
        try:
            return original(model, rows)
        finally:
            times["pipeline_writes"] += time.perf_counter() - started

    services.insert_rows = insert_rows
    try:
        yield
    finally:
        services.insert_rows = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--orm-sample", type=int, default=2_000, help="rows saved one by one, then scaled")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    setup()

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.utils import timezone

    from core.imports.models import ImportJob
    from core.imports.services import import_job_create, import_job_run
    from core.imports.workbook import iter_records
    from core.registry.identity import encrypt_columns
    from core.registry.models import Resident

    settings.IMPORT_MAX_ROWS = max(options.rows, settings.__dict__.get("IMPORT_MAX_ROWS", 0))
    settings.IMPORT_MAX_FILE_BYTES = 1 << 30
    settings.IMPORT_MAX_UNPACKED_BYTES = 1 << 32
    times: dict[str, float] = {}
    with rolled_back():
        community, user, content = build(options.rows, options.seed)
        print(f"{options.rows:,} rows, workbook {len(content) / 1e6:.1f} MB; {machine()}")

        with timed(times, "read"):
            for _record in iter_records(io.BytesIO(content)):
                pass
        with rolled_back():
            upload = SimpleUploadedFile("bench.xlsx", content)
            with timed(times, "upload"):
                job = import_job_create(
                    user=user, region_id=community.pk, upload=upload, mode=ImportJob.Mode.STRICT
                )
            with timed(times, "pipeline"), writes_timed(times):
                import_job_run(job_id=job.pk)
            job.refresh_from_db()
            # The rows are rolled back; the stored upload (and report) would be left behind.
            job.file.delete(save=False)
            job.report.delete(save=False)
            assert job.status == ImportJob.Status.SUCCEEDED and job.created_count == options.rows, (
                job.status,
                job.failure,
                job.error_preview[:3],
            )

        rows = prepared_rows(community, user, content)
        fields = [f for f in Resident._meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        laid_out = []
        for row in rows:
            row = encrypt_columns(dict(row))
            laid_out.append(
                [
                    now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                    else row.get(f.attname, f.get_default())
                    for f in fields
                ]
            )  # fmt: skip
        if connection.vendor == "postgresql":
            with rolled_back(), timed(times, "copy"):
                raw_copy(laid_out)

        sample = rows[: options.orm_sample]
        with rolled_back(), timed(times, "orm_sample"):
            for row in sample:
                Resident(**{k: v for k, v in row.items() if not k.startswith("_")}).save()
        times["orm"] = times["orm_sample"] * len(rows) / len(sample)

    n = options.rows
    # A naive import: the same reading and checks, then save() per row instead of our writer.
    times["naive"] = times["pipeline"] - times["pipeline_writes"] + times["orm"]

    def line(label: str, seconds: float, note: str = "") -> None:
        print(f"  {label:<40} {seconds:8.1f} s  {n / seconds:10,.0f} rows/s  {note}")

    line("read the .xlsx only (openpyxl)", times["read"])
    print(f"  {'upload checks (in the request)':<40} {times['upload']:8.1f} s")
    line("our import pipeline", times["pipeline"])
    line("  of which writing (bulk writer)", times["pipeline_writes"])
    if "copy" in times:
        line("raw COPY of the prepared rows", times["copy"])
    line("save() per prepared row (scaled)", times["orm"], f"(sample of {len(sample):,})")
    line("naive import: our checks + save()", times["naive"])
    print("ratios:")
    if "copy" in times:
        print(f"  our pipeline / raw COPY                  {times['pipeline'] / times['copy']:6.1f}x")
        print(f"  our writer / raw COPY                    {times['pipeline_writes'] / times['copy']:6.1f}x")
        print(f"  save() per row / raw COPY                {times['orm'] / times['copy']:6.1f}x")
    print(f"  naive import / our pipeline              {times['naive'] / times['pipeline']:6.1f}x")
    print(f"  reading the .xlsx, share of the pipeline {100 * times['read'] / times['pipeline']:5.0f}%")


if __name__ == "__main__":
    main()
