"""The registers' builders, opened with openpyxl and read back (the export job that runs them in
the worker: test_register_jobs.py)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from liaison.activities import exports
from liaison.activities.models import Status
from liaison.activities.tests.factories import activity_in, days_ago_this_year, training_in

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
