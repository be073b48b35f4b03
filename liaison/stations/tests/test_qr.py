from __future__ import annotations

import io

import pytest
import segno
from django.test import RequestFactory
from PIL import Image

from liaison.common.qr import public_url, qr_png, qr_svg

URL = "http://testserver/q/S2345678"


def test_qr_svg_is_inline_svg() -> None:
    svg = qr_svg(URL)
    assert svg.startswith("<svg")
    assert "<?xml" not in svg


def test_qr_png_is_a_square_png_scaled_per_module() -> None:
    modules = segno.make(URL, error="m").symbol_size(scale=1, border=4)[0]
    image = Image.open(io.BytesIO(qr_png(URL, 5)))
    assert image.format == "PNG"
    assert image.size == (modules * 5, modules * 5)


def test_public_url_prefers_configured_base(settings: pytest.FixtureRequest) -> None:
    settings.PUBLIC_BASE_URL = "https://lianluo.example.gov.cn"  # type: ignore[attr-defined]
    request = RequestFactory().get("/", HTTP_HOST="intranet:8000")
    assert public_url("/q/S2345678", request) == "https://lianluo.example.gov.cn/q/S2345678"


def test_public_url_falls_back_to_request_host(settings: pytest.FixtureRequest) -> None:
    settings.PUBLIC_BASE_URL = ""  # type: ignore[attr-defined]
    request = RequestFactory().get("/", HTTP_HOST="10.0.0.5:8000")
    assert public_url("/q/S2345678", request) == "http://10.0.0.5:8000/q/S2345678"
    with pytest.raises(ValueError):
        public_url("/q/S2345678")
