"""A person scans a station's QR code on a phone and sees the station and its deputies."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.common.tests.browser import screenshot
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.stations.models import ScanCount
from liaison.stations.tests.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_opens_station_page_from_qr_url(phone: Any, live_server: Any, hunan: None) -> None:
    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    deputy = DeputyFactory(name="谭志刚", mobile="13912345678")
    SeatFactory(deputy=deputy)
    StationDeputyFactory(station=station, deputy=deputy)

    phone.goto(f"{live_server.url}/q/{station.code}")

    assert phone.url.endswith(f"/s/{station.code}/?via=qr")  # an opinion from here is 扫码
    assert phone.locator("h1").first.inner_text() == "岳麓街道人大代表联络站"
    body = phone.locator("body").inner_text()
    assert "谭志刚" in body
    assert "13912345678" not in body
    # The page fits a phone: nothing wider than the viewport.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert ScanCount.objects.get(code=station.code).count == 1
    screenshot(phone, "station-page-phone")

    phone.get_by_text("谭志刚").first.click()
    phone.wait_for_url(f"**/d/{deputy.code}/")
    assert "谭志刚" in phone.locator("h1").first.inner_text()
    screenshot(phone, "deputy-page-phone")


def test_phone_sees_friendly_message_for_unknown_qr(
    phone: Any, live_server: Any, hunan: None
) -> None:
    response = phone.goto(f"{live_server.url}/q/SXXXXXXX")
    assert response is not None
    assert response.status == 404
    assert "二维码无效" in phone.locator("body").inner_text()


def test_phone_directory_search(phone: Any, live_server: Any, hunan: None) -> None:
    StationFactory(name="梅溪湖街道人大代表联络站", region_id="430104010000")
    StationFactory(name="星沙街道人大代表联络站", region_id="430121001000")
    phone.goto(f"{live_server.url}/stations/")
    phone.locator("input[name=q]").fill("梅溪湖")
    phone.locator("input[name=q]").press("Enter")
    phone.wait_for_load_state()
    body = phone.locator("body").inner_text()
    assert "梅溪湖街道人大代表联络站" in body
    assert "星沙街道" not in body
    screenshot(phone, "directory-phone")


def test_phone_scanning_a_paused_station_sees_why_and_where_to_go(
    phone: Any, live_server: Any, hunan: None
) -> None:
    from liaison.stations.models import StationStatus

    paused = StationFactory(
        name="岳麓街道人大代表联络站",
        region_id="430104002000",
        status=StationStatus.SUSPENDED,
        status_reason="场地装修，预计下月恢复",
    )
    nearby = StationFactory(name="桔子洲街道人大代表联络站", region_id="430104003000")
    phone.goto(f"{live_server.url}/q/{paused.code}")
    body = phone.locator("body").inner_text()
    assert "本站暂停服务" in body
    assert "场地装修，预计下月恢复" in body
    assert "二维码无效" not in body
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "station-paused-phone")
    phone.get_by_text("桔子洲街道人大代表联络站").click()
    phone.wait_for_url(f"**/s/{nearby.code}/")
    assert phone.locator("h1").first.inner_text() == "桔子洲街道人大代表联络站"
