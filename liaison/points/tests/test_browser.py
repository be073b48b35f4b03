"""In a real browser, on a phone: a deputy reads 我的积分 after congress staff verified an
activity they attended and corrected a point with a reason. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.activities.models import Status
from liaison.activities.services import activity_verify
from liaison.activities.tests.factories import activity_in, days_ago_this_year
from liaison.activities.tests.test_browser import logged_in
from liaison.common.tests.browser import PHONE, screenshot
from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory
from liaison.jobs.tests.browser import job_file_downloaded, job_page_waits, worker_held
from liaison.points.services import points_correct
from liaison.regions.tests.factories import YUELU, region
from liaison.stations.tests.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deputy_reads_their_points_and_how_each_arose(
    browser: Any, live_server: Any, hunan: None
) -> None:
    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    verifier = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="p_verifier")
    deputy_user = make_member(Role.DEPUTY, station=station, username="p_deputy")
    deputy = DeputyFactory(user=deputy_user, name="张代表", home_region_id="430104002000")
    StationDeputyFactory(station=station, deputy=deputy)
    start = days_ago_this_year(1)  # this year's points, on 1 January too
    activity = activity_in(
        Status.SUBMITTED, station=station, invited=[deputy], attended=[deputy],
        title="社区养老服务调研", starts_at=start, ends_at=start + datetime.timedelta(hours=2),
    )  # fmt: skip
    activity_verify(activity=activity, actor=verifier)  # its commit syncs the points
    today = timezone.localdate()
    points_correct(
        deputy=deputy, actor=verifier, points="1.5", reason="补记走访选民一次",
        year=today.year, quarter=(today.month - 1) // 3 + 1,
    )  # fmt: skip

    phone = logged_in(browser, live_server, deputy_user, PHONE)
    phone.goto(f"{live_server.url}/staff/")
    phone.get_by_role("link", name="我的积分").first.click()
    phone.wait_for_url("**/staff/points/mine/")
    assert phone.locator("h1").inner_text() == "我的积分"
    assert phone.locator(".points-total").inner_text().strip() == "5.5"
    assert phone.locator(".band").inner_text().strip() == "一般"
    entries = phone.locator(".points-entries").inner_text()
    assert "学习培训" not in entries
    assert "调研：社区养老服务调研" in entries and "参加履职活动" in entries
    assert "补记走访选民一次" in entries and "人工更正" in entries
    screenshot(phone, "points_phone_my_points")


def test_staff_export_the_bulletin_and_fetch_it_when_the_worker_has_built_it(
    browser: Any, live_server: Any, hunan: None, hand: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    import io

    from openpyxl import load_workbook

    from liaison.common.tests.browser import DESKTOP
    from liaison.points.rules import RuleKey
    from liaison.points.services import points_sync
    from liaison.points.sources import Fact

    today = timezone.localdate()
    deputy = DeputyFactory(name="李代表", home_region_id="430104002000")
    hand.put(Fact(deputy.pk, RuleKey.DUTY_REPORT, "hand", deputy.pk, today, label="向选民述职"))
    points_sync(deputy_ids=[deputy.pk], year=today.year)
    staff = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="p_bulletin")
    page = logged_in(browser, live_server, staff, DESKTOP)

    # The worker has not run yet: the job's page waits and reloads itself (no script).
    worker_held(monkeypatch)
    page.goto(f"{live_server.url}/staff/points/bulletin/?scope=r:{YUELU}")
    title = page.locator("h2").inner_text()
    assert title.startswith("岳麓区") and "李代表" in page.locator("table.grid").inner_text()
    page.get_by_role("button", name="导出 Excel").click()
    job_page_waits(page, title=title, shot="points_bulletin_job_waiting")

    # The worker builds it; the page refreshes and offers the file.
    saved = tmp_path / "bulletin.xlsx"
    download = job_file_downloaded(
        page, link=f"下载 {title}", shot="points_bulletin_job_ready", saved=saved
    )
    assert download.suggested_filename.startswith(title)
    sheet = load_workbook(io.BytesIO(saved.read_bytes())).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert cells[0] == title and "李代表" in cells
