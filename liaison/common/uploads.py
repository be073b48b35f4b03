"""Turning an untrusted upload into bytes the platform may store: checked, re-encoded, renamed.

Every upload path (public H5 images, staff intake attachments, reply attachments, deputy photos,
station assessment photos, 12345 import files) goes through here, so that:

- the stored name is random (a uuid) with an extension chosen from the CHECKED content, never
  from the uploaded name (`evil.html` that is really a PNG is stored as `<uuid>.png`);
- images are decoded and encoded again by Pillow: EXIF orientation is applied to the pixels, and
  nothing of the original file survives except the pixels: no EXIF (GPS, camera), XMP, ICC
  profile, comments or text chunks, and no bytes an attacker appended to make a polyglot;
- JPEG and WEBP photos without transparency become JPEG; everything else (PNG, GIF, WEBP with
  transparency) becomes PNG. Animated GIF/WEBP/PNG keep their first frame only (a still is what a
  case photo or a portrait needs, and one decoder path is less to get wrong);
- PDFs (reply attachments only) keep their bytes; they are served as downloads in a sandbox.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import IO, Any, Final

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from liaison.common.images import validate_image_upload

PDF_MAGIC: Final = b"%PDF-"
XLSX_MAGIC: Final = b"PK\x03\x04"
JPEG_QUALITY: Final = 88

# The only types a stored file is ever served as (see liaison/common/downloads.py).
IMAGE_TYPES: Final = {"jpg": "image/jpeg", "png": "image/png"}
CONTENT_TYPES: Final = {
    **IMAGE_TYPES,
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    # Only files the platform built (the station-year registers); no upload is stored as zip.
    "zip": "application/zip",
}


@dataclass(frozen=True)
class CleanFile:
    """Checked bytes ready to store, with the extension and type their content proves."""

    content: bytes
    extension: str
    content_type: str

    @property
    def size(self) -> int:
        return len(self.content)

    def random_name(self, prefix: str = "") -> str:
        """`<prefix><uuid>.<ext>`: nothing of the uploaded name reaches the disk."""
        return f"{prefix}{uuid.uuid4().hex}.{self.extension}"

    def as_file(self) -> ContentFile[bytes]:
        return ContentFile(self.content)


def _read_all(file: IO[bytes] | Any) -> bytes:
    file.seek(0)
    data = file.read()
    file.seek(0)
    return bytes(data)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def reencode_image(data: bytes) -> CleanFile:
    """Decode and re-encode image bytes (already checked by `validate_image_upload`)."""
    with Image.open(io.BytesIO(data)) as source:
        source_format = source.format or ""
        source.seek(0)  # animated images: the first frame
        image = ImageOps.exif_transpose(source)
        alpha = _has_alpha(image)
        as_jpeg = source_format in ("JPEG", "WEBP") and not alpha
        if as_jpeg:
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
        elif image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
            image = image.convert("RGBA" if alpha else "RGB")
        # Whatever Pillow read from the file (exif, xmp, icc_profile, comment, dpi, text
        # chunks) lives in `info`, and some encoders copy `info` into the output: keep only the
        # transparency a palette image needs.
        transparency = image.info.get("transparency")
        image.info = {} if transparency is None or as_jpeg else {"transparency": transparency}
        buffer = io.BytesIO()
        if as_jpeg:
            image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            return CleanFile(buffer.getvalue(), "jpg", IMAGE_TYPES["jpg"])
        image.save(buffer, format="PNG", optimize=True)
        return CleanFile(buffer.getvalue(), "png", IMAGE_TYPES["png"])


def clean_image(file: IO[bytes] | Any, *, max_bytes: int | None = None) -> CleanFile:
    """Check an uploaded image by its content and re-encode it; ValidationError if it is none."""
    validate_image_upload(file, max_bytes=max_bytes)
    try:
        return reencode_image(_read_all(file))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        # verify() passed but the pixels do not decode (a truncated or crafted file).
        raise ValidationError(_("文件不是有效的图片"), code="invalid_image") from None


def is_pdf(file: IO[bytes] | Any) -> bool:
    file.seek(0)
    head = file.read(len(PDF_MAGIC))
    file.seek(0)
    return bool(head == PDF_MAGIC)


def clean_pdf(file: IO[bytes] | Any) -> CleanFile:
    """A PDF told by its magic bytes; its bytes are kept (it is only ever downloaded)."""
    if not is_pdf(file):
        raise ValidationError(_("文件不是有效的 PDF"), code="invalid_pdf")
    return CleanFile(_read_all(file), "pdf", CONTENT_TYPES["pdf"])


def import_file_extension(data: bytes) -> str:
    """The extension a 12345 import file is stored under: xlsx by its zip header, else csv."""
    return "xlsx" if data[:4] == XLSX_MAGIC else "csv"


def random_name(extension: str, *, prefix: str = "") -> str:
    """A random stored name for bytes whose type the caller has checked."""
    return f"{prefix}{uuid.uuid4().hex}.{extension}"
