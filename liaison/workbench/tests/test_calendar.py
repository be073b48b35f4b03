"""The merged calendar: sources, the month grid, the worker's reception jobs, the demo's days."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from liaison.receptions.models import ReceptionDay, ReceptionReminder
from liaison.stations.models import StationAppearance
from liaison.workbench import calendar_entries
from liaison.workbench.calendar_entries import CalendarEntry, StaffQuery, staff_entries
from liaison.workbench.management.commands import worker
from liaison.workbench.views_calendar import month_grid

pytestmark = pytest.mark.django_db


def entry(start: datetime.datetime, title: str, kind: str = "activity") -> CalendarEntry:
    return CalendarEntry(
        kind=kind,
        kind_label="活动",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        title=title,
        place="x",
    )


def test_another_source_is_one_call(county_staff: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendar_entries, "_staff_sources", list(calendar_entries._staff_sources))
    start = timezone.now() + datetime.timedelta(days=1)
    calendar_entries.staff_source_add(lambda query: [entry(start, "调研活动")])
    today = timezone.localdate()
    found = staff_entries(
        StaffQuery(user=county_staff, first=today, last=today + datetime.timedelta(days=3))
    )
    assert [e.title for e in found] == ["调研活动"]


def test_month_grid_places_entries() -> None:
    start = timezone.make_aware(datetime.datetime(2026, 5, 6, 9, 0))
    weeks = month_grid(datetime.date(2026, 5, 1), [entry(start, "A"), entry(start, "B")])
    cells = {d: items for week in weeks for d, inside, items in week if inside}
    assert [e.title for e in cells[datetime.date(2026, 5, 6)]] == ["A", "B"]
    assert weeks[0][0][0] == datetime.date(2026, 4, 27)  # weeks start on Monday


def test_calendar_shows_appearances_beside_reception_days(
    as_user: Any, county_staff: Any, future_day: Any, station: Any
) -> None:
    StationAppearance.objects.create(
        station=station,
        starts_at=future_day.starts_at + datetime.timedelta(hours=5),
        ends_at=future_day.starts_at + datetime.timedelta(hours=7),
        place="橘子洲头广场",
    )
    page = (
        as_user(county_staff)
        .get(reverse("workbench:calendar"), {"month": future_day.date.strftime("%Y-%m")})
        .content.decode()
    )
    assert "出摊" in page and "接待日" in page


def test_my_duties_lists_the_pop_ups_and_cases(
    as_user: Any,
    deputy_user: Any,
    held_day: Any,
    future_day: Any,
    station: Any,
    station_officer: Any,
) -> None:
    from liaison.deputies.models import Deputy
    from liaison.receptions.services.records import ItemInput, reception_record

    deputy = Deputy.objects.get(user=deputy_user)
    reception_record(
        day=held_day,
        actor=station_officer,
        visitor_count=3,
        items=[ItemInput(title="路灯不亮", content="三栋前", deputy_id=deputy.pk)],
    )
    StationAppearance.objects.create(
        station=station,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=2),
        place="坪塘集市",
    )
    page = as_user(deputy_user).get(reverse("workbench:duties")).content.decode()
    assert "坪塘集市" in page and "路灯不亮" in page and "待受理" in page
    assert "已参加接待日 0 次" in page


def test_worker_enqueues_the_reception_jobs(
    future_day: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "_last_schedule_extend", [])
    type(future_day).objects.filter(pk=future_day.pk).update(
        date=timezone.localdate() + datetime.timedelta(days=1)
    )
    worker.enqueue_reception_jobs()
    worker.enqueue_reception_jobs()
    assert ReceptionReminder.objects.count() == 1
    assert worker._last_schedule_extend == [timezone.localdate()]


def test_demo_has_reception_days(hunan: None) -> None:
    call_command("import_categories", verbosity=0)
    call_command("demo")
    held = ReceptionDay.objects.filter(status="held").get()
    assert held.record.items.count() == 2
    assert ReceptionDay.objects.filter(date__gte=timezone.localdate()).count() > 50
    call_command("demo")
    assert ReceptionDay.objects.filter(status="held").count() == 1


def test_calendar_lists_pending_swaps(
    as_user: Any, deputy_user: Any, station_officer: Any, future_day: Any
) -> None:
    from liaison.receptions.services.swaps import swap_request

    swap_request(duty=future_day.duties.get(), actor=deputy_user, kind="give_up", reason="出差")
    page = as_user(station_officer).get(reverse("workbench:calendar")).content.decode()
    assert "待审批的调班申请" in page and "张代表" in page


def test_calendar_and_my_duties_show_duty_activities(
    as_user: Any, county_staff: Any, deputy_user: Any, station: Any
) -> None:
    from liaison.activities.models import Status as ActivityStatus
    from liaison.activities.tests.factories import activity_in

    starts = timezone.now() + datetime.timedelta(days=3)
    from liaison.deputies.models import Deputy

    deputy = Deputy.objects.get(user=deputy_user)
    activity_in(
        ActivityStatus.PLANNED,
        station=station,
        title="老旧小区加装电梯调研",
        starts_at=starts,
        invited=[deputy],
    )
    month = timezone.localdate(starts).strftime("%Y-%m")
    calendar = as_user(county_staff).get(reverse("workbench:calendar"), {"month": month})
    assert "老旧小区加装电梯调研" in calendar.content.decode()
    duties = as_user(deputy_user).get(reverse("workbench:duties"))
    assert "老旧小区加装电梯调研" in duties.content.decode()
