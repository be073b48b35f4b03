"""The demo's reception days: two schedules at the home station, a rota for the coming days and
one reception held yesterday whose items became cases. Idempotent (skipped once the home
station has schedules); everything but yesterday's day goes through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.deputies.models import Deputy
from liaison.receptions.models import Frequency, ReceptionDay, ReceptionDuty, ReceptionSchedule
from liaison.receptions.services import rota
from liaison.receptions.services.common import aware, new_signin_code
from liaison.receptions.services.records import ItemInput, reception_record
from liaison.receptions.services.schedules import ScheduleInput, schedule_create
from liaison.stations.models import Station

PLACE = "岳麓街道人大代表联络站一楼接待室"
ITEMS = [
    (
        "桃花岭路口缺少人行横道",
        "桃花岭路口车流量大，学生过马路不安全，建议施划人行横道并加装信号灯。",
    ),
    ("社区菜市场周边占道经营", "望岳社区菜市场周边早晚占道经营严重，影响通行，希望规范管理。"),
]


def demo_receptions(*, actor: User, home: Station) -> None:
    if ReceptionSchedule.objects.filter(station=home).exists():
        return
    today = timezone.localdate()
    monthly = schedule_create(
        station=home,
        actor=actor,
        data=ScheduleInput(
            title="每月第一个周三代表接待日",
            frequency=Frequency.NTH_WEEKDAY,
            weekday=2,
            week_of_month=1,
            starts_on=today,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(11, 30),
            place=PLACE,
        ),
    )
    schedule_create(
        station=home,
        actor=actor,
        data=ScheduleInput(
            title="每周五下午接待",
            frequency=Frequency.WEEKLY,
            weekday=4,
            starts_on=today,
            start_time=datetime.time(14, 30),
            end_time=datetime.time(17, 0),
            place=PLACE,
        ),
    )
    deputies = list(Deputy.objects.filter(assignments__station=home).distinct().order_by("pk")[:4])
    upcoming = ReceptionDay.objects.filter(station=home, date__gte=today).order_by("starts_at")
    for index, day in enumerate(upcoming[:6]):
        for deputy in deputies[index % 2 :: 2]:
            rota.duty_assign(day=day, deputy=deputy, actor=actor)
    _held_yesterday(actor=actor, home=home, deputies=deputies, schedule=monthly)


def _held_yesterday(
    *, actor: User, home: Station, deputies: list[Deputy], schedule: ReceptionSchedule
) -> None:
    """A past reception (the services only schedule the future, so the demo writes its row)."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    day = ReceptionDay.objects.create(
        station=home,
        region_id=home.region_id,
        date=yesterday,
        planned_on=yesterday,
        starts_at=aware(yesterday, datetime.time(9, 0)),
        ends_at=aware(yesterday, datetime.time(11, 30)),
        place=PLACE,
        notice_on=yesterday - datetime.timedelta(days=3),
        signin_code=new_signin_code(),
    )
    audit_record(actor=None, action=AuditAction.CREATE, obj=day, note="演示数据")
    for deputy in deputies[:2]:
        ReceptionDuty.objects.create(
            day=day, deputy=deputy, starts_at=day.starts_at, ends_at=day.ends_at
        )
    reception_record(
        day=day,
        actor=actor,
        visitor_count=9,
        minutes="代表听取了群众关于交通安全和市场秩序的意见，现场答复了两项咨询。",
        present_deputy_ids=[d.pk for d in deputies[:2]],
        items=[
            ItemInput(title=title, content=content, deputy_id=deputies[0].pk if deputies else None)
            for title, content in ITEMS
        ],
    )
