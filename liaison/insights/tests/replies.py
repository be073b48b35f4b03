"""Replied cases for the reply-score tests (insights' storage and the reports reading it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from liaison.cases.models import Status
from liaison.cases.tests.factories import case_in

MONTH = datetime.date(2025, 3, 1)
GOOD = (
    "经现场核查，桃花小区门口两盏路灯因线路老化损坏，已于3月12日更换线路和灯具，"
    "目前路灯已恢复正常照明，后续将加强巡查。"
)


def at(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, 3, day, 10))


def replied(unit: Any, n: int, *, reply: str = GOOD, **kw: Any) -> list[Any]:
    """`n` cases of March 2025 replied by `unit`, on days 3 to 22."""
    return [
        case_in(
            Status.REPLIED,
            unit=unit,
            title="桃花小区路灯不亮",
            content="桃花小区门口路灯坏了两个月，晚上出行不便。",
            submitted_at=at(1),
            assigned_at=at(2),
            reply_due=datetime.date(2025, 3, 25),
            replied_at=at(3 + i % 20),
            reply=reply,
            **kw,
        )
        for i in range(n)
    ]
