"""Uploads: checked by content, re-encoded without metadata, named at random."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from liaison.common.uploads import (
    clean_image,
    clean_pdf,
    import_file_extension,
    random_name,
    reencode_image,
)


def encoded(image: Image.Image, image_format: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **params)
    return buffer.getvalue()


def test_png_text_chunks_and_icc_profile_are_dropped() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home: 岳麓区某小区 3 栋")
    data = encoded(Image.new("RGB", (8, 8), "blue"), "PNG", pnginfo=info, icc_profile=b"\0" * 128)
    clean = reencode_image(data)
    assert clean.extension == "png"
    assert clean.content_type == "image/png"
    with Image.open(io.BytesIO(clean.content)) as image:
        assert "Comment" not in image.info
        assert "icc_profile" not in image.info


def test_jpeg_comment_and_xmp_are_dropped() -> None:
    data = encoded(Image.new("RGB", (8, 8)), "JPEG", comment=b"secret", xmp=b"<x:xmpmeta/>")
    clean = reencode_image(data)
    assert clean.extension == "jpg"
    assert b"secret" not in clean.content
    assert b"xmpmeta" not in clean.content


def test_cmyk_jpeg_becomes_rgb_jpeg() -> None:
    clean = reencode_image(encoded(Image.new("CMYK", (8, 8)), "JPEG"))
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.format == "JPEG"
        assert image.mode == "RGB"


def test_webp_with_transparency_becomes_png_and_without_becomes_jpeg() -> None:
    transparent = reencode_image(encoded(Image.new("RGBA", (8, 8), (0, 0, 0, 0)), "WEBP"))
    opaque = reencode_image(encoded(Image.new("RGB", (8, 8), "red"), "WEBP"))
    assert transparent.extension == "png"
    assert opaque.extension == "jpg"


def test_animated_gif_keeps_its_first_frame_as_png() -> None:
    frames = [Image.new("RGB", (8, 8), color) for color in ("red", "lime", "blue")]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])
    clean = reencode_image(data)
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.format == "PNG"
        assert getattr(image, "n_frames", 1) == 1
        assert image.convert("RGB").getpixel((0, 0)) == (255, 0, 0)


def test_palette_transparency_is_kept() -> None:
    image = Image.new("P", (8, 8), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    clean = reencode_image(encoded(image, "GIF", transparency=0))
    with Image.open(io.BytesIO(clean.content)) as result:
        assert result.convert("RGBA").getpixel((0, 0))[3] == 0


def test_clean_image_refuses_what_is_not_an_image() -> None:
    upload = SimpleUploadedFile("a.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError):
        clean_image(upload)


def test_clean_image_names_at_random_with_the_checked_extension() -> None:
    upload = SimpleUploadedFile("x.html", encoded(Image.new("L", (4, 4)), "PNG"), "text/html")
    name = clean_image(upload).random_name(prefix="p-")
    assert re.fullmatch(r"p-[0-9a-f]{32}\.png", name)


def test_pdf_keeps_its_bytes_and_non_pdf_is_refused() -> None:
    pdf = SimpleUploadedFile("a.exe", b"%PDF-1.7\n...", content_type="application/x-msdownload")
    clean = clean_pdf(pdf)
    assert clean.content == b"%PDF-1.7\n..."
    assert clean.extension == "pdf"
    with pytest.raises(ValidationError):
        clean_pdf(SimpleUploadedFile("a.pdf", b"<html>", content_type="application/pdf"))


def test_import_files_are_typed_by_content() -> None:
    assert import_file_extension(b"PK\x03\x04rest") == "xlsx"
    assert import_file_extension("编号,内容\n".encode()) == "csv"
    assert re.fullmatch(r"[0-9a-f]{32}\.csv", random_name("csv"))
