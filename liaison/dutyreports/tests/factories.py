"""Duty reports in any status, built through the services (so codes and events exist), and the
codes of a report as the printed sheet shows them."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from liaison.accounts.models import User
from liaison.deputies.models import Deputy
from liaison.dutyreports.codes import code_for
from liaison.dutyreports.models import DutyReport, Status
from liaison.dutyreports.services import (
    Invitee,
    duty_report_cancel,
    duty_report_hold,
    duty_report_publish,
    duty_report_schedule,
)
from liaison.stations.models import Station


def invitees(n: int = 10) -> list[Invitee]:
    return [Invitee(name=f"选民代表{i}", phone=f"1380000{i:04d}") for i in range(n)]


def _earlier_today() -> datetime.datetime:
    """An hour ago, but never on the local day before (the tests read the meeting as today's,
    and right after local midnight an hour ago is yesterday)."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - datetime.timedelta(hours=1), midnight)


def report_in(
    status: str,
    *,
    actor: User,
    deputy: Deputy,
    station: Station,
    starts_at: datetime.datetime | None = None,
    **fields: Any,
) -> DutyReport:
    """A report scheduled by `actor` (staff of `station`), walked to `status`."""
    start = starts_at or _earlier_today()
    report = duty_report_schedule(
        actor=actor,
        deputy=deputy,
        station=station,
        title=fields.get("title", "2026年度履职情况报告"),
        starts_at=start,
        place=fields.get("place", "岳麓街道社区服务中心"),
        invited=fields.get("invited", invitees()),
    )
    if status == Status.CANCELLED:
        return duty_report_cancel(report=report, actor=actor, expected_version=None, reason="改期")
    if status in (Status.HELD, Status.PUBLISHED):
        report = duty_report_hold(
            report=report,
            actor=actor,
            expected_version=None,
            text="一年来，我围绕社区养老、道路改造等问题开展调研，提出建议三件。",
            attendance=35,
        )
    if status == Status.PUBLISHED:
        report = duty_report_publish(report=report, actor=actor, expected_version=None)
    return report


def codes_of(report: DutyReport, n: int = 3) -> list[str]:
    """The first `n` codes of the report's sheet."""
    return [code_for(report.token, number) for number in range(1, n + 1)]
