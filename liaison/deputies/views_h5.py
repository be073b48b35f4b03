"""The public 亮身份 page a constituent opens by scanning a deputy's QR code."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from liaison.common.downloads import file_response, stored_image_type
from liaison.common.hotcache import HotCache
from liaison.common.pagecache import public_page
from liaison.deputies.selectors import (
    deputy_public_get,
    deputy_public_photo_get,
    deputy_public_posts,
    deputy_public_sections,
    deputy_receptions,
)

# What a deputy's page shows, by code and date: it changes with a write (seats, assignments,
# posts, reception days, published suggestions and reports; the deputy services clear it in their
# process at once) or with the day; other processes see a change within HOT_CACHE_SECONDS, and the
# page itself may be kept PUBLIC_PAGE_CACHE_SECONDS more (decision 0048). Six queries and the
# rows the other apps build from them.
_deputy_parts: HotCache[dict[str, Any] | None] = HotCache("deputy_public_pages", 2_000)


def _deputy_page_parts(code: str) -> dict[str, Any] | None:
    today = timezone.localdate()

    def build() -> dict[str, Any] | None:
        try:
            deputy = deputy_public_get(code)
        except Http404:
            return None
        return {
            "deputy": deputy,
            "posts": deputy_public_posts(deputy, today=today),
            "receptions": deputy_receptions(deputy, today=today),
            "sections": deputy_public_sections(deputy),
        }

    return _deputy_parts.get((code, today), build)


@require_GET
@public_page
def deputy_detail(request: HttpRequest, code: str) -> HttpResponse:
    parts = _deputy_page_parts(code.upper())
    if parts is None:
        return render(request, "h5/deputies/not_found.html", {"code": code}, status=404)
    # Carried to the form, so that an opinion sent after a scan is recorded as 扫码 (the scan
    # redirect adds it; liaison.stations.views_h5.scan).
    via = "qr" if request.GET.get("via") == "qr" else ""
    return render(request, "h5/deputies/detail.html", {**parts, "via": via})


@require_GET
def deputy_photo(request: HttpRequest, code: str) -> FileResponse:
    """The portrait of a deputy in office (public-safe: the public pages show it)."""
    deputy = deputy_public_photo_get(code.upper())
    content_type = stored_image_type(deputy.photo)
    return file_response(
        deputy.photo,
        content_type=content_type,
        filename=f"{deputy.code}.{content_type.split('/')[-1]}",
        inline=True,
        # The URL carries the file's version (?v=), so it may be cached; not for long, as a
        # deputy who leaves office loses the public page.
        cache="public, max-age=3600",
    )
