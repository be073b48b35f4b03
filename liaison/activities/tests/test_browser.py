"""In a real browser: on a phone a deputy confirms attendance; on a desktop a liaison officer
records the activity and congress staff verify it, then queue the activity register and download
it. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.activities.models import Participation, Status
from liaison.activities.tests.factories import activity_in
from liaison.common.tests.browser import DESKTOP, PHONE, screenshot
from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory
from liaison.jobs.tests.browser import job_file_downloaded, job_page_waits, worker_held
from liaison.stations.tests.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(browser: Any, live_server: Any, user: Any, viewport: dict[str, int]) -> Any:
    """A page already past the password and the second factor as `user`."""
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


def test_deputy_confirms_staff_record_and_congress_staff_verify(
    browser: Any, live_server: Any, hunan: None
) -> None:
    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    officer = make_member(Role.LIAISON_OFFICER, station=station, username="b_officer")
    from liaison.regions.tests.factories import YUELU, region

    verifier = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="b_verifier")
    deputy_user = make_member(Role.DEPUTY, station=station, username="b_deputy")
    deputy = DeputyFactory(user=deputy_user, name="张代表")
    StationDeputyFactory(station=station, deputy=deputy)
    colleague = DeputyFactory(name="李代表")
    StationDeputyFactory(station=station, deputy=colleague)
    start = timezone.now() - datetime.timedelta(hours=3)
    activity = activity_in(
        Status.PLANNED, station=station, invited=[deputy, colleague], title="社区养老服务调研",
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), created_by=officer,
    )  # fmt: skip

    # 1. On the phone, the deputy opens 我的活动 and confirms.
    phone = logged_in(browser, live_server, deputy_user, PHONE)
    phone.goto(f"{live_server.url}/staff/activities/mine/")
    card = phone.locator(f"li.activity[data-activity='{activity.pk}']")
    assert "社区养老服务调研" in card.inner_text()
    screenshot(phone, "activities_phone_before_confirm")
    card.get_by_role("button", name="确认我已出席").click()
    phone.wait_for_load_state()
    assert "已确认出席" in phone.locator(".messages").inner_text()
    assert "已确认出席" in phone.locator(f"li.activity[data-activity='{activity.pk}']").inner_text()
    screenshot(phone, "activities_phone_confirmed")
    mine = Participation.objects.get(activity=activity, deputy=deputy)
    assert mine.attended and mine.confirmed_via == "self"

    # 2. On the desktop, the officer records who came and the outcome, then submits.
    desk = logged_in(browser, live_server, officer, DESKTOP)
    desk.goto(f"{live_server.url}/staff/activities/{activity.pk}/")
    desk.get_by_role("link", name="登记活动情况").click()
    desk.wait_for_url("**/record/")
    desk.select_option("select[name=attended]", [str(deputy.pk), str(colleague.pk)])
    desk.fill("textarea[name=findings]", "走访 3 个小区，召开座谈会 1 次，收集意见 12 条。")
    desk.fill("textarea[name=suggestions]", "建议增设社区助餐点。")
    screenshot(desk, "activities_desktop_record_form")
    desk.get_by_role("button", name="保存登记").click()
    desk.wait_for_url(f"**/staff/activities/{activity.pk}/")
    desk.get_by_role("button", name="提交核实").click()
    desk.wait_for_load_state()
    assert "待核实" in desk.locator("#status").inner_text()
    screenshot(desk, "activities_desktop_submitted")

    # 3. Congress staff find it in the queue and verify it.
    staff = logged_in(browser, live_server, verifier, DESKTOP)
    staff.goto(f"{live_server.url}/staff/activities/queue/")
    staff.get_by_role("link", name="社区养老服务调研").click()
    staff.get_by_role("button", name="核实通过").click()
    staff.wait_for_load_state()
    assert "已核实" in staff.locator("#status").inner_text()
    text = staff.locator("main").inner_text()
    assert "本人确认" in text and "工作人员确认" in text
    screenshot(staff, "activities_desktop_verified")
    activity.refresh_from_db()
    assert activity.status == Status.VERIFIED and activity.verified_by == verifier


def test_congress_staff_queue_the_activity_register_and_download_it(
    browser: Any, live_server: Any, hunan: None, monkeypatch: Any, tmp_path: Any
) -> None:
    from liaison.regions.tests.factories import YUELU, region

    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    staff = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="b_register")
    activity = activity_in(Status.VERIFIED, station=station, title="老旧小区加装电梯调研")
    year = timezone.localtime(activity.starts_at).year

    # 1. The worker has not run yet: the job's page waits and reloads itself.
    worker_held(monkeypatch)
    page = logged_in(browser, live_server, staff, DESKTOP)
    page.goto(f"{live_server.url}/staff/activities/registers/")
    page.select_option("select[name=register]", label="活动台账")
    page.select_option("select[name=year]", str(year))
    page.select_option("select[name=station]", label=station.name)
    page.get_by_role("button", name="生成台账").click()
    title = f"活动台账（{station.name}，{year} 年）"
    job_page_waits(page, title=title, shot="activities_register_waiting")

    # 2. The worker runs it; the page refreshes itself and offers the file.
    saved = tmp_path / "register.xlsx"
    job_file_downloaded(
        page, link=f"下载 活动台账_{year}.xlsx", shot="activities_register_ready", saved=saved
    )
    sheet = load_workbook(saved).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert title in cells and "老旧小区加装电梯调研" in cells and station.name in cells

    # 3. Back on the registers page, the job is listed with a link to its page.
    page.get_by_role("link", name="返回").click()
    page.wait_for_url("**/staff/activities/registers/")
    assert page.get_by_role("link", name=title).count() == 1
