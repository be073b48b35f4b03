"""The points' periodic job, enqueued by the worker's scheduler (workbench)."""

from __future__ import annotations

from django.tasks import task

from liaison.points.services import points_sweep


@task()
def points_sweep_task() -> None:
    """Sync deputies whose facts changed without their app telling points (cases closed after
    a reception); idempotent, so every tick is fine."""
    points_sweep()
