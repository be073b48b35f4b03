"""The registers: built in the worker, opened with openpyxl and read back; scoped downloads."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.activities import exports
from liaison.activities.models import JobStatus, RegisterExport, Status
from liaison.activities.tests.factories import activity_in, days_ago_this_year, training_in
from liaison.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ACTIVITY_HEADER = [
    "序号", "日期", "时间", "联络站", "活动类型", "主题", "地点", "组织者", "参加代表", "成果",
    "关联民意", "核实情况",
]  # fmt: skip
TRAINING_HEADER = ["序号", "代表", "课程", "课程类别", "学时", "日期", "组织单位", "年度累计学时"]


def _rows(data: bytes) -> tuple[list[Any], list[list[Any]]]:
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "序号")
    return rows[header_at], rows[header_at + 1 :]


def test_activity_register_reads_back(
    county_staff: Any, station: Any, other_station: Any, deputy: Any, colleague: Any
) -> None:
    year = timezone.localdate().year
    activity_in(
        Status.VERIFIED, station=station, attended=[deputy, colleague], title="养老调研",
        suggestions="增设助餐点", verified_by=county_staff,
    )  # fmt: skip
    activity_in(Status.SUBMITTED, station=station, title="待核实的视察", kind="inspection")
    activity_in(Status.CANCELLED, station=station, title="取消的活动")
    activity_in(Status.VERIFIED, station=other_station, title="外县活动")
    qs = exports.register_activities(county_staff, year=year)
    data, count = exports.activity_register_xlsx(qs, title="活动台账")
    header, rows = _rows(data)
    assert header == ACTIVITY_HEADER and count == 2
    by_title = {r[5]: r for r in rows}
    verified = by_title["养老调研"]
    assert verified[3] == station.name and verified[4] == "调研"
    assert verified[8] == "张代表、李代表"
    assert "形成建议：增设助餐点" in verified[9]
    assert verified[11].startswith("已核实")
    assert by_title["待核实的视察"][11] == "待核实" and by_title["待核实的视察"][4] == "视察"


def test_training_register_adds_up_hours_per_deputy(
    county_staff: Any, station: Any, deputy: Any, colleague: Any
) -> None:
    year = timezone.localdate().year
    earlier = days_ago_this_year(5)
    training_in(Status.VERIFIED, hours="4", attended=[deputy, colleague], station=station,
                title="宪法学习", starts_at=earlier)  # fmt: skip
    training_in(Status.VERIFIED, hours="2.5", attended=[deputy], station=station, title="预算审查")
    training_in(Status.SUBMITTED, hours="8", attended=[deputy], station=station, title="未核实")
    data, count = exports.training_register_xlsx(
        exports.register_training(county_staff, year=year), title="培训台账"
    )
    header, rows = _rows(data)
    assert header == TRAINING_HEADER and count == 3
    mine = [r for r in rows if r[1] == "张代表"]
    assert [r[2] for r in mine] == ["宪法学习", "预算审查"]
    assert [Decimal(str(r[7])) for r in mine] == [Decimal("4"), Decimal("6.5")]
    assert mine[0][3] == "法律法规" and mine[0][6] == "岳麓街道人大工委"


def test_register_runs_in_the_worker_and_downloads_to_its_requester(
    county_staff: Any, other_county_staff: Any, station: Any, deputy: Any, as_user: Any
) -> None:
    activity_in(Status.VERIFIED, station=station, attended=[deputy])
    client = as_user(county_staff)
    year = timezone.localdate().year
    response = client.post(reverse("activities:registers"), {"register": "activities",
                                                              "year": year})  # fmt: skip
    job = RegisterExport.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.DONE and job.row_count == 1
    assert AuditEvent.objects.filter(
        action="export", object_type="activities.registerexport"
    ).exists()
    download = client.get(reverse("activities:register_download", args=[job.pk]))
    assert download.status_code == 200
    header, rows = _rows(b"".join(download.streaming_content))
    assert header == ACTIVITY_HEADER and len(rows) == 1
    other = as_user(other_county_staff)
    assert other.get(reverse("activities:register_download", args=[job.pk])).status_code == 404


def test_register_refuses_a_station_outside_scope(
    station_officer: Any, other_station: Any, as_user: Any
) -> None:
    response = as_user(station_officer).post(
        reverse("activities:registers"),
        {"register": "training", "year": timezone.localdate().year, "station": other_station.pk},
    )
    assert response.status_code == 200 and not RegisterExport.objects.exists()
