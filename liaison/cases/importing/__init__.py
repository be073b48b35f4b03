"""Bulk import of 12345 hotline work orders (xlsx or csv) into cases, all or nothing.

The accepted columns are declared once in `COLUMNS` (the page and the template file are built from
it). Every row is checked before anything is written; a file with any error imports nothing and
gets a row-by-row report. A good file goes through `case_submit` with channel hotline_12345 and the
work-order number as `channel_ref`, so importing the same file again creates nothing.
"""

from __future__ import annotations

from typing import Any

from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.importing.checking import (
    Checked,
    ParsedRow,
    Problem,
    RowRefused,
    check_table,
    import_rows,
)
from liaison.cases.importing.columns import (
    BACKGROUND_ROWS,
    COLUMNS,
    KIND_WORDS,
    MAX_BYTES,
    MAX_ROWS,
    TEMPLATE_NAME,
    TEMPLATE_SHEET,
    Column,
    template_csv,
    template_rows,
    template_xlsx,
)
from liaison.cases.importing.reading import ImportFileError, map_headers, read_table
from liaison.cases.models import CaseImport, JobStatus
from liaison.common.uploads import import_file_extension, random_name

__all__ = [
    "BACKGROUND_ROWS",
    "COLUMNS",
    "KIND_WORDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "TEMPLATE_NAME",
    "TEMPLATE_SHEET",
    "Checked",
    "Column",
    "ImportFileError",
    "ParsedRow",
    "Problem",
    "RowRefused",
    "check_table",
    "import_rows",
    "import_run",
    "import_start",
    "map_headers",
    "read_table",
    "run_import_task",
    "template_csv",
    "template_rows",
    "template_xlsx",
]


# --- the import job --------------------------------------------------------------------------


def _finish(job: Any, *, status: str, problems: list[Problem], created: int = 0) -> None:

    job.status = status
    job.report = [p.as_dict() for p in problems[:2000]]
    job.created_count = created
    job.skipped_count = sum(1 for p in problems if p.level == "skipped")
    job.finished_at = timezone.now()
    # The upload carries people's phone numbers: keep the report, not the file.
    if job.file:
        job.file.delete(save=False)
    job.save()
    audit_record(
        actor=job.created_by,
        action=AuditAction.IMPORT,
        obj=job,
        note=f"{job.file_name}：{job.get_status_display()}，新增 {created} 件，"
        f"跳过 {job.skipped_count} 件，错误 {sum(1 for p in problems if p.level == 'error')} 处",
    )


def import_run(*, import_id: int, table: list[list[Any]] | None = None) -> Any:
    """Check the uploaded file and, if every row is good, import it (all or nothing)."""

    job = CaseImport.objects.select_related("created_by").get(pk=import_id)
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        if table is None:
            with job.file.open("rb") as handle:
                table = read_table(handle.read())
        checked = check_table(table, user=job.created_by)
    except ImportFileError as exc:
        _finish(job, status=JobStatus.FAILED, problems=[Problem(0, _("文件"), str(exc))])
        return job
    job.total_rows = checked.total
    if checked.errors:
        _finish(job, status=JobStatus.FAILED, problems=checked.problems)
        return job
    try:
        created = import_rows(checked.rows, user=job.created_by)
    except RowRefused as exc:
        _finish(job, status=JobStatus.FAILED, problems=[Problem(exc.line, "", exc.message)])
        return job
    _finish(job, status=JobStatus.DONE, problems=checked.problems, created=created)
    return job


def import_start(*, actor: User, name: str, data: bytes) -> Any:
    """Store the upload and import it now, or in the task worker when it is big."""
    from django.core.files.base import ContentFile

    job = CaseImport(created_by=actor, file_name=name[-200:])
    # A random stored name, typed by content: the uploaded name is kept in file_name only.
    stored = random_name(import_file_extension(data))
    job.file.save(stored, ContentFile(data), save=False)
    job.save()
    try:
        table = read_table(data)
    except ImportFileError:
        table = None  # import_run reports it
    if table is not None and len(table) - 1 > BACKGROUND_ROWS:
        run_import_task.enqueue(import_id=job.pk)
        job.refresh_from_db()
        return job
    return import_run(import_id=job.pk, table=table)


@task()
def run_import_task(import_id: int) -> None:
    """Import a big file in the task worker (the page polls the CaseImport row)."""
    import_run(import_id=import_id)
