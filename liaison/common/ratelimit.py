"""A small fixed-window rate limiter on Django's cache, keyed by client address and action.

Counters live in the `default` cache, which must be shared by every worker process (a file-based
or database cache on one machine, Redis/Memcached beyond it); a per-process LocMemCache would let
each gunicorn worker count on its own. Increments are best effort (the file and database caches
implement `incr` as get + set), which is fine for slowing down bursts and PIN guessing.

The client address is REMOTE_ADDR; the first X-Forwarded-For address is used only when the
deployment says its reverse proxy sets that header (`RATELIMIT_TRUST_X_FORWARDED_FOR = True`),
because anyone can send the header otherwise.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Limit:
    """At most `count` hits of `action` per client in each window of `window` seconds."""

    action: str
    count: int
    window: int

    def effective(self) -> Limit:
        """This limit with a deployment override from settings.RATE_LIMITS {action: (n, s)}."""
        override = getattr(settings, "RATE_LIMITS", {}).get(self.action)
        if override is None:
            return self
        count, window = override
        return Limit(self.action, int(count), int(window))


# Defaults for the public face; deployments may override them with settings.RATE_LIMITS.
CASE_SUBMIT = Limit("case_submit", 10, 600)
PIN_ATTEMPT = Limit("pin_attempt", 20, 600)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the current window ends

    @property
    def message(self) -> str:
        minutes = max(1, (self.retry_after + 59) // 60)
        return _("操作过于频繁，请 %(n)d 分钟后再试。") % {"n": minutes}


def client_ip(request: HttpRequest) -> str:
    """The client's address (see the module docstring about X-Forwarded-For)."""
    candidate = ""
    if getattr(settings, "RATELIMIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        candidate = forwarded.split(",")[0].strip()
    if not candidate:
        candidate = str(request.META.get("REMOTE_ADDR", "") or "")
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return "unknown"


def _key(limit: Limit, ip: str, window_index: int) -> str:
    digest = hashlib.sha256(ip.encode()).hexdigest()[:24]
    return f"rl:{limit.action}:{digest}:{window_index}"


def _window(limit: Limit, now: float | None) -> tuple[int, int]:
    now = time.time() if now is None else now
    index = int(now // limit.window)
    retry_after = int((index + 1) * limit.window - now) + 1
    return index, retry_after


def _enabled() -> bool:
    return bool(getattr(settings, "RATELIMIT_ENABLED", True))


def peek(request: HttpRequest, limit: Limit, *, now: float | None = None) -> Verdict:
    """Whether another hit would be allowed, without counting one."""
    limit = limit.effective()
    index, retry_after = _window(limit, now)
    if not _enabled():
        return Verdict(True, retry_after)
    used = cache.get(_key(limit, client_ip(request), index), 0)
    return Verdict(int(used) < limit.count, retry_after)


def hit(request: HttpRequest, limit: Limit, *, now: float | None = None) -> Verdict:
    """Count one hit and say whether it is within the limit."""
    limit = limit.effective()
    index, retry_after = _window(limit, now)
    if not _enabled():
        return Verdict(True, retry_after)
    key = _key(limit, client_ip(request), index)
    cache.add(key, 0, timeout=limit.window + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.window + 5)
        used = 1
    return Verdict(used <= limit.count, retry_after)


def reset(request: HttpRequest, limit: Limit, *, now: float | None = None) -> None:
    """Forget the current window's count for this client (used by tests and admin tools)."""
    limit = limit.effective()
    index, _retry = _window(limit, now)
    cache.delete(_key(limit, client_ip(request), index))


def too_many_headers(verdict: Verdict) -> dict[str, Any]:
    return {"Retry-After": str(verdict.retry_after)}
