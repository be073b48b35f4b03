"""Building a report in the (immediate) task backend: the files hold the numbers and the Chinese."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from liaison.common.fonts import CJKFontMissing
from liaison.regions.tests.factories import YUELU, region
from liaison.reports import services
from liaison.reports.models import MonthlyReport, ReportStatus
from liaison.reports.tests.conftest import MONTH

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_report_files_carry_the_numbers_and_the_chinese(
    seeded_month: dict[str, Any], county_staff: Any
) -> None:
    report = services.report_request(actor=county_staff, month=MONTH, region=region(YUELU),
                                     today=datetime.date(2025, 4, 2))  # fmt: skip
    assert report.status == ReportStatus.DONE, report.error
    assert set(report.data["charts"]) == {"channel", "category", "region"}
    assert report.data["charts"]["channel"].startswith("<svg")
    text = _docx_text(report.docx.read())
    assert "岳麓区2025年3月社情民意月度研判报告" in text
    assert "本月共收到群众意见建议 6 件" in text
    assert "环比 +50%" in text
    assert "同比 +100%" in text
    assert "城乡建设" in text
    assert "桃花小区路灯不亮" in text
    assert "建议督办" not in text
    assert "仅作提示" in text
    assert "不作为督办依据" in text
    from docx import Document

    xml = Document(io.BytesIO(report.docx.open("rb").read())).styles["Normal"].element.xml
    assert 'w:eastAsia="Noto Sans CJK SC"' in xml
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    pdf = subprocess.run(["pdftotext", "-layout", report.pdf.path, "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    flat = pdf.replace(" ", "").replace("\n", "")
    assert "社情民意月度研判报告" in flat
    assert "本月共收到群众意见建议6件" in flat
    assert "合并重复件1件" in flat
    assert "桃花小区路灯不亮" in flat
    assert "城乡建设" in flat


def test_regenerating_keeps_one_row_and_replaces_the_files(
    seeded_month: dict[str, Any], county_staff: Any
) -> None:
    first = services.report_request(actor=county_staff, month=MONTH, region=region(YUELU))
    old_pdf = first.pdf.name
    again = services.report_request(actor=county_staff, month=MONTH, region=region(YUELU))
    assert again.pk == first.pk
    assert MonthlyReport.objects.count() == 1
    assert again.pdf.name != old_pdf
    assert not first.pdf.storage.exists(old_pdf)


def test_a_future_month_is_refused(yuelu: Any, county_staff: Any) -> None:
    with pytest.raises(ValidationError):
        services.report_request(actor=county_staff, month=datetime.date(2999, 1, 1), region=yuelu)


def test_without_a_cjk_font_the_report_fails_with_the_message(
    yuelu: Any, county_staff: Any, monkeypatch: Any
) -> None:
    def missing() -> None:
        raise CJKFontMissing("未找到中文字体，请安装 fonts-noto-cjk")

    monkeypatch.setattr("liaison.reports.services.find_cjk_font", missing)
    report = services.report_request(actor=county_staff, month=MONTH, region=yuelu)
    assert report.status == ReportStatus.FAILED
    assert "未找到中文字体" in report.error
    assert not report.pdf


def test_the_first_of_the_month_schedules_every_county_with_a_station_once(
    station: Any, other_station: Any
) -> None:
    requested = services.schedule_monthly_reports(today=datetime.date(2025, 4, 1))
    assert len(requested) == 2
    assert set(MonthlyReport.objects.values_list("month", flat=True)) == {MONTH}
    assert services.schedule_monthly_reports(today=datetime.date(2025, 4, 1)) == []


def test_the_worker_scheduler_asks_for_reports_only_on_the_first(station: Any) -> None:
    import time_machine

    from liaison.workbench.management.commands.worker import enqueue_monthly_reports

    with time_machine.travel(datetime.datetime(2025, 4, 2, 9, 0), tick=False):
        enqueue_monthly_reports()
    assert not MonthlyReport.objects.exists()
    with time_machine.travel(datetime.datetime(2025, 4, 1, 9, 0), tick=False):
        enqueue_monthly_reports()
    assert MonthlyReport.objects.get().month == MONTH


def test_control_characters_stored_before_the_rule_do_not_break_the_files(
    seeded_month: dict[str, Any], county_staff: Any
) -> None:
    from liaison.cases.models import Case

    # Data written before control characters were refused at intake (no NUL: PostgreSQL refuses it).
    Case.objects.filter(title__contains="桃花小区路灯不亮").update(title="桃花小区\x1b路灯\x07不亮")
    report = services.report_request(actor=county_staff, month=MONTH, region=region(YUELU),
                                     today=datetime.date(2025, 4, 2))  # fmt: skip
    assert report.status == ReportStatus.DONE, report.error
    assert "桃花小区路灯不亮" in _docx_text(report.docx.read())
    assert report.pdf.read().startswith(b"%PDF")
