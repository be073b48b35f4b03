from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.conf import settings

DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "teddy2020" / "messages_labeled.csv"


@pytest.fixture(scope="session")
def labeled_rows() -> list[dict[str, str]]:
    """The real labeled messages, read from ../shared/data (never copied into the project)."""
    if not DATA.is_file():
        pytest.skip(f"real data not available at {DATA}")
    with DATA.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
