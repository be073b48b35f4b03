"""The site's WSGI application: the public API through the lean handler, the rest through Django's
full middleware (liaison/common/wsgi.py). Called as a WSGI server would call it."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

from liaison.cases.models import Case, IntakeEntry
from liaison.common.wsgi import PublicAPIHandler, application_for_site

pytestmark = pytest.mark.django_db(transaction=True)


def call(
    path: str, *, method: str = "GET", body: Any = None, raw: str | None = None, query: str = ""
) -> tuple[str, dict[str, str], bytes]:
    data = raw.encode() if raw is not None else b"" if body is None else json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.input": io.BytesIO(data),
        "wsgi.url_scheme": "http",
    }
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *_exc: Any) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    content = b"".join(application_for_site()(environ, start_response))
    return seen["status"], seen["headers"], content


def test_the_api_handler_loads_only_the_public_api_middleware() -> None:
    lean, full = PublicAPIHandler(), WSGIHandler()
    lean_views = {type(m.__self__).__name__ for m in lean._view_middleware}
    full_views = {type(m.__self__).__name__ for m in full._view_middleware}
    assert "CsrfViewMiddleware" in full_views
    assert "CsrfViewMiddleware" not in lean_views
    # The swap lasts only while loading.
    assert "django.contrib.sessions.middleware.SessionMiddleware" in settings.MIDDLEWARE


def test_intake_through_the_lean_handler(station: Any, settings: Any) -> None:
    settings.INTAKE_MOVE_INLINE = True
    body = {
        "station_code": station.code,
        "kind": "help",
        "title": "路灯坏了",
        "content": "小区东门路灯坏了一周。",
        "client_token": "wsgi-1",
    }
    status, headers, content = call("/api/v1/public/cases", method="POST", body=body)
    assert status.startswith("201")
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware ran
    assert "Set-Cookie" not in headers  # no session machinery
    receipt = json.loads(content)
    assert receipt["created"]
    assert IntakeEntry.objects.filter(client_token="wsgi-1").exists()
    status, _headers, content = call(
        f"/api/v1/public/cases/{receipt['tracking_code']}",
        method="POST",
        body={"pin": receipt["pin"]},
    )
    assert status.startswith("200")
    assert json.loads(content)["status"] == "submitted"
    assert Case.objects.filter(tracking_code=receipt["tracking_code"]).exists()


def test_bad_json_gets_a_chinese_message() -> None:
    status, _headers, content = call("/api/v1/public/cases", method="POST", raw="{not json")
    assert status.startswith("400")
    assert json.loads(content) == {"detail": "请求体不是有效的 JSON"}


def test_other_paths_keep_the_full_middleware() -> None:
    status, headers, _content = call("/cases/track/")
    assert status.startswith("200")
    assert headers["X-Frame-Options"] == "DENY"  # XFrameOptionsMiddleware ran
    assert "csrftoken" in headers.get("Set-Cookie", "")  # the form's CSRF cookie
