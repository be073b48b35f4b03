"""The WSGI application: Django's handler, and a leaner one for the public JSON API.

The public API (`/api/v1/public/`) is sessionless JSON for outside systems, and its intake is the
busiest path of the platform. Sessions, CSRF, authentication, one-time passwords, messages,
login lockout, static files and frame headers do nothing for it, yet each costs its share of every
request. Its requests therefore go through a second Django handler that loads only the
middleware in `PUBLIC_API_MIDDLEWARE` (security headers and HTTPS redirect, the common checks,
the audit request context). Everything else is Django as usual: URL resolution, views, signals
(database connections are closed and reused as on every request), exception handling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

PUBLIC_API_PREFIX = "/api/v1/public/"


class PublicAPIHandler(WSGIHandler):
    """Django's WSGI handler with the middleware of `settings.PUBLIC_API_MIDDLEWARE`."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler.load_middleware reads settings.MIDDLEWARE; it runs once, at start-up,
        # before any request, so the swap is never seen by a request.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.PUBLIC_API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


StartResponse = Callable[..., Any]


def application_for_site() -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The site's WSGI callable: public API paths to the lean handler, the rest to Django's."""
    site = get_wsgi_application()
    api = PublicAPIHandler()

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(PUBLIC_API_PREFIX):
            return api(environ, start_response)
        return site(environ, start_response)

    return application
