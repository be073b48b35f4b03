"""Queue, run and expire export jobs. Writers of `ExportJob` rows are only these functions."""

from __future__ import annotations

import datetime
import logging
import secrets
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.context import current_ip
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.jobs.models import ExportJob, JobStatus
from liaison.jobs.registry import job_kind

logger = logging.getLogger(__name__)


def export_job_request(
    *, actor: User, kind: str, params: dict[str, Any], title: str, region_code: str = ""
) -> ExportJob:
    """Record the request and hand it to the task worker. The caller has checked that the
    actor may export this scope; the builder reads the data as the actor again when it runs."""
    job_kind(kind)  # unknown kinds fail here, not in the worker
    job = ExportJob.objects.create(
        kind=kind, params=params, title=title[:200], region_code=region_code, created_by=actor
    )
    ip = current_ip.get()
    transaction.on_commit(lambda: run_export_job.enqueue(job_id=job.pk, ip=ip))
    return job


def _progress_writer(job: ExportJob) -> Any:
    last = [-1]

    def write(percent: int) -> None:
        percent = max(0, min(99, int(percent)))
        if percent != last[0]:  # one UPDATE per step, not per row
            last[0] = percent
            ExportJob.objects.filter(pk=job.pk).update(progress=percent)

    return write


def export_job_run(*, job_id: int, ip: str | None = None) -> ExportJob:
    """Build the job's file (in the worker); audited under the requester's `ip`."""
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    try:
        built = job_kind(job.kind).build(job, _progress_writer(job))
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    suffix = PurePath(built.filename).suffix or ".bin"
    job.file.save(f"{job.kind}_{secrets.token_hex(8)}{suffix}", ContentFile(built.content), False)
    job.filename, job.row_count = built.filename[:200], built.rows
    job.status, job.progress, job.finished_at = JobStatus.DONE, 100, timezone.now()
    job.save(update_fields=["file", "filename", "row_count", "status", "progress", "finished_at"])
    audit_record(
        actor=job.created_by,
        action=AuditAction.EXPORT,
        obj=job,
        region_code=job.region_code,
        note=_("生成%(title)s（%(n)d 行）") % {"title": job.title, "n": built.rows},
        ip=ip,
    )
    return job


@task()
def run_export_job(job_id: int, ip: str | None = None) -> None:
    export_job_run(job_id=job_id, ip=ip)


def expires_at(job: ExportJob) -> datetime.datetime | None:
    if job.finished_at is None or job.status != JobStatus.DONE:
        return None
    return job.finished_at + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def export_jobs_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of jobs past EXPORT_RETENTION_HOURS (the rows stay: who exported what)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    expired = ExportJob.objects.filter(status=JobStatus.DONE, finished_at__lte=cutoff).exclude(
        file=""
    )
    count = 0
    for job in expired.iterator():
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        count += 1
    if count:
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="jobs.exportjob",
            note=_("删除超过保存期限的导出文件：%(n)d 个") % {"n": count},
        )
    return count


@task()
def expire_export_jobs_task() -> int:
    return export_jobs_expire()
