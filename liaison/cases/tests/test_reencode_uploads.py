"""`reencode_uploads`: images stored before the fix lose their EXIF and their uploaded names."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from liaison.cases.models import Attachment
from liaison.cases.tests.factories import CaseFactory
from liaison.deputies.tests.factories import DeputyFactory

pytestmark = pytest.mark.django_db


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    exif[0x8825] = {1: "N", 2: (28.0, 10.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_old_images_are_reencoded_renamed_and_pdfs_left_alone(
    station: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case: Any = CaseFactory(station=station)
    photo = Attachment(case=case, purpose=Attachment.Purpose.INTAKE, content_type="text/html")
    photo.file.save("evil.html", ContentFile(gps_jpeg()))
    pdf = Attachment(case=case, purpose=Attachment.Purpose.REPLY, content_type="application/pdf")
    pdf.file.save("reply.pdf", ContentFile(b"%PDF-1.4"))
    deputy: Any = DeputyFactory()
    deputy.photo.save("D123.jpg", ContentFile(gps_jpeg()))
    old = Path(settings.MEDIA_ROOT, str(photo.file.name))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reencode_uploads", stdout=out)
    assert "re-encoded 2 images" in out.getvalue()
    photo.refresh_from_db()
    deputy.refresh_from_db()
    pdf.refresh_from_db()
    for stored in (photo.file, deputy.photo):
        assert re.search(r"/[0-9a-f]{32}\.jpg$", str(stored.name))
        assert b"SpyCam" not in stored.read()
    assert photo.content_type == "image/jpeg"
    assert not old.exists()
    assert str(pdf.file.name).endswith("reply.pdf")
