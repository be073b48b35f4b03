from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from liaison.audit.context import current_ip
from liaison.common.ratelimit import client_ip


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The same client address as rate limits and lockouts: behind a reverse proxy that the
        # deployment trusts (RATELIMIT_TRUST_X_FORWARDED_FOR), the visitor's, not the proxy's.
        ip = client_ip(request)
        token = current_ip.set(None if ip == "unknown" else ip)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
