"""The fixed-window limiter in liaison.common.ratelimit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from liaison.common import ratelimit
from liaison.common.ratelimit import Limit

LIMIT = Limit("test_action", 3, 60)


@pytest.fixture(autouse=True)
def clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def request(ip: str = "10.0.0.1", forwarded: str = "") -> Any:
    extra = {"REMOTE_ADDR": ip}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


def test_allows_up_to_the_limit_then_refuses() -> None:
    now = 1_000_020.0
    verdicts = [ratelimit.hit(request(), LIMIT, now=now) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert not ratelimit.peek(request(), LIMIT, now=now).allowed


def test_message_is_chinese_with_minutes() -> None:
    verdict = ratelimit.Verdict(False, 125)
    assert verdict.message == "操作过于频繁，请 3 分钟后再试。"


def test_next_window_starts_fresh() -> None:
    now = 1_000_020.0
    for _ in range(4):
        ratelimit.hit(request(), LIMIT, now=now)
    assert ratelimit.hit(request(), LIMIT, now=now + 60).allowed


def test_retry_after_counts_to_the_end_of_the_window() -> None:
    verdict = ratelimit.hit(request(), LIMIT, now=1_000_020.0)  # window [1_000_020, 1_000_080)
    assert verdict.retry_after == 61


def test_addresses_and_actions_are_counted_apart() -> None:
    now = 1_000_020.0
    for _ in range(3):
        ratelimit.hit(request("10.0.0.1"), LIMIT, now=now)
    assert ratelimit.hit(request("10.0.0.2"), LIMIT, now=now).allowed
    assert ratelimit.hit(request("10.0.0.1"), Limit("other", 3, 60), now=now).allowed
    assert not ratelimit.hit(request("10.0.0.1"), LIMIT, now=now).allowed


def test_forwarded_header_ignored_unless_trusted(settings: Any) -> None:
    spoofed = request("10.0.0.9", forwarded="1.2.3.4")
    assert ratelimit.client_ip(spoofed) == "10.0.0.9"
    settings.RATELIMIT_TRUST_X_FORWARDED_FOR = True
    assert ratelimit.client_ip(request("10.0.0.9", forwarded="1.2.3.4, 10.0.0.9")) == "1.2.3.4"
    assert ratelimit.client_ip(request("10.0.0.9", forwarded="garbage")) == "unknown"


def test_settings_override_and_switch(settings: Any) -> None:
    settings.RATE_LIMITS = {"test_action": (1, 60)}
    now = 1_000_020.0
    assert ratelimit.hit(request(), LIMIT, now=now).allowed
    assert not ratelimit.hit(request(), LIMIT, now=now).allowed
    settings.RATELIMIT_ENABLED = False
    assert ratelimit.hit(request(), LIMIT, now=now).allowed


def test_reset_forgets_the_count() -> None:
    now = 1_000_020.0
    for _ in range(4):
        ratelimit.hit(request(), LIMIT, now=now)
    ratelimit.reset(request(), LIMIT, now=now)
    assert ratelimit.hit(request(), LIMIT, now=now).allowed
