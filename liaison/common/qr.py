"""QR codes for station and deputy codes (站点码 / 代表码), drawn locally with segno."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

# Level M survives a crease or a smudge on a printed poster and keeps the symbol small.
ERROR_LEVEL = "m"


def qr_svg(url: str, *, scale: int = 4, border: int = 2) -> SafeString:
    """An inline <svg> element (no XML declaration) encoding `url`, ready for a template.

    Safe by construction, so templates need no `|safe`: segno draws the data as one path of
    module coordinates and writes none of it as text (no title, no description), so nothing a
    person typed into the URL can reach the page as markup (common/tests/test_qr.py).
    """
    svg = segno.make(url, error=ERROR_LEVEL).svg_inline(scale=scale, border=border)
    return mark_safe(svg)


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
