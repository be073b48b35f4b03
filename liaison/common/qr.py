"""QR codes for station and deputy codes (站点码 / 代表码), drawn locally with segno."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.http import HttpRequest

# Level M survives a crease or a smudge on a printed poster and keeps the symbol small.
ERROR_LEVEL = "m"


def qr_svg(url: str, *, scale: int = 4) -> str:
    """An inline <svg> element (no XML declaration) encoding `url`."""
    return str(segno.make(url, error=ERROR_LEVEL).svg_inline(scale=scale, border=2))


def qr_svg_document(url: str, *, scale: int = 4) -> bytes:
    """A standalone SVG file (with its namespace), for an <img src> or a download."""
    buffer = io.BytesIO()
    segno.make(url, error=ERROR_LEVEL).save(buffer, kind="svg", scale=scale, border=2)
    return buffer.getvalue()


def qr_png(url: str, scale: int = 10) -> bytes:
    """A PNG of the QR code encoding `url`, `scale` pixels per module, with a quiet zone."""
    buffer = io.BytesIO()
    segno.make(url, error=ERROR_LEVEL).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """The absolute URL of a public `path`: PUBLIC_BASE_URL when set, else the request's host."""
    base = getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/")
    if base:
        return base + path
    if request is None:
        raise ValueError("PUBLIC_BASE_URL is not set and there is no request to take the host from")
    return request.build_absolute_uri(path)
