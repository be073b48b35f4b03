from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from liaison.common import fonts
from liaison.common.codes import is_well_formed, new_public_code
from liaison.common.masking import mask_id_number, mask_name, mask_phone, mask_text


def test_masking() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_name("欧阳修") == "欧**"
    assert mask_id_number("430104199001011234") == "4301**********1234"
    text = "我的电话13812341234，身份证430104199001011234。"
    masked = mask_text(text)
    assert "13812341234" not in masked
    assert "430104199001011234" not in masked
    assert "138****1234" in masked


def test_public_codes_are_unambiguous() -> None:
    code = new_public_code("S")
    assert is_well_formed(code, "S")
    assert not set(code[1:]) & set("01OIL")
    assert not is_well_formed("S0000000", "S")


@pytest.mark.django_db
def test_private_fields_are_encrypted_at_rest(hunan: None) -> None:
    from liaison.deputies.tests.factories import DeputyFactory

    deputy = DeputyFactory(mobile="13912345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM deputies_deputy WHERE id = %s", [deputy.pk])
        raw = cursor.fetchone()[0]
    assert "13912345678" not in raw
    assert raw.startswith("gAAAA")
    deputy.refresh_from_db()
    assert deputy.mobile == "13912345678"


def test_missing_cjk_font_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fonts.find_cjk_font.cache_clear()
    monkeypatch.setattr(fonts, "_from_fontconfig", lambda: [])
    monkeypatch.setattr(fonts, "FONT_DIRS", [tmp_path])
    try:
        with pytest.raises(fonts.CJKFontMissing, match="fonts-noto-cjk"):
            fonts.find_cjk_font()
    finally:
        fonts.find_cjk_font.cache_clear()


def test_configured_font_path_must_exist(tmp_path: Path) -> None:
    fonts.find_cjk_font.cache_clear()
    try:
        with (
            override_settings(CJK_FONT_PATH=str(tmp_path / "missing.ttf")),
            pytest.raises(fonts.CJKFontMissing, match="不存在"),
        ):
            fonts.find_cjk_font()
    finally:
        fonts.find_cjk_font.cache_clear()


def test_an_installed_cjk_font_is_found() -> None:
    fonts.find_cjk_font.cache_clear()
    try:
        font = fonts.find_cjk_font()
    except fonts.CJKFontMissing:
        pytest.skip("未安装中文字体（apt-get install fonts-noto-cjk）")
    assert font.path.is_file()
