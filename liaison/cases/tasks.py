"""Background tasks of the case loop (Django tasks; run by `manage.py worker`)."""

from __future__ import annotations

import dataclasses
import datetime
import logging
from typing import Any

from django.tasks import task

from liaison.cases.services.retention import purge_expired_personal_data
from liaison.cases.services.supervision import escalate_due_cases

logger = logging.getLogger(__name__)


@task()
def purge_personal_data_task() -> dict[str, Any]:
    """Erase personal data of finished cases past the retention period (daily)."""

    result = purge_expired_personal_data()
    logger.info("retention: %s cases purged", result.purged)
    return dataclasses.asdict(result)


@task()
def escalate_due_cases_task(today: str | None = None) -> dict[str, Any]:
    """Mark yellow/red cases and open supervisions (see `services.supervision`).

    `today` (ISO date) is for replays and tests; the scheduler passes nothing.
    """

    day = datetime.date.fromisoformat(today) if today else None
    result = escalate_due_cases(today=day)
    logger.info(
        "escalation: %s yellow, %s red, %s notifications",
        result.yellow,
        result.red,
        result.notifications,
    )
    return dataclasses.asdict(result)
