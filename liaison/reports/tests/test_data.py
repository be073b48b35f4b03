"""The numbers of a report on a seeded month: volumes, MoM and YoY, lists, quality, follow-ups."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from liaison.regions.tests.factories import YUELU, region
from liaison.reports.data import change, report_data, shift_month
from liaison.reports.models import MonthlyReport
from liaison.reports.rules import follow_ups
from liaison.reports.tests.conftest import MONTH

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 4, 2)


def test_month_arithmetic_and_change() -> None:
    assert shift_month(datetime.date(2025, 1, 1), -1) == datetime.date(2024, 12, 1)
    assert shift_month(datetime.date(2025, 3, 1), -12) == datetime.date(2024, 3, 1)
    assert change(6, 2) == 200.0
    assert change(6, 0) is None
    assert change(1, 4) == -75.0


def test_volumes_with_month_on_month_and_year_on_year(seeded_month: dict[str, Any]) -> None:
    report = MonthlyReport.objects.create(region=region(YUELU), month=MONTH)
    data = report_data(report=report, today=TODAY)
    assert data["total"] == {"current": 6, "prev": 4, "last_year": 3, "mom": 50.0, "yoy": 100.0}
    assert data["merged"] == 1
    category = {r["label"]: r for r in data["category"]}
    assert category["城乡建设"]["current"] == 4
    assert category["城乡建设"]["prev"] == 2
    assert category["城乡建设"]["mom"] == 100.0
    assert category["环境保护"]["yoy"] == pytest.approx(-33.3)
    channels = {r["key"]: r["current"] for r in data["channel"]}
    assert channels == {"qr": 4, "hotline_12345": 2}
    regions = {r["label"]: r["current"] for r in data["region"]}
    assert sum(regions.values()) == 6
    assert len(regions) == 2
    assert data["kpis"]["total"] == 6


def test_overdue_unsatisfied_and_reply_quality(seeded_month: dict[str, Any]) -> None:
    report = MonthlyReport.objects.create(region=region(YUELU), month=MONTH)
    data = report_data(report=report, today=TODAY)
    assert data["overdue"]["count"] == 1
    assert data["overdue"]["rows"][0]["title"] == "桃花小区路灯不亮"
    assert data["unsatisfied"]["count"] == 1
    [unit] = data["reply_quality"]
    assert unit["unit"] == "岳麓区城市管理和综合执法局"
    assert unit["boilerplate"] == 1
    assert unit["mean_score"] < 60
    # A low score is shown with its reasons, but recommends nothing (decision 0007).
    assert all(s["kind"] != "supervise" for s in data["suggestions"])
    assert "督办" not in " ".join(s["text"] for s in data["suggestions"])


def test_station_scope_counts_only_its_cases(seeded_month: dict[str, Any]) -> None:
    report = MonthlyReport.objects.create(station=seeded_month["station"], month=MONTH)
    data = report_data(report=report, today=TODAY)
    assert data["total"]["current"] == 4


def test_follow_up_rules() -> None:
    limits = {"topic_min": 5, "rise_percent": 50, "category_min": 5}
    topics = [{"label": "某小区噪音", "size": 6, "stations": ["甲站", "乙站"]},
              {"label": "一站内", "size": 9, "stations": ["甲站"]}]  # fmt: skip
    categories = [{"label": "城乡建设", "current": 6, "mom": 50.0},
                  {"label": "环境保护", "current": 2, "mom": 100.0}]  # fmt: skip
    texts = [s["text"] for s in follow_ups(topics=topics, categories=categories,
                                           thresholds=limits)]  # fmt: skip
    assert len(texts) == 2
    assert "建议代表就此形成代表建议" in texts[0]
    assert "建议专题调研" in texts[1]


def test_old_snapshots_no_longer_show_score_driven_supervision() -> None:
    from liaison.reports.rules import shown_follow_ups

    data = {"suggestions": [{"kind": "supervise", "text": "某局答复质量平均 40 分：建议督办。"},
                            {"kind": "research", "text": "建议专题调研。"}]}  # fmt: skip
    assert [s["kind"] for s in shown_follow_ups(data)] == ["research"]
