"""Where the tests find the shared public data, without Django's settings."""

from __future__ import annotations

import os
from pathlib import Path

# The checkout's root: the data sits beside it unless $LIAISON_SHARED_DATA says otherwise (the
# same rule as liaison.common.shared_data, which reads Django's settings).
ROOT = Path(__file__).resolve().parents[3]


def shared_file(*parts: str) -> Path:
    configured = os.environ.get("LIAISON_SHARED_DATA")
    base = Path(configured) if configured else ROOT.parent / "shared" / "data"
    return base.joinpath(*parts)
