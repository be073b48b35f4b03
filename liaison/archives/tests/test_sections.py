"""The sections of a deputy's file: one per source app, filtered by year; the two slots the lead
wires later say 暂无."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from liaison.archives.sections import SECTION_BUILDERS, Section, deputy_file_sections
from liaison.archives.tests.conftest import YEAR
from liaison.deputies.selectors import with_related
from liaison.dutyreports.models import Status
from liaison.dutyreports.services.rating import duty_report_rate
from liaison.dutyreports.tests.factories import codes_of, report_in

pytestmark = pytest.mark.django_db


def _by_key(filed: Any, year: int = YEAR) -> dict[str, Section]:
    deputy = with_related(type(filed.deputy).objects.filter(pk=filed.deputy.pk)).get()
    return {s.key: s for s in deputy_file_sections(deputy, year=year)}


def _cells(section: Section) -> str:
    return " ".join(" ".join(row) for row in section.rows)


def test_every_source_gives_its_section(filed: Any) -> None:
    sections = _by_key(filed)
    assert list(sections) == [b.__name__ for b in SECTION_BUILDERS]
    basics = dict(sections["basics"].facts)
    assert basics["姓名"] == "张代表" and basics["手机号"] == "138****5678"
    assert "县（区）人大代表" in _cells(sections["seats"]) and "第18届" in _cells(sections["seats"])
    assert "岳麓街道人大代表联络站" in _cells(sections["stations"])
    assert "桃花岭社区网格 安全巡查岗" in _cells(sections["posts"])
    receptions = sections["receptions"]
    assert "接待室甲" in _cells(receptions) and "到场" in _cells(receptions)
    assert dict(receptions.facts)["到场接待"].startswith("1 次")
    assert "老旧小区加装电梯调研" in _cells(sections["activities"])
    assert dict(sections["training"].facts)["培训学时"].startswith("6 学时")
    cases = sections["cases"]
    assert "菜市场周边占道经营 已评价 满意" in _cells(cases)
    assert "满意 1 件" in dict(cases.facts)["群众评价"]
    assert "关于增设社区食堂的建议" in _cells(sections["suggestions"])


def test_only_verified_activities_of_the_year_count(filed: Any) -> None:
    text = _cells(_by_key(filed)["activities"])
    assert "尚未核实的视察" not in text and "前年的河道巡查" not in text
    earlier = _by_key(filed, YEAR - 1)
    assert "前年的河道巡查" in _cells(earlier["activities"])
    assert not earlier["cases"].rows and not earlier["receptions"].rows


def test_duty_reports_of_the_year_with_their_ratings(filed: Any, station_officer: Any) -> None:
    meeting = datetime.datetime(YEAR, 6, 10, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(meeting + datetime.timedelta(hours=3), tick=False):
        report = report_in(
            Status.PUBLISHED, actor=station_officer, deputy=filed.deputy, station=filed.station,
            starts_at=meeting, title="年中履职报告",
        )  # fmt: skip
        verdicts = ["satisfied", "satisfied", "unsatisfied"]
        for code, verdict in zip(codes_of(report, 3), verdicts, strict=True):
            duty_report_rate(report=report, code=code, verdict=verdict)
    section = _by_key(filed)["duty_reports"]
    assert section.rows == ((f"{YEAR}-06-10", "年中履职报告", filed.station.name,
                             "岳麓街道社区服务中心", "2", "0", "1"),)  # fmt: skip
    assert dict(section.facts) == {"述职次数": "1", "评价人次": "3", "满意和基本满意": "66%"}
    assert not _by_key(filed, YEAR - 1)["duty_reports"].rows


def test_points_of_the_year(filed: Any, county_staff: Any) -> None:
    from decimal import Decimal

    from liaison.points.selectors import deputy_points_summary
    from liaison.points.services import points_correct

    points_correct(
        actor=county_staff,
        deputy=filed.deputy,
        points=Decimal("3"),
        reason="补录宣讲",
        year=YEAR,
        quarter=2,
    )  # fmt: skip (the correction also syncs the fixture's sources into the ledger)
    summary = deputy_points_summary(deputy=filed.deputy, year=YEAR)
    assert summary.quarters[1] >= 3 and summary.entries >= 1
    facts = dict(_by_key(filed)["points"].facts)
    assert facts["年度积分"] == f"{summary.total.normalize():f}（{summary.band_label}）"
    assert facts["各季度"] == "；".join(f"{q.normalize():f}" for q in summary.quarters)
    assert facts["站内排名"] == "第 1 名"
    assert facts["积分记录"] == f"{summary.entries} 条"


@pytest.mark.parametrize("key", ["points", "duty_reports"])
def test_sections_without_records_say_none(filed: Any, key: str) -> None:
    section = _by_key(filed, YEAR - 3)[key]
    assert section.note == "暂无" and not section.rows and not section.facts
