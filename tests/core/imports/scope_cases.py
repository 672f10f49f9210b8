"""Scope-matrix cases of imports and exports (found by tests/scope_matrix/cases.py)."""

from __future__ import annotations

from tests.scope_matrix.cases import Case, register
from tests.world import World, make_user

# imports and exports (core.imports) ------------------------------------------------------------


def _workbook(rows: list[list]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import_job_in(world: World, community):
    from uuid import uuid4

    from django.core.files.base import ContentFile

    from core.imports.models import ImportJob

    job = ImportJob(
        token=uuid4().hex,
        region=community,
        region_path=community.path,
        file_name="名册.xlsx",
        file_size=1,
        sha256="0" * 64,
        created_by=make_user(),
        status="succeeded",
        invalid_rows=1,
    )
    job.file.save("x.xlsx", ContentFile(b"x"), save=False)
    job.report.save("r.xlsx", ContentFile(_workbook([["行号", "错误原因"], [2, "x"]])), save=False)
    job.save()
    return job


def _import_upload(world: World, community) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.imports import columns

    headers = [column.header for column in columns.COLUMNS]
    content = _workbook([headers, ["张三"] + [None] * (len(headers) - 1)])
    return {"file": SimpleUploadedFile("名册.xlsx", content), "region": world.grid_of(community).pk}


register(
    "import-job",
    case=Case(
        make=_import_job_in,
        format="multipart",
        payload=_import_upload,
        path_attribute="region_path",
        unaudited={
            "create": "an upload only queues the job; the job audits its outcome when it runs after "
            "commit (registry.import, with the ids it created)"
        },
    ),
)
# The export's body is a workbook, not a JSON list: scope is checked on the rows it holds
# (tests/core/imports/test_export.py); here, who may call it.
register("export-residents", case=Case(unpaged="a workbook of the rows in scope, not JSON"))
