"""The demo's duty reports (代表述职): one held three weeks ago, published and rated (its window
closed, so the results are public), one scheduled for next week. Idempotent (skipped once the
home station has a report). Everything goes through the services; only the past report's dates
are moved back afterwards, as the services schedule nothing older than yesterday."""

from __future__ import annotations

import datetime

from django.utils import timezone

from liaison.accounts.models import User
from liaison.deputies.models import Deputy
from liaison.dutyreports.codes import code_for
from liaison.dutyreports.models import DutyReport
from liaison.dutyreports.services import (
    Invitee,
    duty_report_hold,
    duty_report_publish,
    duty_report_rate,
    duty_report_schedule,
)
from liaison.stations.models import Station

PLACE = "岳麓街道人大代表联络站二楼会议室"
TEXT = (
    "各位选民代表：\n"
    "本届任期以来，我参加区人大常委会组织的视察、调研活动十二次，围绕老旧小区改造、"
    "社区养老服务和学校周边交通安全提出建议四件，均已办结。\n"
    "下一步，我将继续每月到联络站接待选民，认真听取大家的意见建议。"
)
VERDICTS = ["satisfied"] * 14 + ["basic"] * 4 + ["unsatisfied"]
SURNAMES = "赵钱孙李周吴郑王冯陈"


def _invitees() -> list[Invitee]:
    return [Invitee(name=f"{s}某某") for s in SURNAMES] + [Invitee(name="居民代表甲")]


def demo_dutyreports(*, actor: User, home: Station) -> None:
    if DutyReport.objects.filter(station=home).exists():
        return
    deputies = list(
        Deputy.objects.filter(
            assignments__station=home, assignments__ends_on__isnull=True, is_active=True
        )
        .distinct()
        .order_by("-user_id", "pk")[:2]
    )
    if not deputies:
        return
    now = timezone.now()
    past = duty_report_schedule(
        actor=actor,
        deputy=deputies[0],
        station=home,
        title="本届任期履职情况报告",
        starts_at=now - datetime.timedelta(hours=2),
        place=PLACE,
        invited=_invitees(),
    )
    past = duty_report_hold(
        report=past, actor=actor, expected_version=None, text=TEXT, attendance=42
    )
    for number, verdict in enumerate(VERDICTS, start=1):
        comment = "希望多到社区走走" if verdict == "basic" else ""
        duty_report_rate(
            report=past, code=code_for(past.token, number), verdict=verdict, comment=comment
        )
    duty_report_publish(report=past, actor=actor, expected_version=None)
    back = datetime.timedelta(days=21)
    DutyReport.objects.filter(pk=past.pk).update(
        starts_at=past.starts_at - back,
        rating_closes_at=past.rating_closes_at - back,
        held_at=now - back,
        published_at=now - back,
    )
    duty_report_schedule(
        actor=actor,
        deputy=deputies[-1],
        station=home,
        title="年度履职情况报告",
        starts_at=now + datetime.timedelta(days=7),
        place=PLACE,
        invited=_invitees(),
    )
