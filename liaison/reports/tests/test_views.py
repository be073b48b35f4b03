"""Report pages: role × scope, the request form's checks, audited downloads, the failure message."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from liaison.audit.models import AuditAction, AuditEvent
from liaison.regions.tests.factories import YUELU, region
from liaison.reports import services
from liaison.reports.models import MonthlyReport, ReportStatus
from liaison.reports.tests.conftest import MONTH

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report(seeded_month: dict[str, Any], county_staff: Any) -> MonthlyReport:
    return services.report_request(actor=county_staff, month=MONTH, region=region(YUELU))


def test_county_staff_see_the_report_with_charts_and_download_audited(
    report: MonthlyReport, county_staff: Any, as_user: Any
) -> None:
    client = as_user(county_staff)
    listing = client.get(reverse("reports:list"))
    assert listing.status_code == 200
    assert "岳麓区" in listing.content.decode()
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "data:image/svg+xml;base64," in page
    assert "城乡建设" in page
    assert "建议督办" not in page
    assert "不作为督办依据" in page
    response = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(report.pk)).exists()


def test_other_county_staff_get_404(report: MonthlyReport, other_county_staff: Any,
                                    as_user: Any) -> None:  # fmt: skip
    client = as_user(other_county_staff)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[report.pk, "docx"])).status_code == 404
    assert "岳麓区" not in client.get(reverse("reports:list")).content.decode()


def test_station_staff_see_their_station_report_not_the_county_one(
    report: MonthlyReport, station_officer: Any, seeded_month: dict[str, Any], as_user: Any
) -> None:
    own = services.report_request(actor=station_officer, month=MONTH,
                                  station=seeded_month["station"])  # fmt: skip
    client = as_user(station_officer)
    assert client.get(reverse("reports:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404


def test_handling_unit_and_auditor_are_refused(auditor: Any, as_user: Any) -> None:
    assert as_user(auditor).get(reverse("reports:list")).status_code == 403


def test_request_form_checks_month_and_scope(
    county_staff: Any, changsha_county: Any, yuelu: Any, as_user: Any
) -> None:
    client = as_user(county_staff)
    url = reverse("reports:list")
    future = (datetime.date.today() + datetime.timedelta(days=40)).strftime("%Y-%m")
    response = client.post(url, {"month": future, "region": yuelu.code})
    assert "不能为未来的月份生成报告" in response.content.decode()
    response = client.post(url, {"month": "2025-03", "region": changsha_county.code})
    assert response.status_code == 200
    assert not MonthlyReport.objects.exists()
    response = client.post(url, {"month": "2025-03", "region": yuelu.code})
    created = MonthlyReport.objects.get()
    assert response.status_code == 302
    assert created.status == ReportStatus.DONE


def test_a_failed_report_shows_its_message(yuelu: Any, county_staff: Any, as_user: Any) -> None:
    failed = MonthlyReport.objects.create(
        region=yuelu, month=MONTH, status=ReportStatus.FAILED, error="未找到中文字体，无法生成。"
    )
    page = as_user(county_staff).get(reverse("reports:detail", args=[failed.pk])).content.decode()
    assert "未找到中文字体" in page
    assert "下载 PDF" not in page
