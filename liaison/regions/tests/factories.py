"""Regions in tests come from the real Hunan data (../shared/data), loaded once per database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from liaison.regions.importing import read_csv_text, regions_import
from liaison.regions.models import Region

HUNAN_CSV = (
    Path(
        os.environ.get(
            "LIAISON_SHARED_DATA", Path(__file__).resolve().parents[4] / "shared" / "data"
        )
    )
    / "regions"
    / "hunan_2023.csv"
)
PROJECT_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "regions_hunan_2023.csv"

# Real codes used by the personas.
HUNAN = "430000000000"
CHANGSHA = "430100000000"
YUELU = "430104000000"  # 岳麓区
YUELU_STREET = "430104002000"  # 岳麓街道
CHANGSHA_COUNTY = "430121000000"  # 长沙县
ZHUZHOU = "430200000000"


def ensure_regions() -> None:
    """Load Hunan's divisions unless they are there (a transactional test may have flushed them)."""
    if Region.objects.filter(code=HUNAN).exists():
        return
    source = HUNAN_CSV if HUNAN_CSV.is_file() else PROJECT_FIXTURE
    regions_import(text=read_csv_text(source))


def require_hunan_csv() -> Path:
    """The shared source file, or a skip with a clear reason when this checkout has no ../shared."""
    if not HUNAN_CSV.is_file():
        pytest.skip(f"共享数据不存在（{HUNAN_CSV}），可设置 LIAISON_SHARED_DATA 指向 shared/data")
    return HUNAN_CSV


def region(code: str) -> Region:
    return Region.objects.get(code=code)
