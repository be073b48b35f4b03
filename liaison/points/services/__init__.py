"""Every write of points: the ledger sync (live, sweep, rebuild) and staff corrections."""

from liaison.points.services.corrections import points_correct
from liaison.points.services.ledger import (
    Difference,
    SyncResult,
    ledger_sync,
    points_sweep,
    points_sync,
    points_sync_on_commit,
)

__all__ = [
    "Difference",
    "SyncResult",
    "ledger_sync",
    "points_correct",
    "points_sweep",
    "points_sync",
    "points_sync_on_commit",
]
