"""Helpers shared by the public-face tests (intake, pages, API, echo wall)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from liaison.cases.models import Case, Channel, Kind, Status
from liaison.cases.services import case_submit

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), "image/png")


def submitted(station: Any, **overrides: Any) -> tuple[Case, str]:
    """A case submitted through the intake service, with its PIN."""
    values: dict[str, Any] = {
        "kind": Kind.HELP,
        "title": "小区路灯坏了",
        "content": "东门路灯坏了半个月。",
        "channel": Channel.QR,
        "consent": True,
        "station": station,
    }
    values.update(overrides)
    result = case_submit(**values)
    assert result.pin is not None
    return result.case, result.pin


def force_replied(case: Case, *, reply: str = "已安排维修，三日内修复。", **fields: Any) -> Case:
    """Test setup only: put a case in the replied state without walking the staff moves."""
    values: dict[str, Any] = {
        "status": Status.REPLIED,
        "reply": reply,
        "replied_at": timezone.now(),
        **fields,
    }
    if case.allow_publish or values.get("allow_publish"):
        values.setdefault("published_at", values["replied_at"])
    Case.objects.filter(pk=case.pk).update(**values)
    case.refresh_from_db()
    return case
