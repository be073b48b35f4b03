"""Duty reports as a workflow of the kernel (liaison/workflow/flow.py): tables, facts, actors
and the conflict message. Every service that changes a report begins with `report_begin`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.dutyreports import actions
from liaison.dutyreports.models import DutyReport, DutyReportEvent, EventKind, Status
from liaison.dutyreports.permissions import report_actors
from liaison.dutyreports.workflow import TRANSITIONS
from liaison.workflow.flow import Step, Workflow, workflow_begin


class DutyReportConflict(Exception):
    """Someone else changed the report since the page was loaded."""

    def __init__(self, *, current_status_label: str) -> None:
        super().__init__(
            _("该述职已被他人处理（当前状态：%(s)s），请刷新页面后再操作。")
            % {"s": current_status_label}
        )


def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


def facts_of(report: DutyReport, given: Mapping[str, Any] | None = None) -> actions.ReportFacts:
    """The facts of a report (the page shows actions for them; the kernel checks them)."""
    return actions.ReportFacts(
        status=report.status,
        started=report.starts_at <= timezone.now(),
        has_text=bool(report.text.strip()),
    )


def _label(kind: str) -> str:
    try:
        return str(EventKind(kind).label)
    except ValueError:
        return kind


DUTY_REPORTS: Final = Workflow[DutyReport](
    model=DutyReport,
    event_model=DutyReportEvent,
    transitions=TRANSITIONS,
    table=actions.TABLE,
    facts=lambda row, needed, given: facts_of(row, given),
    actors=report_actors,
    conflict=lambda r: DutyReportConflict(current_status_label=status_label(r.status)),
    label=_label,
    region=lambda r: r.region_id,
)


def report_begin(
    *,
    report: DutyReport,
    action: str,
    actor: User,
    expected_version: int | None = None,
    target: str = "",
) -> Step[DutyReport]:
    """Lock the report, check the version and the action table (and a move's transition)."""
    return workflow_begin(
        DUTY_REPORTS,
        row=report,
        action=action,
        actor=actor,
        expected_version=expected_version,
        target=target,
    )
