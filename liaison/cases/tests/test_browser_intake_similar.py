"""The intake form in a browser: typing a matter already open shows it in the similar panel."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.cases.similar import clear_cache
from liaison.cases.tests.factories import CaseFactory
from liaison.cases.tests.test_browser_loop import staff_page
from liaison.common.tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_a_duplicate_shows_the_open_case(
    browser: Any, live_server: Any, county_staff: Any, station: Any
) -> None:
    clear_cache()
    twin = CaseFactory(
        title="A3区枫林小区夜间施工噪音扰民",
        content="枫林小区旁工地每天夜里施工到凌晨，噪音严重扰民，居民无法休息，请求查处。",
        station=station,
    )
    page = staff_page(browser, live_server, county_staff)
    page.goto(f"{live_server.url}/staff/cases/new/")
    panel = page.locator("#intake-similar")
    assert "选择联络站" in panel.inner_text() or "填写标题" in panel.inner_text()
    page.select_option("#id_station", str(station.pk))
    page.fill("#id_title", "枫林小区夜间施工噪音扰民")
    page.fill("#id_content", "枫林小区旁边工地每天夜里施工到凌晨，噪音扰民，居民无法休息。")
    link = panel.locator(f"a[href$='/staff/cases/{twin.pk}/']")
    link.wait_for(timeout=5000)
    assert twin.tracking_code in panel.inner_text()
    screenshot(page, "intake-similar")
