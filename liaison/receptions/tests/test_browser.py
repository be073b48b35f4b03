"""In a browser: a constituent finds the next reception day on a phone, a deputy confirms
attendance on a phone, staff record a reception with two items that become two cases."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from liaison.cases.models import Case, Channel
from liaison.common.tests.browser import DESKTOP, PHONE, screenshot
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.receptions.models import ReceptionDuty
from liaison.receptions.tests.factories import ReceptionDayFactory, ReceptionDutyFactory
from liaison.receptions.tests.fixtures import earlier_today
from liaison.stations.tests.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logged_in(browser: Any, live_server: Any, user: Any, viewport: dict[str, int]) -> Any:
    from conftest import login_client

    client = login_client(user)
    phone = viewport == PHONE
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone
    )
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


def test_constituent_finds_the_next_reception_day(
    phone: Any, live_server: Any, hunan: None
) -> None:
    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    deputy = DeputyFactory(name="谭志刚", mobile="13912345678")
    SeatFactory(deputy=deputy)
    StationDeputyFactory(station=station, deputy=deputy)
    day = ReceptionDayFactory(
        station=station, date=timezone.localdate() + datetime.timedelta(days=2), place="一楼接待室"
    )
    ReceptionDutyFactory(day=day, deputy=deputy)

    phone.goto(f"{live_server.url}/q/{station.code}")
    section = phone.locator("#receptions")
    section.scroll_into_view_if_needed()
    text = section.inner_text()
    assert "代表接待日" in text and "一楼接待室" in text and "谭志刚" in text
    local = timezone.localtime(day.starts_at)
    assert f"{local.month}月{local.day}日" in text
    assert "13912345678" not in phone.locator("body").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "reception-station-page-phone")


def test_deputy_confirms_attendance_on_a_phone(
    browser: Any, live_server: Any, deputy_user: Any, station: Any
) -> None:
    deputy = deputy_user.deputy
    start = timezone.localtime() - datetime.timedelta(hours=1)
    held = ReceptionDayFactory(
        station=station,
        date=start.date(),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="社区活动室",
    )
    ReceptionDutyFactory(day=held, deputy=deputy)
    upcoming = ReceptionDayFactory(station=station, place="一楼接待室")
    ReceptionDutyFactory(day=upcoming, deputy=deputy)
    page = _logged_in(browser, live_server, deputy_user, PHONE)
    page.goto(f"{live_server.url}/staff/duties/")
    body = page.locator("body").inner_text()
    assert "我的值班" in body and "一楼接待室" in body and "待确认到场" in body
    screenshot(page, "reception-my-duties-phone")
    page.get_by_role("button", name="确认到场").click()
    page.wait_for_load_state()
    assert "已确认到场" in page.locator("body").inner_text()
    assert ReceptionDuty.objects.get(day=held).present is True
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(page, "reception-my-duties-confirmed-phone")
    page.context.close()


def test_staff_record_a_reception_with_two_items(
    browser: Any, live_server: Any, station_officer: Any, deputy_user: Any, station: Any
) -> None:
    deputy = deputy_user.deputy
    # Today's: the calendar below shows this month, and 3 hours ago can be last month's.
    start, end = earlier_today(hours_ago=3, hours=2)
    held = ReceptionDayFactory(station=station, date=start.date(), starts_at=start, ends_at=end)
    ReceptionDutyFactory(day=held, deputy=deputy)
    page = _logged_in(browser, live_server, station_officer, DESKTOP)
    page.goto(f"{live_server.url}/staff/receptions/days/{held.pk}/record/")
    page.get_by_role("checkbox", name="张代表").check()
    page.locator("#id_visitor_count").fill("11")
    page.locator("#id_minutes").fill("群众反映交通和市场秩序问题。")
    first = page.locator("fieldset.item-row").nth(0)
    first.locator("input[name$=-title]").fill("桃花岭路口缺少人行横道")
    first.locator("textarea").fill("学生过马路不安全，建议施划人行横道。")
    first.locator("select[name$=-deputy]").select_option(label="张代表")
    second = page.locator("fieldset.item-row").nth(1)
    second.locator("input[name$=-title]").fill("菜市场周边占道经营")
    second.locator("textarea").fill("早晚占道经营严重，影响通行。")
    second.locator("select[name$=-kind]").select_option(value="complaint")
    screenshot(page, "reception-record-form-desktop")
    page.get_by_role("button", name="保存接待记录").click()
    page.wait_for_url(f"**/staff/receptions/days/{held.pk}/")
    body = page.locator("body").inner_text()
    assert "接待记录已保存" in body
    assert "桃花岭路口缺少人行横道" in body and "菜市场周边占道经营" in body
    cases = Case.objects.filter(channel=Channel.RECEPTION, station=station)
    assert cases.count() == 2
    assert cases.filter(deputy=deputy).count() == 1
    screenshot(page, "reception-record-saved-desktop")
    page.goto(f"{live_server.url}/staff/calendar/")
    calendar = page.locator("table.month-grid").inner_text()
    assert "接待日" in calendar and "张代表" in calendar
    screenshot(page, "reception-calendar-desktop")
    page.context.close()
