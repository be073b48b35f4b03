from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.common.images import ImageUploadValidator, validate_image_upload


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_allowed_formats_pass_and_file_is_rewound(fmt: str) -> None:
    upload = SimpleUploadedFile("photo.bin", image_bytes(fmt))
    assert validate_image_upload(upload) == fmt
    assert upload.tell() == 0


def test_text_file_named_jpg_is_refused() -> None:
    upload = SimpleUploadedFile("photo.jpg", b"this is not an image at all" * 10)
    with pytest.raises(ValidationError, match="文件不是有效的图片"):
        validate_image_upload(upload)


def test_truncated_image_is_refused() -> None:
    data = image_bytes("PNG", (200, 200))
    upload = SimpleUploadedFile("photo.png", data[: len(data) // 2])
    with pytest.raises(ValidationError, match="文件不是有效的图片"):
        validate_image_upload(upload)


def test_oversized_file_is_refused_with_limit_in_message() -> None:
    upload = SimpleUploadedFile("big.jpg", image_bytes())
    with pytest.raises(ValidationError, match="图片超过"):
        validate_image_upload(upload, max_bytes=10)
    with pytest.raises(ValidationError, match="图片超过 5 MB"):
        validate_image_upload(SimpleUploadedFile("b.jpg", b"x" * (5 * 1024 * 1024 + 1)))


def test_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError, match="文件为空"):
        validate_image_upload(SimpleUploadedFile("e.jpg", b""))


def test_unsupported_format_is_refused() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")
    with pytest.raises(ValidationError, match="不支持的图片格式"):
        validate_image_upload(SimpleUploadedFile("x.jpg", buffer.getvalue()))


def test_huge_dimensions_are_refused() -> None:
    buffer = io.BytesIO()
    Image.new("1", (12_000, 10)).save(buffer, format="PNG")
    with pytest.raises(ValidationError, match="图片尺寸过大"):
        validate_image_upload(SimpleUploadedFile("wide.png", buffer.getvalue()))


def test_validator_object_wraps_function() -> None:
    with pytest.raises(ValidationError):
        ImageUploadValidator(max_bytes=10)(SimpleUploadedFile("a.jpg", image_bytes()))
    assert ImageUploadValidator(10) == ImageUploadValidator(10)
