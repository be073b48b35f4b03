"""Browser fixtures: Playwright driving Debian's Chromium (never a downloaded browser).

Without Chromium the browser tests skip with a clear message; CI sets REQUIRE_BROWSER=1, which
turns that skip into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"

# Every page a browser test opens is checked against the Content-Security-Policy: Chromium logs
# each refused script, style or image on the console, and `csp_guard` fails the test on any.
CSP_VIOLATIONS: list[str] = []


def _on_console(message: Any) -> None:
    text = message.text
    if "Content Security Policy" in text or "Content-Security-Policy" in text:
        page = message.page
        CSP_VIOLATIONS.append(f"{page.url if page else '?'}: {text}")


class WatchedBrowser:
    """The Playwright browser, whose every new context reports CSP violations."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, *args: Any, **kwargs: Any) -> Any:
        context = self._browser.new_context(*args, **kwargs)
        context.on("console", _on_console)
        return context

    def new_page(self, *args: Any, **kwargs: Any) -> Any:
        return self.new_context(*args, **kwargs).new_page()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured and Path(configured).is_file():
        return configured
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _SharingAwareServer(ThreadedWSGIServer):
    """The live server, closing after each request only the connections its request thread
    opened. The in-memory SQLite connection lent by the test thread is the test thread's: the
    request threads Chromium keeps alive can outlive the server by a moment, and closing the
    lent connection after the test thread took the loan back raised in those threads (and
    closing an in-memory SQLite connection does nothing anyway)."""

    def _close_connections(self) -> None:
        lent = set(self.connections_override or {})
        for conn in connections.all(initialized_only=True):
            if conn.alias not in lent:
                conn.close()


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's live server (same address option), on `_SharingAwareServer`."""
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.server_class = _SharingAwareServer
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        message = "未找到 Chromium（apt-get install chromium），跳过浏览器测试"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + "；CI 要求运行浏览器测试。")
        pytest.skip(message)
    # Playwright's sync API keeps an event loop in this thread; the ORM calls in tests are
    # still synchronous, so Django's async guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield WatchedBrowser(instance)
        instance.close()


@pytest.fixture(autouse=True)
def csp_guard(request: Any) -> Iterator[None]:
    """Fail a browser test when any page it opened broke the Content-Security-Policy."""
    if "browser" not in request.fixturenames:
        yield
        return
    CSP_VIOLATIONS.clear()
    yield
    found = list(CSP_VIOLATIONS)
    CSP_VIOLATIONS.clear()
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target
