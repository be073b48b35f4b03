"""Case attachments: served only to staff who can see the case, each download audited."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.selectors import case_get_for_user
from liaison.cases.views_staff.common import case_view
from liaison.common.downloads import file_response, safe_filename, served_type
from liaison.common.uploads import CONTENT_TYPES


def _extension_of(content_type: str) -> str:
    for extension, known in CONTENT_TYPES.items():
        if known == content_type:
            return extension
    return "bin"


@case_view
@require_GET
def case_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A photo or reply file of a case in the viewer's scope; 404 (and no audit row) outside."""
    case = case_get_for_user(request.user, pk)
    attachment = get_object_or_404(case.attachments.all(), pk=attachment_pk)
    content_type = served_type(attachment.content_type)
    response = file_response(
        attachment.file,
        content_type=content_type,
        filename=safe_filename(
            attachment.original_name, extension=_extension_of(content_type), fallback="附件"
        ),
        inline=True,  # photos open in the browser; documents are downloads regardless
    )
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW_PRIVATE,
        obj=attachment,
        region_code=case.region_id,
        note=f"查看件 {case.tracking_code} 的附件",
    )
    return response
