"""Staff set up a grid in a browser: a grid, a post, two deputies of different levels, and the
coverage page changes as they do."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.common.tests.browser import screenshot
from liaison.deputies.models import DeputyLevel
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.grids.models import PostAssignment
from liaison.regions.tests.factories import YUELU, region
from liaison.stations.tests.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any, user: Any) -> None:
    from conftest import login_client

    cookie = login_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def _deputy(name: str, level: str, congress: str) -> Any:
    deputy = DeputyFactory(name=name, home_region_id="430104002000")
    SeatFactory(deputy=deputy, level=level, congress_id=congress)
    return deputy


def test_staff_build_a_grid_and_watch_coverage(
    desktop: Any, phone: Any, live_server: Any, hunan: None
) -> None:
    staff = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="yuelu_staff")
    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    city = _deputy("周市代表", DeputyLevel.CITY, "430100000000")
    township = _deputy("吴街道代表", DeputyLevel.TOWNSHIP, "430104002000")
    StationDeputyFactory(station=station, deputy=township)
    base = live_server.url
    _login(desktop, live_server, staff)

    # Before: both deputies are without a post.
    desktop.goto(f"{base}/staff/grids/coverage/?show=deputies")
    table = desktop.locator("#coverage-deputies").inner_text()
    assert "周市代表" in table and "吴街道代表" in table

    # A grid of the station.
    desktop.goto(f"{base}/staff/grids/")
    desktop.click("text=新建网格")
    desktop.fill("input[name=name]", "桃花岭社区网格")
    desktop.select_option("select[name=region]", "430104002000")
    desktop.select_option("select[name=station]", str(station.pk))
    desktop.fill("textarea[name=description]", "桃花岭、牌楼坪两个社区")
    screenshot(desktop, "grids-form-desktop")
    desktop.click("main button[type=submit]:has-text('保存')")
    desktop.wait_for_url("**/staff/grids/*/")
    assert "已创建网格“桃花岭社区网格”" in desktop.locator("main").inner_text()

    # A post that needs two deputies.
    desktop.click("main a:has-text('新增岗位')")
    desktop.fill("input[name=name]", "安全巡查岗")
    desktop.select_option("select[name=duty_kind]", "patrol")
    desktop.fill("input[name=needed]", "2")
    desktop.click("main button[type=submit]:has-text('保存')")
    desktop.wait_for_url("**/staff/grids/posts/*/")
    assert "该岗位目前没有代表在岗" in desktop.locator("main").inner_text()

    desktop.goto(f"{base}/staff/grids/coverage/")
    assert "安全巡查岗" in desktop.locator("#coverage-posts").inner_text()
    assert "无代表" in desktop.locator("#coverage-posts").inner_text()
    screenshot(desktop, "grids-coverage-before-desktop")

    # Two deputies of different levels on the post.
    desktop.click("#coverage-posts a:has-text('安全巡查岗')")
    for name in ("周市代表", "吴街道代表"):
        desktop.click("main a:has-text('安排代表')")
        desktop.fill("input[name=q]", name[:2])
        desktop.press("input[name=q]", "Enter")
        desktop.wait_for_load_state()
        desktop.click(f"button[aria-label='安排 {name} 上岗']")
        desktop.wait_for_url("**/staff/grids/posts/*/")
        assert f"已安排“{name}”到岗位“安全巡查岗”" in desktop.locator("main").inner_text()
    main = desktop.locator("main").inner_text()
    assert "市人大代表" in main and "乡镇人大代表" in main
    assert "满员" in main
    screenshot(desktop, "grids-post-desktop")
    desktop.click(".crumbs a:has-text('桃花岭社区网格')")
    desktop.wait_for_url("**/staff/grids/*/")
    assert "满员" in desktop.locator("main").inner_text()
    screenshot(desktop, "grids-detail-desktop")
    assert {a.deputy for a in PostAssignment.objects.all()} == {city, township}

    # After: the post is covered and neither deputy is without a post.
    desktop.goto(f"{base}/staff/grids/coverage/")
    assert "所有岗位的在岗代表都已达到所需人数" in desktop.locator("main").inner_text()
    desktop.click(".coverage-tabs a:has-text('未上岗的代表')")
    desktop.wait_for_load_state()
    main = desktop.locator("main").inner_text()
    assert "周市代表" not in main and "吴街道代表" not in main
    screenshot(desktop, "grids-coverage-desktop")

    # The same pages fit a phone.
    _login(phone, live_server, staff)
    post_url = desktop.url.split("/staff/")[0]  # the base, whatever the last page was
    phone.goto(f"{post_url}/staff/grids/")
    assert "桃花岭社区网格" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "grids-list-phone")
    phone.click("main a:has-text('桃花岭社区网格')")
    phone.click("main a:has-text('安全巡查岗')")
    phone.wait_for_url("**/staff/grids/posts/*/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "grids-post-phone")
    phone.click("main a:has-text('安排代表')")
    phone.fill("input[name=q]", "代表")
    phone.press("input[name=q]", "Enter")
    phone.wait_for_load_state()
    assert phone.locator("text=已在该岗位").count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "grids-assign-phone")
    phone.goto(f"{post_url}/staff/grids/coverage/?show=grids")
    assert "每个网格都有代表在岗" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "grids-coverage-phone")
