"""A tiny per-process cache with expiry for values that hot write paths read on every request.

Intake reads the same few things for every submission: the jurisdiction's settings, its accept
deadline for today, the station behind a QR code. They change a few times a year, yet reading them
costs more than the insert itself. `HotCache` keeps them in the process for
`settings.HOT_CACHE_SECONDS` (default 30). A change made in this process clears its caches at
once (the services call `clear_all()`); other gunicorn workers see it within the expiry. Set the
setting to 0 to turn caching off (the test settings do, so a test that writes a row directly reads
it back at once).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.core.cache import caches

_ALL: list[HotCache[Any]] = []


def ttl_seconds() -> float:
    return float(getattr(settings, "HOT_CACHE_SECONDS", 30))


class HotCache[V]:
    """`get(key, compute)`: the cached value while fresh, else `compute()` stored for later."""

    def __init__(
        self, name: str, max_entries: int = 10_000, *, seconds: float | None = None
    ) -> None:
        self.name = name
        self.max_entries = max_entries
        # A fixed lifetime for derived data that does not follow HOT_CACHE_SECONDS (and is not
        # turned off in tests, which clear it instead).
        self.seconds = seconds
        self._data: dict[Hashable, tuple[float, V]] = {}
        self._lock = threading.Lock()
        _ALL.append(self)

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        ttl = ttl_seconds() if self.seconds is None else self.seconds
        if ttl <= 0:
            return compute()
        now = time.monotonic()
        hit = self._data.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = compute()
        with self._lock:
            if len(self._data) >= self.max_entries:
                self._data.clear()  # crude but bounded; a refill costs one query per key
            self._data[key] = (now + ttl, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def clear_all() -> None:
    """Forget every cached value of this process (after a write to what they cache), the template
    fragments made from such values included (settings.CACHES["template_fragments"])."""
    for cache in _ALL:
        cache.clear()
    if "template_fragments" in settings.CACHES:
        caches["template_fragments"].clear()
