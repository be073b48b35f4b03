"""Activities as a workflow of the kernel (liaison/workflow/flow.py): tables, facts, actors and
the conflict message. Every service that changes an activity begins with `activity_begin`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.activities import actions
from liaison.activities.models import Activity, ActivityEvent, EventKind, Participation, Status
from liaison.activities.permissions import activity_actors
from liaison.activities.workflow import TRANSITIONS
from liaison.workflow.flow import Step, Workflow, workflow_begin


class ActivityConflict(Exception):
    """Someone else changed the activity since the page was loaded."""

    def __init__(self, *, current_status_label: str) -> None:
        super().__init__(
            _("该活动已被他人处理（当前状态：%(s)s），请刷新页面后再操作。")
            % {"s": current_status_label}
        )


def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


def _facts(
    activity: Activity, needed: frozenset[str], given: Mapping[str, Any]
) -> actions.ActivityFacts:
    attendance = given.get("has_attendance")
    if attendance is None and "has_attendance" in needed:
        attendance = Participation.objects.filter(activity_id=activity.pk, attended=True).exists()
    return actions.ActivityFacts(
        status=activity.status,
        started=activity.starts_at <= timezone.now(),
        has_attendance=attendance,
        by_author=given.get("by_author"),
        self_confirmed=given.get("self_confirmed"),
    )


def _label(kind: str) -> str:
    try:
        return str(EventKind(kind).label)
    except ValueError:
        return kind


ACTIVITIES: Final = Workflow[Activity](
    model=Activity,
    event_model=ActivityEvent,
    transitions=TRANSITIONS,
    table=actions.TABLE,
    facts=_facts,
    actors=activity_actors,
    conflict=lambda a: ActivityConflict(current_status_label=status_label(a.status)),
    label=_label,
    region=lambda a: a.region_id,
)


def activity_begin(
    *,
    activity: Activity,
    action: str,
    actor: User,
    expected_version: int | None = None,
    target: str = "",
    facts: Mapping[str, Any] | None = None,
) -> Step[Activity]:
    """Lock the activity, check the version and the action table (and a move's transition)."""
    return workflow_begin(
        ACTIVITIES,
        row=activity,
        action=action,
        actor=actor,
        expected_version=expected_version,
        target=target,
        facts=facts,
    )


def facts_for(activity: Activity, *, given: Mapping[str, Any]) -> actions.ActivityFacts:
    """The facts a page shows actions for (the caller gives the person's own facts)."""
    return _facts(activity, frozenset({"has_attendance"}), given)
