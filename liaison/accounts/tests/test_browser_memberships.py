"""Revoking a role asks for confirmation first, without script (CSP)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from liaison.accounts.models import Membership, Role
from liaison.accounts.tests.factories import make_member
from liaison.regions.tests.factories import YUELU, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_revoke_after_confirming(desktop: Any, live_server: Any, hunan: None) -> None:
    from conftest import login_client

    staff = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="yuelu_staff")
    deputy = make_member(Role.DEPUTY, region=region(YUELU), display_name="岳麓的代表")
    cookie = login_client(staff).cookies[settings.SESSION_COOKIE_NAME].value
    desktop.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    desktop.goto(f"{live_server.url}/staff/memberships/")
    row = desktop.locator("tr", has_text="岳麓的代表")
    confirm = row.locator("button:has-text('确认撤销')")
    assert not confirm.is_visible()
    row.locator("summary:has-text('撤销')").click()
    assert "确认撤销 岳麓的代表" in row.inner_text()
    confirm.click()
    desktop.wait_for_url("**/staff/memberships/")
    assert "已撤销授权" in desktop.locator("main").inner_text()
    assert not Membership.objects.filter(user=deputy).exists()
    # The own row offers nothing to revoke.
    own = desktop.locator("tr", has_text="yuelu_staff")
    assert own.locator("summary").count() == 0
