from __future__ import annotations

from celery import shared_task

from core.imports.services import import_job_run


@shared_task(name="imports.run_import", ignore_result=True)
def run_import(job_id: int) -> None:
    """Run an uploaded register import; takes the job's primary key only (never personal data)."""
    import_job_run(job_id=job_id)


@shared_task(name="imports.requeue_orphans", ignore_result=True)
def requeue_orphans() -> list[int]:
    """Queue again the imports whose worker died mid-run (core.imports.services)."""
    from core.imports.services import import_jobs_requeue_orphans

    return import_jobs_requeue_orphans()


@shared_task(name="imports.purge_old_files", ignore_result=True)
def purge_old_files() -> int:
    from core.imports.retention import purge_old_files as purge

    return purge()
