"""The idle timeout without a session write on every request.

Django's `SESSION_SAVE_EVERY_REQUEST` keeps an idle timeout by writing the session row on every
request: one UPDATE per page a clerk opens. This middleware marks the session for saving at most
once per `SESSION_REFRESH_SECONDS` (default 60), so the row's expiry still moves with activity and
the timeout stays within that many seconds of `SESSION_COOKIE_AGE` after the last request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REFRESHED_KEY = "_refreshed_at"


class IdleSessionRefreshMiddleware:
    """Placed after SessionMiddleware: its response phase runs before the session is saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # An empty session (an anonymous visitor) is never stored, a flushed one stays gone, and
        # a page that did not read the session (a public page) leaves it alone.
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        interval = getattr(settings, "SESSION_REFRESH_SECONDS", 60)
        if now - int(session.get(REFRESHED_KEY, 0)) >= interval:
            session[REFRESHED_KEY] = now
        return response
