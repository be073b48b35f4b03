"""Regions in tests come from the real Hunan data (../shared/data), loaded once per database."""

from __future__ import annotations

from pathlib import Path

from liaison.regions.importing import read_csv_text, regions_import
from liaison.regions.models import Region

SHARED_DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
HUNAN_CSV = SHARED_DATA / "regions" / "hunan_2023.csv"
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


def region(code: str) -> Region:
    return Region.objects.get(code=code)
