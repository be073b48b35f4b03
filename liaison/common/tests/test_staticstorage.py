"""The production static storage works out a name's URL once per process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from liaison.common.staticstorage import StaticFilesStorage


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Whitenoise's own `url`, counted: it answers with the hashed name, or raises for "gone"."""
    calls: list[tuple[str, bool]] = []

    def url(self: Any, name: str, force: bool = False) -> str:
        calls.append((name, force))
        if name == "gone.css":
            raise ValueError("Missing staticfiles manifest entry for 'gone.css'")
        return f"/static/{name}.0123abcd"

    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "url", url)
    return calls


def test_a_names_url_is_worked_out_once(tmp_path: Path, asked: list[Any]) -> None:
    storage = StaticFilesStorage(location=tmp_path)
    assert storage.url("css/h5.css") == "/static/css/h5.css.0123abcd"
    assert storage.url("css/h5.css") == "/static/css/h5.css.0123abcd"
    assert storage.url("js/intake.js") == "/static/js/intake.js.0123abcd"
    assert asked == [("css/h5.css", False), ("js/intake.js", False)]


def test_force_and_missing_names_are_asked_every_time(tmp_path: Path, asked: list[Any]) -> None:
    storage = StaticFilesStorage(location=tmp_path)
    storage.url("css/h5.css", force=True)
    storage.url("css/h5.css", force=True)
    for _ in range(2):
        with pytest.raises(ValueError, match=r"gone\.css"):
            storage.url("gone.css")
    assert asked == [("css/h5.css", True)] * 2 + [("gone.css", False)] * 2


def test_production_settings_use_it() -> None:
    from config import settings as production

    backend = production.STORAGES["staticfiles"]["BACKEND"]
    if production.DEBUG:
        pytest.skip("DEBUG serves static files from the finders")
    assert backend == "liaison.common.staticstorage.StaticFilesStorage"
