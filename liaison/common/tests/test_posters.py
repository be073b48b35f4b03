from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from liaison.common import posters
from liaison.common.fonts import CJKFontMissing, find_cjk_font

ARGS = {
    "heading": "人大代表联络站",
    "title": "岳麓街道人大代表联络站",
    "lines": ["地址：岳麓区麓山南路 1 号", "开放时间：工作日 9:00-17:00"],
    "url": "http://testserver/q/S2345678",
}


def pdf_text(content: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
    source = tmp_path / "poster.pdf"
    source.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def cjk_font() -> None:
    try:
        find_cjk_font()
    except CJKFontMissing as error:
        pytest.skip(str(error))


def test_pdf_is_a4_with_text_in_cjk_font(cjk_font: None, tmp_path: Path) -> None:
    content = posters.poster_pdf(**ARGS)  # type: ignore[arg-type]
    assert content.startswith(b"%PDF")
    assert b"/MediaBox [0 0 595.28 841.89]" in content
    text = pdf_text(content, tmp_path)
    for expected in ["岳麓街道人大代表联络站", "http://testserver/q/S2345678", "工作日 9:00-17:00"]:
        assert expected in text


def test_pdf_with_very_long_title_still_fits(cjk_font: None, tmp_path: Path) -> None:
    title = "长沙市岳麓区岳麓街道桃花岭社区人大代表联络站（代表之家）第一联络点"
    content = posters.poster_pdf(**{**ARGS, "title": title})  # type: ignore[arg-type]
    assert "桃花岭社区" in pdf_text(content, tmp_path)


def test_png_has_poster_size(cjk_font: None) -> None:
    image = Image.open(io.BytesIO(posters.poster_png(**ARGS)))  # type: ignore[arg-type]
    assert image.format == "PNG"
    assert image.size == posters.POSTER_PNG_SIZE


def test_missing_font_propagates(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> None:
        raise CJKFontMissing("未找到中文字体")

    monkeypatch.setattr(posters, "find_cjk_font", missing)
    with pytest.raises(CJKFontMissing):
        posters.poster_pdf(**ARGS)  # type: ignore[arg-type]
    with pytest.raises(CJKFontMissing):
        posters.poster_png(**ARGS)  # type: ignore[arg-type]
