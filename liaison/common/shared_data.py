"""Where the shared public data lives (../shared/data beside the checkout, or $LIAISON_SHARED_DATA).

The project never copies those texts; commands that build fixtures and models, tests and
benchmarks read them from there.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def shared_data_dir() -> Path:
    configured = os.environ.get("LIAISON_SHARED_DATA")
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).parent / "shared" / "data"


def shared_file(*parts: str) -> Path:
    return shared_data_dir().joinpath(*parts)
