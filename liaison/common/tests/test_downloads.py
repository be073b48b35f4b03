"""The one file response: checked type, disposition, nosniff and a sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import Http404

from liaison.common.downloads import (
    file_response,
    safe_filename,
    served_type,
    stored_image_type,
    versioned,
)
from liaison.common.tests.test_uploads import encoded

PNG_HEADER = b"\x89PNG"


class Stored:
    """A minimal FieldFile stand-in over a real storage."""

    def __init__(self, storage: FileSystemStorage, name: str) -> None:
        self.storage, self.name = storage, name

    def __bool__(self) -> bool:
        return bool(self.name)

    def open(self, mode: str = "rb") -> Any:
        return self.storage.open(self.name, mode)


@pytest.fixture
def storage(tmp_path: Any) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path)


def stored(storage: FileSystemStorage, content: bytes, name: str = "f.bin") -> Stored:
    return Stored(storage, storage.save(name, ContentFile(content)))


def test_safe_filename_keeps_the_stem_and_forces_the_checked_extension() -> None:
    assert safe_filename("现场照片.html", extension="png") == "现场照片.png"
    assert safe_filename('../../a"b\r\n.pdf', extension="pdf") == "a_b.pdf"
    assert safe_filename("", extension="jpg", fallback="附件") == "附件.jpg"


def test_served_type_allows_checked_types_only() -> None:
    assert served_type("image/png") == "image/png"
    assert served_type("IMAGE/JPEG; charset=x") == "image/jpeg"
    assert served_type("text/html") == "application/octet-stream"
    assert served_type("image/svg+xml") == "application/octet-stream"


def test_file_response_headers(storage: FileSystemStorage) -> None:
    from PIL import Image

    png = stored(storage, encoded(Image.new("RGB", (2, 2)), "PNG"))
    response = file_response(png, content_type="image/png", filename="a.png", inline=True)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content).startswith(PNG_HEADER)


def test_documents_and_unknown_types_are_always_downloads(storage: FileSystemStorage) -> None:
    html = stored(storage, b"<script>alert(1)</script>")
    response = file_response(html, content_type="text/html", filename="x.html", inline=True)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    pdf = stored(storage, b"%PDF-1.4")
    response = file_response(pdf, content_type="application/pdf", filename="r.pdf", inline=True)
    assert response["Content-Disposition"].startswith("attachment")


def test_missing_file_is_404(storage: FileSystemStorage) -> None:
    with pytest.raises(Http404):
        file_response(Stored(storage, ""), content_type="image/png", filename="a.png")
    with pytest.raises(Http404):
        file_response(Stored(storage, "gone.png"), content_type="image/png", filename="a.png")


def test_stored_image_type_reads_the_content_not_the_name(storage: FileSystemStorage) -> None:
    from PIL import Image

    jpeg = stored(storage, encoded(Image.new("RGB", (2, 2)), "JPEG"), "photo.png")
    assert stored_image_type(jpeg) == "image/jpeg"
    with pytest.raises(Http404):
        stored_image_type(stored(storage, b"<html></html>", "photo.jpg"))


def test_versioned_changes_with_the_stored_name() -> None:
    assert versioned("/d/X/photo/", "a.png") != versioned("/d/X/photo/", "b.png")
    assert versioned("/d/X/photo/", "a.png").startswith("/d/X/photo/?v=")
