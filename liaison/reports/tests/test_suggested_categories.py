"""Confident category suggestions reach the outputs, marked as suggestions (decision 0007).

Before: the monthly report counted every case without a confirmed category as 未分类 and the
ledger's category column was empty until staff clicked 采用 on each case.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.cases.tests.factories import CaseFactory
from liaison.regions.tests.factories import YUELU, region
from liaison.reports.data import report_data
from liaison.reports.documents import _label
from liaison.reports.models import MonthlyReport
from liaison.reports.tests.conftest import MONTH, at
from liaison.taxonomy.categories import counted_category, taxonomy_to_rows
from liaison.taxonomy.models import Category

pytestmark = pytest.mark.django_db


def _suggested(label: str, *, confident: bool = True, **kw: Any) -> Any:
    return CaseFactory(
        hint_label=label,
        hint_confidence=0.95 if confident else 0.4,
        hint_needs_review=not confident,
        **kw,
    )


def test_counted_category_rule() -> None:
    assert counted_category(path="城乡建设/市政", hint_label="环境保护", needs_review=False) == (
        "城乡建设",
        "confirmed",
    )
    assert counted_category(path=None, hint_label="环境保护", needs_review=False) == (
        "环境保护",
        "suggested",
    )
    assert counted_category(path="", hint_label="环境保护", needs_review=True) == ("", "")


def test_report_counts_confident_suggestions_and_marks_them(yuelu: Any, station: Any) -> None:
    build, _ = Category.objects.get_or_create(
        path="城乡建设", defaults={"name": "城乡建设", "level": 1}
    )
    day = at(MONTH + datetime.timedelta(days=3))
    CaseFactory(submitted_at=day, category=build, station=station)
    for _ in range(2):
        _suggested("城乡建设", submitted_at=day, station=station)
    _suggested("环境保护", submitted_at=day, station=station)
    _suggested("交通运输", confident=False, submitted_at=day, station=station)
    report = MonthlyReport.objects.create(region=region(YUELU), month=MONTH)
    rows = {r["label"]: r for r in report_data(report=report, today=MONTH)["category"]}
    assert rows["城乡建设"]["current"] == 3
    assert rows["城乡建设"]["suggested"] == 2
    assert rows["环境保护"]["current"] == 1
    assert rows["环境保护"]["suggested"] == 1
    unclassified = [r for r in rows.values() if r["key"] == ""]
    assert [r["current"] for r in unclassified] == [1]  # only the unsure suggestion
    assert "系统建议 2 件" in _label(rows["城乡建设"])


def test_ledger_has_the_category_and_its_source(
    as_user: Any, station: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    build, _ = Category.objects.get_or_create(
        path="城乡建设", defaults={"name": "城乡建设", "level": 1}
    )
    CaseFactory(station=station, category=build, title="确认的件")
    _suggested("环境保护", station=station, title="建议的件")
    _suggested("交通运输", confident=False, station=station, title="待分类的件")
    client = as_user(county_staff)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):  # the worker builds the file
        response = client.post(
            reverse("cases:export"),
            {
                "date_from": (today - datetime.timedelta(days=30)).isoformat(),
                "date_to": today.isoformat(),
                "mask_person": "on",
            },
        )
    assert response.status_code == 302
    from liaison.jobs.models import ExportJob

    job = ExportJob.objects.latest("pk")
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    sheet = [
        [c.value for c in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()
    ]
    headers = sheet[1]
    rows = [dict(zip(headers, row, strict=True)) for row in sheet[2:]]
    cells = {(r["分类"] or "", r["分类来源"] or "") for r in rows}
    assert cells == {("城乡建设", "确认"), ("环境保护", "建议"), ("", "")}


def test_taxonomy_rows_drop_a_name_repeating_its_parent() -> None:
    text = (
        "level1,level2,level3\n交通运输,出租车管理,其他\n"
        "交通运输,交通运输,出租车管理\n城乡建设,其他,其他\n"
    )
    paths = [path for path, _level in taxonomy_to_rows(text)]
    assert paths == [
        "交通运输",
        "交通运输/出租车管理",
        "交通运输/出租车管理/其他",
        "城乡建设",
        "城乡建设/其他",
    ]
    assert not any("交通运输/交通运输" in p for p in paths)
