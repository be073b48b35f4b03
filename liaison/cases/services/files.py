"""Files attached to a reply: images (checked by content) and PDF documents (magic bytes)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from liaison.cases.models import Attachment, Case
from liaison.common.images import validate_image_upload
from liaison.jurisdiction.selectors import setting_value

MAX_REPLY_FILES: Final = 10
PDF_MAGIC: Final = b"%PDF-"


@dataclass(frozen=True)
class CheckedFile:
    file: Any
    name: str
    content_type: str
    extension: str
    size: int


def _size_of(file: Any) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return int(size)
    position = file.tell()
    file.seek(0, 2)
    end = int(file.tell())
    file.seek(position)
    return end


def _check_one(file: Any, *, max_bytes: int) -> CheckedFile:
    name = str(getattr(file, "name", "") or "")
    file.seek(0)
    head = file.read(len(PDF_MAGIC))
    file.seek(0)
    if head == PDF_MAGIC:
        size = _size_of(file)
        if size > max_bytes:
            raise ValidationError(
                _("文件超过 %(mb)s MB") % {"mb": max_bytes // (1024 * 1024)}, code="too_large"
            )
        return CheckedFile(file, name, "application/pdf", "pdf", size)
    image_format = validate_image_upload(file, max_bytes=max_bytes)
    extension = {"JPEG": "jpg"}.get(image_format, image_format.lower())
    return CheckedFile(file, name, f"image/{image_format.lower()}", extension, _size_of(file))


def validate_reply_files(files: Sequence[Any], *, region: str) -> list[CheckedFile]:
    """Check every file before anything is written; ValidationError names the bad file."""
    files = [f for f in files if f is not None]
    if not files:
        return []
    if len(files) > MAX_REPLY_FILES:
        raise ValidationError({"attachments": _("附件最多 %(n)s 个") % {"n": MAX_REPLY_FILES}})
    max_bytes = int(setting_value(key="max_upload_mb", region=region)) * 1024 * 1024
    checked: list[CheckedFile] = []
    for file in files:
        try:
            checked.append(_check_one(file, max_bytes=max_bytes))
        except ValidationError as error:
            name = str(getattr(file, "name", "") or _("附件"))
            message = "；".join(error.messages)
            raise ValidationError(
                {
                    "attachments": _("%(name)s：%(msg)s（仅支持图片和 PDF）")
                    % {"name": name, "msg": message}
                }
            ) from None
    return checked


def save_reply_files(case: Case, files: Sequence[CheckedFile]) -> list[int]:
    """Store checked files as reply attachments under generated names; their ids."""
    ids: list[int] = []
    for checked in files:
        attachment = Attachment(
            case=case,
            purpose=Attachment.Purpose.REPLY,
            original_name=checked.name.rsplit("/", 1)[-1][:200],
            content_type=checked.content_type,
            size=checked.size,
        )
        checked.file.seek(0)
        attachment.file.save(
            f"reply-{uuid.uuid4().hex}.{checked.extension}", File(checked.file), save=False
        )
        attachment.save()
        ids.append(attachment.pk)
    return ids
