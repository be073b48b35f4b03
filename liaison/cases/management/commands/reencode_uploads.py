"""`manage.py reencode_uploads`: clean the images stored before uploads were re-encoded.

Files stored before the fix kept their uploaded names and their EXIF (GPS, camera). They are no
longer reachable by URL, but the checked views still serve them to whoever may see them, and
deputy portraits are public. This command re-encodes every stored case image, assessment photo
and deputy portrait (`liaison.common.uploads`), stores it under a random name, points the row at
it and deletes the old file. PDFs and other non-images are left as they are (they are served as
sandboxed downloads). Safe to run twice: a clean file is simply re-encoded again.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import models, transaction

from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.models import Attachment
from liaison.common.uploads import CleanFile, reencode_image
from liaison.deputies.models import Deputy
from liaison.stations.models import AssessmentPhoto


def _rows() -> Iterator[tuple[models.Model, str]]:
    """(row, name of its file field) for every stored image."""
    for attachment in Attachment.objects.exclude(file="").exclude(content_type="application/pdf"):
        yield attachment, "file"
    for photo in AssessmentPhoto.objects.exclude(image=""):
        yield photo, "image"
    for deputy in Deputy.objects.exclude(photo=""):
        yield deputy, "photo"


def _clean(field_file: Any) -> CleanFile | None:
    try:
        with field_file.storage.open(field_file.name, "rb") as handle:
            return reencode_image(handle.read())
    except Exception:  # not an image (a PDF, a missing file): left alone
        return None


class Command(BaseCommand):
    help = "重新编码已存储的图片（去除 EXIF/GPS 等元数据）并改用随机文件名。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        done = skipped = 0
        for row, field_name in _rows():
            field_file = getattr(row, field_name)
            clean = _clean(field_file)
            if clean is None:
                skipped += 1
                continue
            done += 1
            if options["dry_run"]:
                continue
            old_name, storage = field_file.name, field_file.storage
            with transaction.atomic():
                field_file.save(clean.random_name(), clean.as_file(), save=False)
                updates: dict[str, Any] = {field_name: field_file.name}
                if isinstance(row, Attachment):
                    updates.update(content_type=clean.content_type, size=clean.size)
                type(row)._default_manager.filter(pk=row.pk).update(**updates)
                transaction.on_commit(partial(storage.delete, old_name))
        if done and not options["dry_run"]:
            audit_record(
                actor=None,
                action=AuditAction.UPDATE,
                object_type="uploads",
                note=f"重新编码已存储的图片（去除元数据、随机文件名）：{done} 个",
            )
        verb = "would re-encode" if options["dry_run"] else "re-encoded"
        self.stdout.write(f"{verb} {done} images, left {skipped} other files as they are")
