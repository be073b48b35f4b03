from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from liaison.common import posters
from liaison.common.fonts import CJKFontMissing, find_cjk_font

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cjk_font() -> None:
    try:
        find_cjk_font()
    except CJKFontMissing as error:
        pytest.skip(str(error))


def pdf_text(content: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
    source = tmp_path / "poster.pdf"
    source.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_station_poster_pdf_has_name_and_scan_url(
    as_user: Any, county_staff: Any, station: Any, tmp_path: Path
) -> None:
    response = as_user(county_staff).get(reverse("stations:poster_pdf", kwargs={"pk": station.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert f"poster-{station.code}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "岳麓街道人大代表联络站" in text
    assert f"http://testserver/q/{station.code}" in text
    assert "岳麓区测试路1号" in text


def test_station_poster_png(as_user: Any, county_staff: Any, station: Any) -> None:
    response = as_user(county_staff).get(reverse("stations:poster_png", kwargs={"pk": station.pk}))
    image = Image.open(io.BytesIO(response.content))
    assert image.size == posters.POSTER_PNG_SIZE


def test_poster_uses_request_host_without_public_base_url(
    as_user: Any, county_staff: Any, station: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PUBLIC_BASE_URL = ""
    response = as_user(county_staff).get(
        reverse("stations:poster_pdf", kwargs={"pk": station.pk}), HTTP_HOST="lianluo.local"
    )
    assert f"http://lianluo.local/q/{station.code}" in pdf_text(response.content, tmp_path)


@pytest.mark.parametrize("name", ["stations:poster_pdf", "stations:poster_png"])
def test_missing_font_gives_503_with_instructions(
    as_user: Any, county_staff: Any, station: Any, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    from liaison.common.fonts import install_hint

    def missing() -> None:
        raise CJKFontMissing(install_hint())

    monkeypatch.setattr(posters, "find_cjk_font", missing)
    response = as_user(county_staff).get(reverse(name, kwargs={"pk": station.pk}))
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.content.decode()
    assert "未找到中文字体" in response.content.decode()
