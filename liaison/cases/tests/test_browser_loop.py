"""The whole loop in a real browser, as its people use it.

A phone scans a station's QR URL and submits; the liaison officer accepts and assigns; the
unit replies; the person reads the reply and rates 不满意, which reopens the case; the unit
replies again; the person rates 满意; the answer appears on the echo wall with the phone number
masked.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.cases.models import Case, Status
from liaison.cases.tests.factories import HandlingUnitFactory, make_unit_staff
from liaison.common.tests.browser import PHONE, screenshot
from liaison.stations.tests.factories import StationFactory
from liaison.units.models import RoutingRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_NUMBER = "13800138000"


def staff_page(browser: Any, live_server: Any, user: Any) -> Any:
    """A desktop page already logged in (password and second factor) as `user`."""
    from conftest import login_client

    client = login_client(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
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


def act(page: Any, case: Case, action: str, fill: dict[str, str] | None = None) -> str:
    """Open an action on the case page, fill it, submit it, and return the flash message."""
    page.locator(f"form[action$='/{case.pk}/act/{action}/']").locator("xpath=..").locator(
        "summary"
    ).click()
    form = page.locator(f"form[action$='/{case.pk}/act/{action}/']")
    for selector, value in (fill or {}).items():
        form.locator(selector).fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    return str(page.locator(".messages").inner_text())


def rate(phone: Any, label: str) -> None:
    phone.locator("form.rating label.choice", has_text=label).first.locator("input").check()
    phone.locator("form.rating button[type=submit]").click()
    phone.wait_for_load_state()


def test_the_whole_loop(browser: Any, live_server: Any, hunan: None) -> None:
    from liaison.regions.tests.factories import YUELU, region

    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    officer = make_member(Role.LIAISON_OFFICER, station=station, username="loop_officer")
    unit = HandlingUnitFactory(name="岳麓区住房和城乡建设局")
    RoutingRule.objects.create(region=region(YUELU), category=None, unit=unit)
    clerk = make_unit_staff(unit, username="loop_clerk")

    # 1. The phone scans the station's QR code and submits an opinion.
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/q/{station.code}")
    phone.get_by_text("我要反映意见建议").click()
    phone.wait_for_url("**/cases/new/**")
    phone.get_by_label("求助").check()
    phone.get_by_label("标题").fill("小区门口路灯不亮")
    phone.get_by_label("具体内容").fill(
        f"桃花岭社区 3 栋门口路灯坏了一个多月，晚上出行不便。联系电话 {PHONE_NUMBER}。"
    )
    phone.get_by_label("手机号").fill(PHONE_NUMBER)
    phone.locator("#id_consent").check()
    phone.locator("input[name=allow_publish]").check()
    phone.get_by_text("提交", exact=True).click()
    phone.wait_for_url("**/cases/new/done/")
    code = phone.locator("#tracking-code").inner_text().strip()
    screenshot(phone, "loop-1-submitted")
    case = Case.objects.get(tracking_code=code)
    assert case.status == Status.SUBMITTED
    assert case.station == station
    assert case.channel == "qr"  # the visit began with a scan

    # 2. The liaison officer accepts and assigns (the routing rule suggests the unit).
    desk = staff_page(browser, live_server, officer)
    desk.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    assert "138****8000" in desk.locator("body").inner_text()
    assert PHONE_NUMBER not in desk.locator("body").inner_text()
    assert "已受理" in act(desk, case, "accept")
    assert "已交办" in act(desk, case, "assign")
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.unit == unit
    assert case.reply_due

    # 3. The unit replies.
    unit_page = staff_page(browser, live_server, clerk)
    unit_page.goto(f"{live_server.url}/staff/cases/")
    unit_page.get_by_role("link", name="小区门口路灯不亮").click()
    act(unit_page, case, "reply", {"textarea[name=reply]": "已联系物业，三日内更换灯具。"})
    case.refresh_from_db()
    assert case.status == Status.REPLIED

    # 4. The person reads the reply and is not satisfied: the case reopens.
    phone.goto(f"{live_server.url}/cases/track/{code}/")
    assert "已联系物业，三日内更换灯具。" in phone.locator("body").inner_text()
    rate(phone, "不满意")
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.reopen_count == 1
    screenshot(phone, "loop-2-reopened")

    # 5. The unit replies a second time.
    unit_page.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    act(unit_page, case, "reply", {"textarea[name=reply]": "灯具已于今日更换，夜间照明恢复正常。"})

    # 6. Satisfied this time.
    phone.goto(f"{live_server.url}/cases/track/{code}/")
    assert "灯具已于今日更换" in phone.locator("body").inner_text()
    rate(phone, "满意")
    case.refresh_from_db()
    assert case.status == Status.EVALUATED
    assert case.rating == "satisfied"

    # 7. The echo wall shows the answer, with the phone number masked.
    phone.goto(f"{live_server.url}/cases/echo/")
    wall = phone.locator("body").inner_text()
    assert "小区门口路灯不亮" in wall
    assert "灯具已于今日更换" in wall
    assert PHONE_NUMBER not in wall
    assert "138****8000" in wall
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "loop-3-echo-wall")
    context.close()
