"""Background tasks of the suggestion loop (run by `manage.py worker`)."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.tasks import task

from liaison.suggestions.services.escalation import escalate_due_suggestions


@task()
def escalate_due_suggestions_task(today: str | None = None) -> dict[str, Any]:
    """Mark yellow/red suggestions, late co-handling views and passed B promises."""
    day = datetime.date.fromisoformat(today) if today else None
    return dataclasses.asdict(escalate_due_suggestions(today=day))
