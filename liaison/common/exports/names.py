"""Download names and responses for files built in the request."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from liaison.common.downloads import UNSAFE_FILENAME
from liaison.common.text import text_clean
from liaison.common.uploads import CONTENT_TYPES

# Longer stems are cut: some browsers and file systems refuse names past 255 bytes (3 per CJK).
MAX_STEM_CHARS = 80


def export_filename(
    name: str,
    *,
    extension: str,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> str:
    """`民意台账_20260301-20260331.xlsx`: the Chinese name people file it under, the period
    (one date when both ends are the same or only one is given) and nothing a file system or a
    Content-Disposition header refuses."""
    stem = UNSAFE_FILENAME.sub("_", text_clean(name)).strip(" ._")[:MAX_STEM_CHARS] or "导出"
    dates = [d for d in (date_from, date_to) if d is not None]
    if dates:
        stem += "_" + "-".join(dict.fromkeys(f"{d:%Y%m%d}" for d in dates))
    return f"{stem}.{extension}"


def _content_type(filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    content_type = CONTENT_TYPES[extension]
    # The kit writes csv as UTF-8 (with a BOM); saying so keeps browsers from guessing.
    return f"{content_type}; charset=utf-8" if extension == "csv" else content_type


def export_response(content: bytes | str, *, filename: str) -> HttpResponse:
    """A download of a file built in the request; the type follows the extension."""
    response = HttpResponse(content, content_type=_content_type(filename))
    # RFC 6266 `filename*`, so a Chinese name arrives as it is.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def export_stream(chunks: Iterable[str], *, filename: str) -> StreamingHttpResponse:
    """A download written while it is sent (`table_csv_lines`), for exports too big to hold."""
    response = StreamingHttpResponse(chunks, content_type=_content_type(filename))
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
