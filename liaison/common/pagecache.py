"""A short shared cache of whole public pages that are the same for every visitor (decision 0041).

`public_page` wraps a view whose page depends only on its URL (path and query string) and the
language: the home page, the station directory, a station's and a deputy's page, the echo wall.
The rendered body is kept in Django's default cache (a file cache shared by the gunicorn workers)
for `PUBLIC_PAGE_CACHE_SECONDS` (30 by default; 0 turns it off) and never invalidated: a change
shows on these pages within that bound.

What keeps one visitor's data out of another's page:
- Only the body and its content type are stored. Headers are made again for every answer by the
  middleware outside the view, so a Content-Security-Policy nonce or a cookie is never replayed
  (the public templates carry no inline script, hence no nonce, and no CSRF token: tested).
- A request with messages waiting (the one per-visitor part of the public layout) is served and
  rendered normally, and such a page is not stored.
- Only 200 answers to GET that set no cookie and asked for no CSRF token are stored; the key is
  the view, the language, the path and the sorted query string, hashed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

PREFIX = "pubpage:v1:"
Hit = tuple[bytes, str]


def ttl_seconds() -> int:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 30))


def fragment_seconds() -> int:
    """How long a template fragment of rarely changing rows is kept (`{% cache %}` under the
    "template_fragments" cache, per process): HOT_CACHE_SECONDS, as the rows it is made from;
    0 (the tests) keeps nothing."""
    return int(getattr(settings, "HOT_CACHE_SECONDS", 30))


def fragment_digest(*parts: object) -> str:
    """A fragment's key from everything it shows, with the language and time zone it is shown in:
    any change to any part is another key, so a cached fragment is never stale (decision 0048).
    The parts are hashed as one `repr` of a tuple: no two lists of parts give the same text."""
    raw = repr((get_language() or "", timezone.get_current_timezone_name(), parts))
    return hashlib.sha256(raw.encode()).hexdigest()


def page_key(name: str, request: HttpRequest) -> str:
    """The cache key of a public page: view, language, path and the query string in order."""
    query = "&".join(f"{k}={v}" for k, values in sorted(request.GET.lists()) for v in values)
    raw = "\n".join([name, get_language() or "", request.path, query])
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _has_messages(request: HttpRequest) -> bool:
    # len() loads the waiting messages without marking them read (only iteration does).
    return hasattr(request, "_messages") and len(get_messages(request)) > 0


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page from the shared cache when fresh; store fresh 200 pages."""
    name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = ttl_seconds()
        if seconds <= 0 or request.method != "GET" or _has_messages(request):
            return view(request, *args, **kwargs)
        key = page_key(name, request)
        hit: Hit | None = cache.get(key)
        if hit is not None:
            return HttpResponse(hit[0], content_type=hit[1])
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # A page that asked for a CSRF token holds this visitor's token.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapper
