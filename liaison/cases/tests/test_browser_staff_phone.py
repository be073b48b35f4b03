"""The workbench on a phone (issue 11): at 390×844 the menu no longer breaks one character per
line and no page scrolls sideways; the queue is a list of cards."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from liaison.cases.models import Status
from liaison.cases.tests.factories import CaseFactory, case_in
from liaison.common.tests.browser import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff_phone(browser: Any, live_server: Any, user: Any) -> Any:
    from conftest import login_client

    client = login_client(user)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def _no_sideways_scroll(page: Any, where: str) -> None:
    # Against the device width, not innerWidth: a mobile browser widens its layout viewport
    # (and innerWidth with it) to fit content that is too wide.
    overflow = (
        page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        - PHONE["width"]
    )
    assert overflow <= 0, f"{where}: the page scrolls sideways by {overflow}px"


def _menu_links_stay_on_one_line(page: Any, where: str) -> None:
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('.mainnav a')).map(a => {"
        " const s = getComputedStyle(a); return [a.getBoundingClientRect().height,"
        " parseFloat(s.lineHeight) + parseFloat(s.paddingTop) + parseFloat(s.paddingBottom)]; })"
    )
    assert heights, where
    for height, one_line in heights:
        assert height <= one_line + 1, f"{where}: a menu item wraps ({height} > {one_line})"


def test_home_queue_and_case_page_fit_a_phone(
    browser: Any, live_server: Any, station: Any, county_staff: Any
) -> None:
    case = case_in(
        Status.ASSIGNED,
        station=station,
        title="岳麓街道桃花岭社区三栋门口路灯坏了一个多月晚上出行很不方便请尽快修复",
        content="路灯坏了" * 200,
    )
    for n in range(3):
        CaseFactory(station=station, title=f"第 {n} 件：小区电梯长期故障，老人上下楼困难")
    page = _staff_phone(browser, live_server, county_staff)
    for path, name in (
        ("/staff/", "home"),
        ("/staff/cases/", "queue"),
        (f"/staff/cases/{case.pk}/", "case"),
    ):
        page.goto(live_server.url + path)
        _no_sideways_scroll(page, name)
        _menu_links_stay_on_one_line(page, name)
        screenshot(page, f"staff-phone-{name}")
    # The queue is one card per case under ~600px: rows are blocks with labelled cells.
    page.goto(f"{live_server.url}/staff/cases/?queue=all")
    row = page.locator("table.stack tbody tr").first
    assert row.evaluate("e => getComputedStyle(e).display") == "block"
    assert page.locator("table.stack thead").evaluate("e => e.getBoundingClientRect().height") <= 1
    cell = row.locator("td[data-label='状态']")
    assert "状态" in cell.evaluate("e => getComputedStyle(e, '::before').content")
    _no_sideways_scroll(page, "queue all")


def test_menu_is_a_strip_that_scrolls_by_itself(
    browser: Any, live_server: Any, county_staff: Any
) -> None:
    page = _staff_phone(browser, live_server, county_staff)
    page.goto(f"{live_server.url}/staff/")
    nav = page.locator(".mainnav")
    box = nav.bounding_box()
    assert box is not None
    assert box["width"] <= PHONE["width"]
    # Every entry can be reached: the strip scrolls (or everything already fits); a menu opens
    # inside the strip and its pages can be tapped.
    last = page.locator(".mainnav > a, .mainnav > details > summary").last
    last.scroll_into_view_if_needed()
    assert last.is_visible()
    _no_sideways_scroll(page, "home after scrolling the menu")
    group = page.locator(".mainnav details.navgroup", has_text="代表履职")
    group.locator("summary").click()
    grids = group.locator("a", has_text="网格岗位")
    grids.scroll_into_view_if_needed()
    assert grids.is_visible()
    _no_sideways_scroll(page, "home with a menu open")
    screenshot(page, "staff-phone-menu-open")
    grids.click()
    page.wait_for_url("**/staff/grids/")
