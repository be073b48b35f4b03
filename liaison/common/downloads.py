"""One way to send a stored file to a browser: the type we checked, and a sandbox around it.

MEDIA_ROOT is not served by URL at all; every file goes out through a view that first checks
who asks (case attachments, assessment photos, deputy portraits, ledger exports, reports) and
then calls `file_response`. The response:

- carries a content type from the allow-list of checked types (`liaison.common.uploads`), never
  one guessed from the stored name; anything else is sent as application/octet-stream;
- is a download (`Content-Disposition: attachment`) unless it is an image a page shows inline;
- says `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox`, so even a file
  that slipped through with the wrong type cannot run script on the platform's origin.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Final

from django.http import FileResponse, Http404
from PIL import Image, UnidentifiedImageError

from liaison.common.uploads import CONTENT_TYPES

# The sandbox stops script and plugins even if a browser renders the file as a page.
FILE_CSP: Final = "sandbox; default-src 'none'; img-src 'self'"
OCTET_STREAM: Final = "application/octet-stream"
_PILLOW_TYPES: Final = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp",
                        "GIF": "image/gif"}  # fmt: skip
_INLINE_TYPES: Final = frozenset(_PILLOW_TYPES.values())
_SERVED_TYPES: Final = frozenset(CONTENT_TYPES.values()) | _INLINE_TYPES
# Characters no file name on Windows, macOS or in a Content-Disposition header may carry.
UNSAFE_FILENAME: Final = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_filename(original: str, *, extension: str, fallback: str = "file") -> str:
    """The download name: the uploaded name's stem (cleaned) with the CHECKED extension."""
    base = (original or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = UNSAFE_FILENAME.sub("_", stem).strip(" ._")[:80] or fallback
    return f"{stem}.{extension}"


def served_type(content_type: str) -> str:
    """`content_type` if it is one we check uploads for, else application/octet-stream."""
    value = (content_type or "").split(";", 1)[0].strip().lower()
    return value if value in _SERVED_TYPES else OCTET_STREAM


def stored_image_type(field_file: Any) -> str:
    """The image type of a stored file read from its header; Http404 if it is not an image.

    For rows that keep no content type (portraits, assessment photos), including files stored
    before uploads were re-encoded: their names came from the uploader.
    """
    try:
        with field_file.storage.open(field_file.name, "rb") as handle, Image.open(handle) as image:
            image_format = image.format or ""
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        raise Http404("not an image") from None
    if image_format not in _PILLOW_TYPES:
        raise Http404("not an allowed image")
    return _PILLOW_TYPES[image_format]


def file_response(
    field_file: Any,
    *,
    content_type: str,
    filename: str,
    inline: bool = False,
    cache: str = "private, no-store",
) -> FileResponse:
    """Stream a stored file with a checked type, a disposition and the sandbox headers.

    `inline` is honoured only for image types; documents are always downloads.
    """
    if not field_file:
        raise Http404("no file")
    served = served_type(content_type)
    inline = inline and served in _INLINE_TYPES
    try:
        handle = field_file.open("rb")
    except (OSError, ValueError):
        raise Http404("file missing") from None
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=served
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = cache
    return response


def versioned(url: str, name: str) -> str:
    """`url?v=…` changing with the stored name, so a replaced photo is not served from cache."""
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return f"{url}?v={digest}"
