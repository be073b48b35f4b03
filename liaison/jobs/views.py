"""A job's page (status, progress, the link when ready) and its download, for its requester."""

from __future__ import annotations

from pathlib import PurePath

from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.downloads import file_response
from liaison.common.uploads import CONTENT_TYPES
from liaison.jobs.models import ExportJob, JobStatus
from liaison.jobs.registry import job_kind
from liaison.jobs.services import expires_at

# Seconds between the page's reloads while the job waits (a meta refresh: no script).
REFRESH_SECONDS = 3


def _own_job(request: AuthedHttpRequest, pk: int) -> ExportJob:
    # Someone else's job is "not found", not "forbidden": its existence is nobody's business.
    return get_object_or_404(ExportJob, pk=pk, created_by=request.user)


@staff_required()
@require_GET
def job_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    try:
        back_name = job_kind(job.kind).back
        back = reverse(back_name) if back_name else ""
    except (KeyError, NoReverseMatch):  # a kind no longer registered, a page since renamed
        back = ""
    context = {
        "job": job,
        "back": back,
        "refresh": REFRESH_SECONDS if job.is_waiting else None,
        "expires_at": expires_at(job),
        "expired": job.status == JobStatus.DONE and not job.file,
    }
    return render(request, "staff/jobs/detail.html", context)


@staff_required()
@require_GET
def job_download(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """The file, to its requester while the scope is still theirs; audited."""
    job = _own_job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    try:
        allowed = job_kind(job.kind).downloadable(job, request.user)
    except KeyError:
        allowed = False
    if not allowed:
        raise Http404
    extension = PurePath(job.filename).suffix.lstrip(".")
    response = file_response(
        job.file,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        filename=job.filename,
    )
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=job,
        region_code=job.region_code,
        note=_("下载%(title)s") % {"title": job.title},
    )
    return response
