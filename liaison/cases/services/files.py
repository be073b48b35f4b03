"""Files attached to a reply: images (checked by content, re-encoded) and PDFs (magic bytes).

Checking and re-encoding live in `liaison.common.uploads`; stored names are random with the
extension the content proves (never the uploaded name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liaison.cases.models import Attachment, Case
from liaison.common.uploads import CleanFile, clean_image, clean_pdf, is_pdf
from liaison.jurisdiction.selectors import setting_value

MAX_REPLY_FILES: Final = 10


@dataclass(frozen=True)
class CheckedFile:
    """A reply file that passed the checks: its uploaded name (shown only) and clean bytes."""

    name: str
    clean: CleanFile

    @property
    def content_type(self) -> str:
        return self.clean.content_type

    @property
    def extension(self) -> str:
        return self.clean.extension

    @property
    def size(self) -> int:
        return self.clean.size


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
    if is_pdf(file):
        if _size_of(file) > max_bytes:
            raise ValidationError(
                _("文件超过 %(mb)s MB") % {"mb": max_bytes // (1024 * 1024)}, code="too_large"
            )
        return CheckedFile(name, clean_pdf(file))
    return CheckedFile(name, clean_image(file, max_bytes=max_bytes))


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
    """Store checked files as reply attachments under random names; their ids."""
    ids: list[int] = []
    for checked in files:
        attachment = Attachment(
            case=case,
            purpose=Attachment.Purpose.REPLY,
            original_name=checked.name.rsplit("/", 1)[-1][:200],
            content_type=checked.content_type,
            size=checked.size,
        )
        attachment.file.save(checked.clean.random_name(), checked.clean.as_file(), save=False)
        attachment.save()
        ids.append(attachment.pk)
    return ids
