"""The 七有 checklist is edited as a table in a browser (no JSON, no CSP violation)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.regions.tests.factories import YUELU, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any, user: Any) -> None:
    from conftest import login_client

    cookie = login_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_checklist_row_added_in_the_table(desktop: Any, live_server: Any, hunan: None) -> None:
    staff = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="yuelu_staff")
    _login(desktop, live_server, staff)
    desktop.goto(f"{live_server.url}/staff/settings/{YUELU}/station_standard_items/")
    desktop.fill("input[name=name_7]", "网格")
    desktop.fill("input[name=score_7]", "5")
    desktop.check("input[name=delete_1]")
    desktop.click("main button[type=submit]:has-text('保存')")
    desktop.wait_for_url(f"**/staff/settings/?region={YUELU}")
    body = desktop.locator("main").inner_text()
    assert "已保存" in body
    assert "网格 5" in body
    assert "牌子" not in body
    assert "max_score" not in body
    assert "station_standard_items" not in body
    saved = JurisdictionSetting.objects.get(key="station_standard_items").value
    assert [i["name"] for i in saved][-1] == "网格"
    assert len(saved) == 7
