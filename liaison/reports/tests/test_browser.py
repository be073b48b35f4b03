"""The report page in a real browser: the charts are drawn, Chinese text is on the screen."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.cases.tests.test_browser_loop import staff_page
from liaison.common.tests.browser import screenshot
from liaison.regions.tests.factories import YUELU, region
from liaison.reports import services
from liaison.reports.tests.conftest import MONTH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_page_shows_charts_and_tables(
    browser: Any, live_server: Any, seeded_month: dict[str, Any], county_staff: Any,
    settings: Any, tmp_path: Any,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    report = services.report_request(actor=county_staff, month=MONTH, region=region(YUELU))
    page = staff_page(browser, live_server, county_staff)
    page.goto(f"{live_server.url}/staff/reports/{report.pk}/")
    assert "岳麓区2025年3月社情民意月度研判报告" in page.locator("h1").inner_text()
    assert page.locator("figure.chart img").count() == 3
    first = page.locator("figure.chart img").first
    assert first.evaluate("img => img.complete && img.naturalWidth > 0")
    box = first.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert "城乡建设" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="下载 PDF").is_visible()
    screenshot(page, "reports_detail")
