"""Attendance below the yearly minimum and the reception register, read back from the xlsx."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.audit.models import AuditEvent
from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory
from liaison.receptions.services.records import ItemInput, reception_record
from liaison.receptions.tests.factories import ReceptionDutyFactory

pytestmark = pytest.mark.django_db


def rows_of(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_attendance_lists_deputies_below_the_minimum(
    as_user: Any,
    county_staff: Any,
    held_day: Any,
    deputy: Any,
    colleague: Any,
    station_officer: Any,
) -> None:
    reception_record(
        day=held_day, actor=station_officer, visitor_count=1, present_deputy_ids=[deputy.pk]
    )
    client = as_user(county_staff)
    page = client.get(reverse("receptions:attendance")).content.decode()
    assert "张代表" in page and "李代表" in page  # 1 and 0 of 4
    response = client.get(reverse("receptions:attendance"), {"format": "xlsx"})
    rows = rows_of(response.content)
    header = next(r for r in rows if r and r[0] == "代表")
    assert list(header) == ["代表", "代表码", "所属区划", "本年参加接待日次数"]
    body = {r[0]: r[3] for r in rows[rows.index(header) + 1 :]}
    assert body["张代表"] == 1 and body["李代表"] == 0
    assert AuditEvent.objects.filter(object_type="receptions.attendance").exists()


def test_attendance_per_station_and_the_setting(
    as_user: Any, station_officer: Any, station: Any, held_day: Any, deputy: Any, yuelu: Any
) -> None:
    from liaison.jurisdiction.models import JurisdictionSetting

    JurisdictionSetting.objects.create(region=yuelu, key="reception_min_per_year", value=1)
    ReceptionDutyFactory(day=held_day, deputy=StationDeputyFactory(station=station).deputy)
    held_day.duties.filter(deputy=deputy).update(present=True)
    page = (
        as_user(station_officer)
        .get(reverse("receptions:attendance"), {"station": station.pk})
        .content.decode()
    )
    assert "张代表" not in page.split("<tbody>")[-1] and "不足 1 次" in page


def test_attendance_scope(as_user: Any, county_staff: Any, other_station: Any) -> None:
    client = as_user(county_staff)
    assert (
        client.get(reverse("receptions:attendance"), {"station": other_station.pk}).status_code
        == 403
    )
    assert client.get(reverse("receptions:attendance"), {"region": "430121"}).status_code == 403


def test_attendance_page_queries_do_not_grow(
    as_user: Any, county_staff: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        DeputyFactory()
    client = as_user(county_staff)
    with django_assert_max_num_queries(12):
        client.get(reverse("receptions:attendance"))


def test_station_register_reads_back(
    as_user: Any, station_officer: Any, held_day: Any, deputy: Any, station: Any
) -> None:
    reception_record(
        day=held_day,
        actor=station_officer,
        visitor_count=7,
        minutes="纪要",
        present_deputy_ids=[deputy.pk],
        items=[ItemInput(title="路灯不亮", content="三栋前", deputy_id=deputy.pk)],
    )
    response = as_user(station_officer).post(
        reverse("receptions:register"), {"year": timezone.localdate().year, "station": station.pk}
    )
    assert response.status_code == 200
    rows = rows_of(response.content)
    header = next(r for r in rows if r and r[0] == "日期")
    assert list(header)[:9] == [
        "日期",
        "时间",
        "联络站",
        "接待地点",
        "接待代表",
        "到场代表",
        "来访人数",
        "反映事项",
        "办理情况",
    ]
    line = rows[rows.index(header) + 1]
    assert line[2] == station.name and line[6] == 7
    assert "张代表" in line[4] and "李代表" in line[4] and line[5] == "张代表"
    assert "1. 路灯不亮" in line[7] and "待受理" in line[8]
