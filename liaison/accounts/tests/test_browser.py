"""Staff log in with a password and a TOTP code, and see only their jurisdiction."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest
from django_otp.oath import totp

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import PASSWORD, add_totp, make_member
from liaison.common.tests.browser import screenshot
from liaison.regions.tests.factories import YUELU, region
from liaison.stations.tests.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_login_with_second_factor_and_scoped_list(
    desktop: Any, live_server: Any, hunan: None
) -> None:
    user = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="yuelu_staff")
    device = add_totp(user)
    StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    StationFactory(name="星沙街道人大代表联络站", region_id="430121001000")

    desktop.goto(f"{live_server.url}/staff/")
    desktop.wait_for_url("**/staff/login/**")
    desktop.fill("#id_username", "yuelu_staff")
    desktop.fill("#id_password", PASSWORD)
    desktop.click("main button[type=submit]")
    desktop.wait_for_url("**/staff/login/otp/")
    assert "动态验证码" in desktop.locator("body").inner_text()

    desktop.fill("#id_token", "000000")
    desktop.click("main button[type=submit]")
    assert "动态验证码错误" in desktop.locator("body").inner_text()

    # django-otp throttles a device for a second after a wrong code.
    time.sleep(1.5)
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"
    desktop.fill("#id_token", token)
    desktop.click("main button[type=submit]")
    desktop.wait_for_url(f"{live_server.url}/staff/")

    desktop.goto(f"{live_server.url}/staff/stations/")
    body = desktop.locator("body").inner_text()
    assert "岳麓街道人大代表联络站" in body
    assert "星沙街道人大代表联络站" not in body
    screenshot(desktop, "staff-station-list")


def test_pause_message_after_five_failures(desktop: Any, live_server: Any, hunan: None) -> None:
    make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="forgetful")
    for _ in range(4):
        desktop.goto(f"{live_server.url}/staff/login/")
        desktop.fill("#id_username", "forgetful")
        desktop.fill("#id_password", "wrong-password")
        desktop.click("main button[type=submit]")
        assert "用户名或密码错误" in desktop.locator("body").inner_text()
    # The fifth failure earns a pause; even the right password waits, with a clear message.
    for password in ["wrong-password", PASSWORD]:
        desktop.goto(f"{live_server.url}/staff/login/")
        desktop.fill("#id_username", "forgetful")
        desktop.fill("#id_password", password)
        desktop.click("main button[type=submit]")
        body = desktop.locator("body").inner_text()
        assert "暂停登录" in body
        assert "1 分钟后再试" in body
    screenshot(desktop, "staff-locked")


def test_enrolment_with_a_code_from_the_security_admin(
    desktop: Any, live_server: Any, hunan: None
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from liaison.accounts.enrolment import enrolment_code_issue

    user = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="newcomer")
    code = enrolment_code_issue(actor=None, user=user)
    desktop.goto(f"{live_server.url}/staff/login/")
    desktop.fill("#id_username", "newcomer")
    desktop.fill("#id_password", PASSWORD)
    desktop.click("main button[type=submit]")
    desktop.wait_for_url("**/staff/login/otp/setup/")
    assert desktop.locator(".qr svg").count() == 0
    desktop.fill("#id_code", code)
    desktop.click("main button[type=submit]")
    assert desktop.locator(".qr svg").count() == 1
    secret = desktop.locator("code").inner_text()
    device = TOTPDevice(key=base64.b32decode(secret).hex())
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"
    desktop.fill("#id_token", token)
    desktop.click("main button[type=submit]")
    desktop.wait_for_url(f"{live_server.url}/staff/")
    assert "动态验证码已绑定" in desktop.locator("body").inner_text()
    screenshot(desktop, "staff-enrolled")
