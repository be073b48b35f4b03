"""Throttles of every DRF view, and the Chinese message of a throttled request.

The rates are read on every request (not once at import, as DRF's classes do), so a deployment's
settings and the tests' overrides apply; `RATELIMIT_ENABLED = False` (benchmarks) turns them off
like the platform's own limiter (liaison/common/ratelimit.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from liaison.common import ratelimit


def _rate(scope: str | None) -> str | None:
    if not getattr(settings, "RATELIMIT_ENABLED", True) or scope is None:
        return None
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    return str(rate) if rate is not None else None


class AnonThrottle(AnonRateThrottle):
    """Anonymous callers, per address."""

    def get_rate(self) -> str | None:
        return _rate(self.scope)

    def get_ident(self, request: Any) -> str:
        # DRF would take X-Forwarded-For as sent, which lets a caller pick a new address for
        # every request; the platform's limiter trusts it only behind a configured proxy.
        return ratelimit.client_ip(request)


class UserThrottle(UserRateThrottle):
    """Signed-in callers, per account (anonymous ones per address, as AnonThrottle)."""

    def get_rate(self) -> str | None:
        return _rate(self.scope)

    def get_ident(self, request: Any) -> str:
        return ratelimit.client_ip(request)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Throttled):
        # The same words as the public pages' limiter, whatever language the client asks for.
        wait = getattr(exc, "wait", None)
        verdict = ratelimit.Verdict(False, int(wait or 60))
        # The stubs type `detail` as DRF's ErrorDetail structures; a plain string renders the same.
        exc.detail = verdict.message  # type: ignore[assignment]
    return drf_exception_handler(exc, context)
