"""Schedules and the reception days they materialise (one-off days: services.days).

Pages, reminders and the register read `ReceptionDay` rows, never rules: a schedule is turned
into rows up to a rolling horizon (HORIZON_MONTHS) when it is made, and the worker's daily job
(`schedules_extend`) pushes the horizon on (decision 0016).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Final

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability
from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record, snapshot
from liaison.jurisdiction.calendar import WorkingCalendar
from liaison.jurisdiction.selectors import setting_value
from liaison.notifications.services import notify_users
from liaison.receptions.models import (
    DayStatus,
    Frequency,
    MonthParity,
    ReceptionDay,
    ReceptionSchedule,
)
from liaison.receptions.permissions import can_schedule
from liaison.receptions.place_settings import HOLIDAY_MOVE, NOTICE_DAYS
from liaison.receptions.recurrence import Occurrence, Rule, occurrences
from liaison.receptions.services.common import (
    aware,
    new_signin_code,
    overlap_error,
)
from liaison.stations.models import Station, StationStatus
from liaison.stations.staff import station_staff_ids

logger = logging.getLogger(__name__)

HORIZON_MONTHS: Final = 13
SCHEDULE_FIELDS: Final = (
    "station",
    "title",
    "frequency",
    "weekday",
    "week_of_month",
    "month_days",
    "months",
    "dates",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "place",
    "is_active",
)


@dataclass(frozen=True)
class ScheduleInput:
    """What a person fills in for a schedule (the form and the tests build it)."""

    title: str
    frequency: str
    starts_on: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    place: str
    ends_on: datetime.date | None = None
    weekday: int | None = None
    week_of_month: int | None = None
    month_days: tuple[int, ...] = ()
    months: str = MonthParity.ALL
    dates: tuple[datetime.date, ...] = ()

    def rule(self) -> Rule:
        return Rule(
            frequency=self.frequency,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            weekday=self.weekday,
            week_of_month=self.week_of_month,
            month_days=self.month_days,
            months=self.months,
            dates=self.dates,
        )


def horizon(today: datetime.date | None = None) -> datetime.date:
    end: datetime.date = (today or timezone.localdate()) + relativedelta(months=HORIZON_MONTHS)
    return end


def _check(data: ScheduleInput, *, today: datetime.date) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("请填写名称")
    if not data.place.strip():
        errors["place"] = _("请填写接待地点")
    if data.end_time <= data.start_time:
        errors["end_time"] = _("结束时间须晚于开始时间")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期")
    if data.frequency not in Frequency.values:
        errors["frequency"] = _("请选择重复方式")
    elif data.frequency in (Frequency.WEEKLY, Frequency.NTH_WEEKDAY):
        if data.weekday is None or not 0 <= data.weekday <= 6:
            errors["weekday"] = _("请选择星期几")
        if data.frequency == Frequency.NTH_WEEKDAY and data.week_of_month not in (1, 2, 3, 4, -1):
            errors["week_of_month"] = _("请选择第几个（第一至第四个，或最后一个）")
    elif data.frequency == Frequency.MONTH_DAYS:
        if not data.month_days or any(not 1 <= d <= 31 for d in data.month_days):
            errors["month_days"] = _("请填写每月的日期（1 至 31）")
    elif data.frequency == Frequency.ONCE:
        if not data.dates:
            errors["dates"] = _("请至少填写一个日期")
        elif min(data.dates) < today:
            errors["dates"] = _("不能安排已过去的日期：%(date)s") % {"date": min(data.dates)}
    if data.months not in MonthParity.values:
        errors["months"] = _("请选择月份")
    if errors:
        raise ValidationError(errors)


def _days_of(
    schedule: ReceptionSchedule, found: list[Occurrence], *, notice_days: int
) -> list[ReceptionDay]:
    return [
        ReceptionDay(
            station=schedule.station,
            region_id=schedule.station.region_id,
            schedule=schedule,
            date=o.date,
            planned_on=o.planned_on,
            starts_at=aware(o.date, schedule.start_time),
            ends_at=aware(o.date, schedule.end_time),
            place=schedule.place,
            notice_on=o.date - datetime.timedelta(days=notice_days),
            signin_code=new_signin_code(),
        )
        for o in found
    ]


def _materialise(
    schedule: ReceptionSchedule, *, until: datetime.date, today: datetime.date, strict: bool
) -> list[ReceptionDay]:
    """Write the schedule's days from where it stopped (or today) to `until`.

    `strict`: an overlap with another day of the station refuses the whole schedule (a person is
    saving it); otherwise (the worker) the overlapping occurrence is left out, and the station's
    schedulers are told which dates and why, so that nobody expects a reception that is not on
    the calendar."""
    station = schedule.station
    start = max(schedule.starts_on, today)
    if schedule.materialised_until is not None:
        start = max(start, schedule.materialised_until + datetime.timedelta(days=1))
    rule = ScheduleInput(
        title=schedule.title,
        frequency=schedule.frequency,
        starts_on=start,
        ends_on=schedule.ends_on,
        start_time=schedule.start_time,
        end_time=schedule.end_time,
        place=schedule.place,
        weekday=schedule.weekday,
        week_of_month=schedule.week_of_month,
        month_days=tuple(schedule.month_days),
        months=schedule.months,
        dates=tuple(datetime.date.fromisoformat(d) for d in schedule.dates),
    ).rule()
    move = str(setting_value(key=HOLIDAY_MOVE, region=station.region_id))
    notice_days = int(setting_value(key=NOTICE_DAYS, region=station.region_id))
    found = occurrences(rule, until=until, calendar=WorkingCalendar(station.region_id), move=move)
    days = _days_of(schedule, found, notice_days=notice_days)
    existing = list(
        ReceptionDay.objects.filter(station=station, date__gte=start - datetime.timedelta(days=1))
        .exclude(status=DayStatus.CANCELLED)
        .only("pk", "schedule_id", "date", "planned_on", "starts_at", "ends_at", "place")
    )
    kept: list[ReceptionDay] = []
    left_out: list[tuple[ReceptionDay, ReceptionDay]] = []
    for day in days:
        clash = next(
            (e for e in existing if e.starts_at < day.ends_at and e.ends_at > day.starts_at), None
        )
        if clash is not None and clash.schedule_id == schedule.pk and schedule.pk is not None:
            continue  # two occurrences moved onto one date: one reception
        if clash is not None:
            if strict:
                raise ValidationError({"__all__": overlap_error(clash, station)})
            logger.warning(
                "schedule %s: %s overlaps day %s, left out", schedule.pk, day.date, clash.pk
            )
            left_out.append((day, clash))
            continue
        existing.append(day)
        kept.append(day)
    ReceptionDay.objects.bulk_create(kept, batch_size=500)
    schedule.materialised_until = until
    schedule.save(update_fields=["materialised_until"])
    if left_out:
        transaction.on_commit(lambda: _tell_left_out(schedule, left_out), robust=True)
    return kept


def _tell_left_out(
    schedule: ReceptionSchedule, left_out: list[tuple[ReceptionDay, ReceptionDay]]
) -> None:
    """One message to the station's schedulers naming each date left out and what it clashed
    with (another reception day of the station at an overlapping time)."""
    staff = station_staff_ids(schedule.station, Capability.SCHEDULE_RECEPTIONS)
    if not staff:
        return
    dates = "、".join(
        _("%(date)s（与 %(other)s 的接待日时间重叠）")
        % {"date": day.date.isoformat(), "other": clash.date.isoformat()}
        for day, clash in left_out[:10]
    )
    more = len(left_out) - 10
    if more > 0:
        dates += _("等，另有 %(n)d 个日期") % {"n": more}
    notify_users(
        users=staff,
        title=_("接待安排“%(t)s”有日期未生成") % {"t": schedule.title},
        body=_("以下日期与本站已有接待日冲突，未自动生成，请调整后另行安排：%(d)s") % {"d": dates},
        url=reverse("receptions:schedules"),
        subject=schedule,
    )


def schedule_create(*, station: Station, actor: User, data: ScheduleInput) -> ReceptionSchedule:
    """A new schedule for the station and its days up to the horizon; refused (nothing written)
    when one of them overlaps a reception day the station already has."""
    today = timezone.localdate()
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station.pk)
        if not can_schedule(actor, station):
            raise PermissionDenied
        if station.status == StationStatus.CLOSED:
            raise ValidationError(_("该联络站已撤销，不能安排接待日"))
        _check(data, today=today)
        schedule = ReceptionSchedule.objects.create(
            station=station,
            title=data.title.strip(),
            frequency=data.frequency,
            weekday=data.weekday,
            week_of_month=data.week_of_month,
            month_days=sorted(set(data.month_days)),
            months=data.months,
            dates=sorted({d.isoformat() for d in data.dates}),
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            start_time=data.start_time,
            end_time=data.end_time,
            place=data.place.strip(),
            created_by=actor,
        )
        days = _materialise(schedule, until=horizon(today), today=today, strict=True)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=schedule,
            region_code=station.region_id,
            after=snapshot(schedule, SCHEDULE_FIELDS),
            note=_("生成接待日 %(n)d 个") % {"n": len(days)},
        )
    return schedule


def schedule_stop(*, schedule: ReceptionSchedule, actor: User, reason: str = "") -> int:
    """Stop a schedule: its future days without a record are cancelled; how many."""
    today = timezone.localdate()
    with transaction.atomic():
        schedule = (
            ReceptionSchedule.objects.select_for_update()
            .select_related("station")
            .get(pk=schedule.pk)
        )
        if not can_schedule(actor, schedule.station):
            raise PermissionDenied
        if not schedule.is_active:
            raise ValidationError(_("该接待日安排已停用"))
        schedule.is_active = False
        schedule.version += 1
        schedule.save(update_fields=["is_active", "version", "updated_at"])
        future = ReceptionDay.objects.filter(
            schedule=schedule, date__gt=today, status=DayStatus.SCHEDULED
        )
        count = future.update(status=DayStatus.CANCELLED, cancel_reason=reason.strip()[:200])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=schedule,
            region_code=schedule.station.region_id,
            before={"is_active": True},
            after={"is_active": False},
            note=_("停用接待日安排，取消今后的接待日 %(n)d 个") % {"n": count},
        )
    return count


def schedules_extend(*, today: datetime.date | None = None) -> int:
    """The worker's daily job: materialise every active schedule up to the rolling horizon.
    Idempotent (a schedule remembers how far it got); how many days were written."""
    today = today or timezone.localdate()
    until = horizon(today)
    written = 0
    due = ReceptionSchedule.objects.filter(is_active=True).exclude(materialised_until__gte=until)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            schedule = (
                ReceptionSchedule.objects.select_for_update().select_related("station").get(pk=pk)
            )
            written += len(_materialise(schedule, until=until, today=today, strict=False))
    return written
