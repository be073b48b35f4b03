"""The receptions' periodic jobs, enqueued by the worker's scheduler (workbench)."""

from __future__ import annotations

from django.tasks import task

from liaison.receptions.services.reminders import reminders_send
from liaison.receptions.services.schedules import schedules_extend


@task()
def schedules_extend_task() -> None:
    """Materialise active schedules up to the rolling horizon (daily)."""
    schedules_extend()


@task()
def reminders_send_task() -> None:
    """Send the due reminders to deputies on duty (every tick; idempotent)."""
    reminders_send()
