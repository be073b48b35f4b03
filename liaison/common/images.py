"""Checking uploaded images: size, real content (not the file name), format and dimensions.

Public and staff uploads alike are untrusted: a file named .jpg may be anything. Pillow reads the
header, `verify()` walks the data, and only JPEG/PNG/WEBP/GIF of sane dimensions pass.
"""

from __future__ import annotations

import contextlib
from typing import IO, Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS: Final = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
# Larger than any phone camera; guards against decompression bombs and absurd posters.
MAX_PIXELS_SIDE: Final = 10_000
MAX_PIXELS: Final = 50_000_000


def _size_of(file: Any) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return int(size)
    position = file.tell()
    file.seek(0, 2)
    end = int(file.tell())
    file.seek(position)
    return end


def _limit_label(value: int) -> str:
    """'5 MB', '1.5 MB' or '300 KB'."""
    if value < 1024 * 1024:
        return f"{max(1, value // 1024)} KB"
    mb = value / (1024 * 1024)
    return (f"{mb:.0f}" if mb == int(mb) else f"{mb:.1f}") + " MB"


def validate_image_upload(file: IO[bytes] | Any, *, max_bytes: int | None = None) -> str:
    """Raise ValidationError unless `file` is an allowed image within limits; return its format.

    The file position is rewound to the start afterwards so it can be saved.
    """
    limit = settings.MAX_PHOTO_BYTES if max_bytes is None else max_bytes
    if file is None:
        raise ValidationError(_("请选择图片文件"), code="required")
    size = _size_of(file)
    if size == 0:
        raise ValidationError(_("文件为空"), code="empty")
    if size > limit:
        raise ValidationError(
            _("图片超过 %(limit)s，请压缩后再上传") % {"limit": _limit_label(limit)},
            code="too_large",
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("文件不是有效的图片"), code="invalid_image") from None
    finally:
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("不支持的图片格式，请上传 JPG、PNG、WEBP 或 GIF 图片"), code="bad_format"
        )
    if width > MAX_PIXELS_SIDE or height > MAX_PIXELS_SIDE or width * height > MAX_PIXELS:
        raise ValidationError(
            _("图片尺寸过大（最大 %(side)s × %(side)s 像素）") % {"side": MAX_PIXELS_SIDE},
            code="too_many_pixels",
        )
    if width < 1 or height < 1:
        raise ValidationError(_("文件不是有效的图片"), code="invalid_image")
    return image_format


class ImageUploadValidator:
    """A form/model field validator wrapping `validate_image_upload`."""

    def __init__(self, max_bytes: int | None = None) -> None:
        self.max_bytes = max_bytes

    def __call__(self, file: Any) -> None:
        validate_image_upload(file, max_bytes=self.max_bytes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImageUploadValidator) and other.max_bytes == self.max_bytes

    def __hash__(self) -> int:
        return hash(self.max_bytes)
