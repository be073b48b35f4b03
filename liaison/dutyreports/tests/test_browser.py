"""In a browser, on a phone: a voter scans the report's QR code, enters the code from the sign-in
sheet, rates and is thanked; the same code a second time is refused with a clear message. Then
the published report on the deputy's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.common.tests.browser import ARTIFACTS, PHONE, screenshot
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.dutyreports.codes import code_display
from liaison.dutyreports.models import Rating, Status
from liaison.dutyreports.tests.factories import codes_of, report_in
from liaison.stations.tests.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _report(status: str) -> Any:
    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    deputy = DeputyFactory(name="谭志刚")
    SeatFactory(deputy=deputy)
    StationDeputyFactory(station=station, deputy=deputy)
    officer = make_member(Role.LIAISON_OFFICER, station=station, username="officer_b")
    return report_in(status, actor=officer, deputy=deputy, station=station)


def test_a_voter_rates_a_duty_report_on_a_phone(phone: Any, live_server: Any, hunan: None) -> None:
    report = _report(Status.SCHEDULED)
    code = codes_of(report, 1)[0]
    url = live_server.url + reverse("dutyreports_h5:rate", args=[report.token])

    phone.goto(url)  # what the QR code on the sign-in sheet opens
    assert "谭志刚" in phone.locator("body").inner_text()
    phone.fill("#id_code", code_display(code))
    phone.get_by_label("满意", exact=True).check()
    phone.fill("#id_comment", "希望继续关注老旧小区改造")
    screenshot(phone, "dutyreport-rate-phone-form")
    phone.get_by_role("button", name="提交测评").click()
    thanks = phone.get_by_role("status")
    assert "感谢您的参与" in thanks.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "dutyreport-rate-phone-thanks")

    phone.goto(url)  # the same person, or someone with the same sheet line, tries again
    phone.fill("#id_code", code)
    phone.get_by_label("不满意", exact=True).check()
    phone.get_by_role("button", name="提交测评").click()
    refused = phone.get_by_role("alert").first.inner_text()
    assert "该测评码已使用" in refused and "每人只能测评一次" in refused
    screenshot(phone, "dutyreport-rate-phone-second-refused")
    assert list(Rating.objects.values_list("verdict", flat=True)) == ["satisfied"]


def test_the_published_report_on_the_deputy_page(phone: Any, live_server: Any, hunan: None) -> None:
    report = _report(Status.PUBLISHED)
    phone.goto(live_server.url + reverse("deputies_h5:detail", args=[report.deputy.code]))
    phone.get_by_role("link", name=report.title).click()
    body = phone.locator("body").inner_text()
    assert "述职报告" in body and "老旧" not in body and "一年来" in body
    assert "测评进行中" in body
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "dutyreport-public-phone")


def test_staff_record_and_publish_a_report_on_the_desktop(
    browser: Any, live_server: Any, hunan: None
) -> None:
    from liaison.common.tests.browser import DESKTOP
    from liaison.receptions.tests.test_browser import _logged_in

    report = _report(Status.SCHEDULED)
    officer = report.created_by
    page = _logged_in(browser, live_server, officer, DESKTOP)
    page.goto(live_server.url + reverse("dutyreports:detail", args=[report.pk]))
    assert page.locator("#rating svg").count() == 1  # the QR code of the rating page
    page.fill("#id_text", "一年来，我走访选民六十余户。")
    page.fill("#id_attendance", "28")
    page.get_by_role("button", name="登记", exact=True).click()
    page.get_by_role("button", name="在代表公开页面公开").click()
    assert page.locator("#status").inner_text() == "已公开"
    screenshot(page, "dutyreport-staff-detail-desktop")
    sheet = page.request.get(live_server.url + reverse("dutyreports:sheet", args=[report.pk]))
    assert sheet.headers["content-type"] == "application/pdf"
    (ARTIFACTS / "dutyreport-sheet.pdf").write_bytes(sheet.body())
