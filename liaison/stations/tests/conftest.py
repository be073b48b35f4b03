"""Helpers for the station tests (personas live in the project's conftest.py)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from liaison.stations.models import StationKind
from liaison.stations.tests.factories import StationFactory


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def jpeg_upload(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def fake_jpeg_upload(name: str = "photo.jpg") -> SimpleUploadedFile:
    """A text file dressed up as a JPEG."""
    return SimpleUploadedFile(name, b"<html>not a photo</html>" * 20, content_type="image/jpeg")


def soon(hours: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


@pytest.fixture
def market_station(station: Any) -> Any:
    """A market (pop-up) station under the fixture station."""
    return StationFactory(
        name="岳麓街道集市联络点",
        kind=StationKind.MARKET,
        parent=station,
        region_id=station.region_id,
    )


@pytest.fixture
def child_station(station: Any) -> Any:
    return StationFactory(name="桃花岭社区联络点", parent=station, region_id=station.region_id)


@pytest.fixture
def sibling_station(yuelu: Any) -> Any:
    """Another station in 岳麓区, not under the fixture station."""
    return StationFactory(name="望月湖街道人大代表联络站", region_id="430104001000")


FULL_SCORES = {
    "place": 15,
    "sign": 10,
    "rules": 15,
    "staff": 15,
    "funds": 15,
    "activities": 15,
    "ledger": 15,
}
