"""The report (Word) and the register (xlsx) as worker jobs: ask, watch, download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.accounts.decorators import AuthedHttpRequest
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.models import JobStatus
from liaison.common.downloads import file_response
from liaison.common.exports import export_filename
from liaison.common.uploads import CONTENT_TYPES
from liaison.suggestions import jobs
from liaison.suggestions.models import SuggestionExport
from liaison.suggestions.views_common import error_text, review_view
from liaison.suggestions.views_reports import chosen_filters


@review_view
@require_POST
def export_new(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    """Ask the worker for the file of the session (and category) chosen on the page."""
    session, category = chosen_filters(request, request.POST)
    try:
        job = jobs.export_request(actor=request.user, kind=kind, session=session, category=category)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("suggestions:report")
    return redirect("suggestions:export", pk=job.pk)


@review_view
@require_GET
def export_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(
        SuggestionExport.objects.select_related("session__congress", "category"),
        pk=pk,
        created_by=request.user,
    )
    context = {
        "job": job,
        "waiting": job.status in (JobStatus.PENDING, JobStatus.RUNNING),
        "expired": jobs.export_is_expired(job),
        "allowed": jobs.export_downloadable_by(job, request.user),
        "expires_at": jobs.export_expires_at(job),
    }
    return render(request, "staff/suggestions/export.html", context)


@review_view
@require_GET
def export_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """The file, to its requester within their scope and the retention time; audited."""
    job = get_object_or_404(
        SuggestionExport.objects.select_related("session"), pk=pk, created_by=request.user
    )
    if not jobs.export_downloadable_by(job, request.user):
        raise Http404("not downloadable")
    extension = "xlsx" if job.kind == SuggestionExport.Kind.REGISTER else "docx"
    name = str(job.get_kind_display())
    response = file_response(
        job.file,
        content_type=CONTENT_TYPES[extension],
        filename=export_filename(name, extension=extension),
    )
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=job,
        region_code=job.session.congress_id,
        note=_("下载%(k)s文件") % {"k": name},
    )
    return response
