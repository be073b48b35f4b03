"""The session's handling report (Word) and register (xlsx) as jobs of the task worker: the
request records who asked for what, the worker builds the file with its progress, the requester
downloads it while the session is still in their scope and until `EXPORT_RETENTION_HOURS`
(decision 0040). The page polls the job with a meta refresh (no script)."""

from __future__ import annotations

import dataclasses
import datetime
import secrets
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import User
from liaison.audit.context import current_ip
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.models import JobStatus
from liaison.common.exports import document_docx, table_xlsx
from liaison.suggestions.exports import register_table, report_document
from liaison.suggestions.models import CongressSession, Status, SuggestionExport
from liaison.suggestions.stats import handling_table, session_rows, session_summary
from liaison.taxonomy.models import Category

PROGRESS_EVERY = 500


def export_request(
    *, actor: User, kind: str, session: CongressSession, category: Category | None = None
) -> SuggestionExport:
    """Record the request and hand it to the worker; refused outside the actor's scope."""
    if kind not in SuggestionExport.Kind.values:
        raise ValidationError({"kind": _("请选择要生成的文件")})
    scope = capability_scope(actor, Capability.REVIEW_SUGGESTIONS)
    if scope.is_empty:
        raise PermissionDenied
    if not scope.covers_region(session.congress_id):
        raise ValidationError({"session": _("该会次不在您的辖区")})
    job = SuggestionExport.objects.create(
        kind=kind, session=session, category=category, created_by=actor
    )
    run_suggestion_export.enqueue(export_id=job.pk, ip=current_ip.get())
    job.refresh_from_db()
    return job


def _progress(job: SuggestionExport, percent: int) -> None:
    job.progress = percent
    SuggestionExport.objects.filter(pk=job.pk).update(progress=percent)


def _counted[T](rows: Iterable[T], job: SuggestionExport, total: int) -> Iterator[T]:
    """The rows, moving the job's progress from 10 % to 90 % as the writer reads them."""
    for n, row in enumerate(rows, start=1):
        if total and n % PROGRESS_EVERY == 0:
            _progress(job, 10 + int(80 * n / total))
        yield row


def _build(job: SuggestionExport) -> tuple[bytes, int, str]:
    rows = session_rows(job.created_by, job.session, category_id=job.category_id)
    if job.kind == SuggestionExport.Kind.REGISTER:
        rows = rows.exclude(status__in=(Status.DRAFT, Status.WITHDRAWN))
        table = register_table(job.session, rows)
        total = rows.count()
        _progress(job, 10)
        table = dataclasses.replace(table, rows=_counted(table.rows, job, total))
        content, count = table_xlsx(table)
        return content, count, "xlsx"
    summary = session_summary(rows)
    _progress(job, 50)
    content = document_docx(report_document(job.session, summary, handling_table(rows)))
    return content, summary.received, "docx"


def export_run(*, export_id: int, ip: str | None = None) -> SuggestionExport:
    """Build the file of one request (in the worker); audited under the requester's `ip`."""
    job = SuggestionExport.objects.select_related("created_by", "session").get(pk=export_id)
    if job.status == JobStatus.DONE:
        return job
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        content, count, extension = _build(job)
    except Exception as exc:
        job.status, job.error, job.finished_at = JobStatus.FAILED, str(exc)[:500], timezone.now()
        job.save()
        raise
    name = f"suggestions_{job.kind}_{job.session_id}_{secrets.token_hex(8)}.{extension}"
    job.file.save(name, ContentFile(content), save=False)
    job.row_count, job.progress = count, 100
    job.status, job.finished_at = JobStatus.DONE, timezone.now()
    job.save()
    audit_record(
        actor=job.created_by,
        action=AuditAction.EXPORT,
        obj=job,
        region_code=job.session.congress_id,
        note=_("生成%(k)s（%(n)s 件）") % {"k": job.get_kind_display(), "n": count},
        ip=ip,
    )
    return job


@task()
def run_suggestion_export(export_id: int, ip: str | None = None) -> None:
    export_run(export_id=export_id, ip=ip)


def export_expires_at(job: SuggestionExport) -> datetime.datetime | None:
    if job.finished_at is None or job.status != JobStatus.DONE:
        return None
    return job.finished_at + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def export_is_expired(job: SuggestionExport, *, now: datetime.datetime | None = None) -> bool:
    expires_at = export_expires_at(job)
    return expires_at is not None and (not job.file or (now or timezone.now()) >= expires_at)


def export_downloadable_by(job: SuggestionExport, user: Any) -> bool:
    """The requester, while the file is kept and the session is still in their review scope."""
    if job.created_by_id != getattr(user, "pk", None) or job.status != JobStatus.DONE:
        return False
    if export_is_expired(job):
        return False
    scope = capability_scope(user, Capability.REVIEW_SUGGESTIONS)
    return scope.covers_region(job.session.congress_id)


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files past `EXPORT_RETENTION_HOURS` (the rows stay as the record); how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    expired = SuggestionExport.objects.filter(
        status=JobStatus.DONE, finished_at__lte=cutoff
    ).exclude(file="")
    count = 0
    for job in expired.iterator():
        job.file.delete(save=False)
        SuggestionExport.objects.filter(pk=job.pk).update(file="")
        count += 1
    if count:
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="suggestions.suggestionexport",
            note=_("删除超过保存期限的代表建议导出文件：%(n)s 个") % {"n": count},
        )
    return count


@task()
def expire_suggestion_exports_task() -> int:
    return exports_expire()
