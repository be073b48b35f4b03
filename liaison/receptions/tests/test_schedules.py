"""Schedules become reception days; overlaps are refused; the worker extends the horizon."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from liaison.audit.models import AuditEvent
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.notifications.models import Notification
from liaison.receptions.models import DayStatus, Frequency, ReceptionDay, ReceptionSchedule
from liaison.receptions.services import days, schedules
from liaison.receptions.services.schedules import ScheduleInput
from liaison.receptions.tests.fixtures import day_at

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.time


def first_wednesday(**changes: Any) -> ScheduleInput:
    values: dict[str, Any] = {
        "title": "每月第一个周三接待日",
        "frequency": Frequency.NTH_WEEKDAY,
        "starts_on": D(2025, 9, 1),
        "start_time": T(9, 0),
        "end_time": T(11, 30),
        "place": "岳麓街道联络站一楼",
        "weekday": 2,
        "week_of_month": 1,
    }
    values.update(changes)
    return ScheduleInput(**values)


@time_machine.travel(datetime.datetime(2025, 9, 1, 8, 0), tick=False)
def test_schedule_makes_thirteen_months_of_days_moved_off_national_day(
    station: Any, county_staff: Any
) -> None:
    schedule = schedules.schedule_create(
        station=station, actor=county_staff, data=first_wednesday()
    )
    days = list(schedule.days.order_by("date"))
    assert len(days) == 13
    october = days[1]
    assert (october.planned_on, october.date) == (D(2025, 10, 1), D(2025, 10, 9))
    assert october.notice_on == D(2025, 10, 6)  # three days' notice by default
    assert october.region_id == station.region_id
    assert schedule.materialised_until == D(2026, 10, 1)
    assert AuditEvent.objects.filter(object_type="receptions.receptionschedule").count() == 1


@time_machine.travel(datetime.datetime(2025, 9, 1, 8, 0), tick=False)
def test_the_jurisdiction_may_skip_holidays(station: Any, county_staff: Any, yuelu: Any) -> None:
    JurisdictionSetting.objects.create(region=yuelu, key="reception_holiday_move", value="skip")
    schedule = schedules.schedule_create(
        station=station, actor=county_staff, data=first_wednesday()
    )
    assert D(2025, 10, 9) not in set(schedule.days.values_list("date", flat=True))
    assert schedule.days.count() == 12


@time_machine.travel(datetime.datetime(2025, 9, 1, 8, 0), tick=False)
def test_overlapping_schedule_is_refused_naming_the_date(station: Any, county_staff: Any) -> None:
    schedules.schedule_create(station=station, actor=county_staff, data=first_wednesday())
    weekly = first_wednesday(
        title="每周三", frequency=Frequency.WEEKLY, start_time=T(10, 0), end_time=T(12, 0)
    )
    with pytest.raises(ValidationError) as caught:
        schedules.schedule_create(station=station, actor=county_staff, data=weekly)
    assert "2025-09-03" in str(caught.value)
    assert "时间重叠" in str(caught.value)
    assert ReceptionSchedule.objects.count() == 1
    assert ReceptionDay.objects.count() == 13


@time_machine.travel(datetime.datetime(2025, 9, 1, 8, 0), tick=False)
def test_afternoon_schedule_beside_a_morning_one_is_fine(station: Any, county_staff: Any) -> None:
    schedules.schedule_create(station=station, actor=county_staff, data=first_wednesday())
    afternoon = first_wednesday(title="下午", start_time=T(14, 0), end_time=T(16, 0))
    schedules.schedule_create(station=station, actor=county_staff, data=afternoon)
    assert ReceptionDay.objects.count() == 26


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_time": T(8, 0)}, "end_time"),
        ({"ends_on": D(2025, 8, 1)}, "ends_on"),
        ({"place": "  "}, "place"),
        ({"title": ""}, "title"),
        ({"weekday": None}, "weekday"),
        ({"week_of_month": 7}, "week_of_month"),
        ({"frequency": Frequency.MONTH_DAYS, "month_days": (0, 32)}, "month_days"),
        ({"frequency": Frequency.ONCE, "dates": ()}, "dates"),
        ({"frequency": Frequency.ONCE, "dates": (D(2025, 8, 1),)}, "dates"),
        ({"frequency": "yearly"}, "frequency"),
        ({"months": "prime"}, "months"),
    ],
)
@time_machine.travel(datetime.datetime(2025, 9, 1, 8, 0), tick=False)
def test_bad_schedule_input_changes_nothing(
    station: Any, county_staff: Any, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        schedules.schedule_create(
            station=station, actor=county_staff, data=first_wednesday(**changes)
        )
    assert field in caught.value.message_dict
    assert not ReceptionSchedule.objects.exists()
    assert not AuditEvent.objects.filter(object_type="receptions.receptionschedule").exists()


def test_station_outside_scope_is_refused(other_station: Any, county_staff: Any) -> None:
    with pytest.raises(PermissionDenied):
        schedules.schedule_create(station=other_station, actor=county_staff, data=first_wednesday())
    assert not ReceptionSchedule.objects.exists()


def test_deputy_cannot_schedule(station: Any, deputy_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        schedules.schedule_create(station=station, actor=deputy_user, data=first_wednesday())


def test_worker_extends_the_horizon_once(station: Any, county_staff: Any) -> None:
    with time_machine.travel(datetime.datetime(2025, 9, 1, 8, 0), tick=False):
        schedule = schedules.schedule_create(
            station=station, actor=county_staff, data=first_wednesday()
        )
        assert schedules.schedules_extend() == 0
    with time_machine.travel(datetime.datetime(2025, 12, 2, 8, 0), tick=False):
        assert schedules.schedules_extend() == 3  # 2026-10-07, 11-04, 12-02 (horizon 2027-01-02)
        assert schedules.schedules_extend() == 0  # idempotent
    schedule.refresh_from_db()
    assert schedule.materialised_until == D(2027, 1, 2)
    assert schedule.days.filter(date=D(2026, 11, 4)).exists()


def test_worker_leaves_out_an_occurrence_that_overlaps_and_says_so(
    station: Any, county_staff: Any, other_county_staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with time_machine.travel(datetime.datetime(2025, 9, 1, 8, 0), tick=False):
        schedule = schedules.schedule_create(
            station=station, actor=county_staff, data=first_wednesday()
        )
        day_at(station, D(2026, 11, 4), hour=10)  # a one-off day where the rule will fall
    with (
        time_machine.travel(datetime.datetime(2025, 12, 2, 8, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        schedules.schedules_extend()
    assert not schedule.days.filter(date=D(2026, 11, 4)).exists()
    assert schedule.days.filter(date=D(2026, 12, 2)).exists()
    told = Notification.objects.filter(title__contains="有日期未生成")
    assert [n.user_id for n in told] == [county_staff.pk]  # not the other county
    assert "2026-11-04" in told[0].body and "时间重叠" in told[0].body


@time_machine.travel(datetime.datetime(2025, 9, 1, 8, 0), tick=False)
def test_stopping_cancels_future_days(station: Any, county_staff: Any) -> None:
    schedule = schedules.schedule_create(
        station=station, actor=county_staff, data=first_wednesday()
    )
    assert schedules.schedule_stop(schedule=schedule, actor=county_staff, reason="撤并") == 13
    assert not schedule.days.exclude(status=DayStatus.CANCELLED).exists()
    with pytest.raises(ValidationError):
        schedules.schedule_stop(schedule=schedule, actor=county_staff)


@time_machine.travel(datetime.datetime(2025, 9, 1, 8, 0), tick=False)
def test_one_off_day_and_its_overlap(station: Any, station_officer: Any) -> None:
    day = days.day_create(
        station=station,
        actor=station_officer,
        date=D(2025, 9, 10),
        start_time=T(9, 0),
        end_time=T(11, 0),
        place="社区活动室",
    )
    assert day.schedule is None and day.notice_on == D(2025, 9, 7)
    with pytest.raises(ValidationError) as caught:
        days.day_create(
            station=station,
            actor=station_officer,
            date=D(2025, 9, 10),
            start_time=T(10, 0),
            end_time=T(12, 0),
            place="社区活动室",
        )
    assert "2025-09-10" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        days.day_create(
            station=station,
            actor=station_officer,
            date=D(2025, 8, 10),
            start_time=T(12, 0),
            end_time=T(11, 0),
            place="",
        )
    assert set(caught.value.message_dict) == {"date", "end_time", "place"}
    assert ReceptionDay.objects.count() == 1


def test_cancel_a_day(future_day: Any, station_officer: Any, other_county_staff: Any) -> None:
    with pytest.raises(ValidationError):
        days.day_cancel(day=future_day, actor=station_officer, reason=" ")
    with pytest.raises(PermissionDenied):
        days.day_cancel(day=future_day, actor=other_county_staff, reason="x")
    days.day_cancel(day=future_day, actor=station_officer, reason="台风")
    future_day.refresh_from_db()
    assert future_day.status == DayStatus.CANCELLED
    with pytest.raises(ValidationError):
        days.day_cancel(day=future_day, actor=station_officer, reason="again")
