"""In a real browser: staff open a deputy's file, switch the year, download the PDF; then ask for
a station's year of registers and watch the page go from the queue to the download link.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import zipfile
from typing import Any

import pytest
from django.conf import settings

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.archives.tests.conftest import YEAR
from liaison.common.tests.browser import DESKTOP, screenshot
from liaison.jobs.tests.browser import job_file_downloaded, job_page_waits, worker_held
from liaison.regions.tests.factories import YUELU, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(browser: Any, live_server: Any, user: Any) -> Any:
    from conftest import login_client

    client = login_client(user)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
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


def test_staff_read_a_file_and_fetch_a_station_year(
    browser: Any, live_server: Any, filed: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    staff = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="b_archives")
    page = logged_in(browser, live_server, staff)

    # 1. From the list of files to 张代表's, this year first, then last year.
    page.goto(f"{live_server.url}/staff/archives/deputies/?name=张代表")
    page.get_by_role("link", name="查看档案").click()
    page.wait_for_load_state()
    assert "张代表代表履职档案" in page.locator("h1").inner_text()
    page.get_by_role("link", name=f"{YEAR} 年").click()
    page.wait_for_load_state()
    activities = page.locator("#section-activities").inner_text()
    assert "老旧小区加装电梯调研" in activities
    assert "暂无" in page.locator("#section-points").inner_text()
    screenshot(page, "archives_deputy_file")

    # 2. The PDF of that year.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"张代表代表履职档案_{YEAR}年.pdf"
    saved = tmp_path / "file.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    # 3. The station's year: the worker has not run yet, the job's page waits and reloads itself.
    worker_held(monkeypatch)
    page.goto(f"{live_server.url}/staff/archives/registers/")
    page.select_option("select[name=station]", label=filed.station.name)
    page.select_option("select[name=year]", str(YEAR))
    page.get_by_role("button", name="生成年度台账").click()
    title = f"{filed.station.name} {YEAR} 年度台账"
    job_page_waits(page, title=title, shot="archives_station_year_waiting")

    # 4. The worker runs it; the page refreshes itself and offers the zip.
    archive_path = tmp_path / "registers.zip"
    download = job_file_downloaded(
        page,
        link=f"下载 {filed.station.name}_{YEAR}年度台账.zip",
        shot="archives_station_year_ready",
        saved=archive_path,
    )
    assert download.suggested_filename.endswith("年度台账.zip")
    with zipfile.ZipFile(archive_path) as archive:
        assert "01_代表花名册.xlsx" in archive.namelist()
