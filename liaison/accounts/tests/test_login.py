from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import PASSWORD, add_totp, make_member
from liaison.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _token(device: Any) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_login_page_is_chinese() -> None:
    response = Client().get("/staff/login/")
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


def test_staff_pages_redirect_anonymous_to_login() -> None:
    response = Client().get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_password_then_totp_logs_in(county_staff: Any) -> None:
    device = add_totp(county_staff)
    client = Client()
    response = client.post("/staff/login/", {"username": "county_staff", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/otp/"
    # Password alone does not open the workbench.
    assert client.get("/staff/").status_code == 302
    response = client.post("/staff/login/otp/", {"token": _token(device)})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    notes = list(AuditEvent.objects.filter(action=AuditAction.LOGIN).values_list("note", flat=True))
    assert "密码验证通过" in notes
    assert "动态验证码通过" in notes


def test_wrong_totp_is_refused_with_a_message(county_staff: Any) -> None:
    add_totp(county_staff)
    client = Client()
    client.post("/staff/login/", {"username": "county_staff", "password": PASSWORD})
    response = client.post("/staff/login/otp/", {"token": "000000"})
    assert response.status_code == 200
    assert "动态验证码错误" in response.content.decode()
    assert client.get("/staff/").status_code == 302


def test_malformed_totp_gets_a_clear_message(county_staff: Any) -> None:
    add_totp(county_staff)
    client = Client()
    client.post("/staff/login/", {"username": "county_staff", "password": PASSWORD})
    response = client.post("/staff/login/otp/", {"token": "12ab56"})
    assert "6 位数字" in response.content.decode()


def test_user_without_device_enrols_with_a_code_from_the_security_admin(
    county_staff: Any, security_admin: Any
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from liaison.accounts import security

    code = security.enrolment_code_issue(actor=security_admin, user=county_staff)
    client = Client()
    client.post("/staff/login/", {"username": "county_staff", "password": PASSWORD})
    response = client.get("/staff/login/otp/")
    assert response["Location"] == "/staff/login/otp/setup/"
    page = client.get("/staff/login/otp/setup/").content.decode()
    assert "绑定码" in page
    assert "<svg" not in page
    response = client.post("/staff/login/otp/setup/", {"code": code.lower().replace("-", " ")})
    assert response["Location"] == "/staff/login/otp/setup/"
    assert not TOTPDevice.objects.filter(user=county_staff).exists()
    page = client.get("/staff/login/otp/setup/").content.decode()
    assert "<svg" in page
    secret = client.session["otp_enrol_secret"]
    device = TOTPDevice(key=secret)
    response = client.post("/staff/login/otp/setup/", {"token": _token(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=county_staff).confirmed
    assert client.get("/staff/").status_code == 200


@override_settings(REQUIRE_2FA=False)
def test_demo_setting_relaxes_second_factor_for_users_without_device(county_staff: Any) -> None:
    client = Client()
    response = client.post("/staff/login/", {"username": "county_staff", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


@override_settings(REQUIRE_2FA=False)
def test_demo_setting_still_asks_users_with_a_device(county_staff: Any) -> None:
    add_totp(county_staff)
    client = Client()
    response = client.post("/staff/login/", {"username": "county_staff", "password": PASSWORD})
    assert response["Location"] == "/staff/login/otp/"


def test_five_failures_from_one_address_pause_the_login(county_staff: Any) -> None:
    client = Client()
    for _ in range(4):
        response = client.post("/staff/login/", {"username": "county_staff", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/staff/login/", {"username": "county_staff", "password": "wrong"})
    assert response.status_code == 429
    # The right password does not work from this address while paused.
    response = client.post("/staff/login/", {"username": "county_staff", "password": PASSWORD})
    assert response.status_code == 429
    text = response.content.decode()
    assert "暂停登录" in text
    assert "1 分钟后再试" in text


def test_wrong_password_message_is_chinese(county_staff: Any) -> None:
    response = Client().post("/staff/login/", {"username": "county_staff", "password": "nope"})
    assert "用户名或密码错误" in response.content.decode()


def test_open_redirect_after_login_is_refused(county_staff: Any) -> None:
    client = Client()
    with override_settings(REQUIRE_2FA=False):
        response = client.post(
            "/staff/login/",
            {"username": "county_staff", "password": PASSWORD, "next": "https://evil.example/"},
        )
    assert response["Location"] == "/staff/"


def test_logout_requires_post_and_ends_the_session(as_user: Any, county_staff: Any) -> None:
    client = as_user(county_staff)
    assert client.get("/staff/logout/").status_code == 405
    client.post("/staff/logout/")
    assert client.get("/staff/").status_code == 302


def test_user_without_roles_sees_an_empty_state(as_user: Any, hunan: None) -> None:
    from liaison.accounts.tests.factories import UserFactory

    response = as_user(UserFactory()).get("/staff/")
    assert "尚未被授予任何角色" in response.content.decode()


def test_idle_timeout_is_a_setting() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_REFRESH_SECONDS < settings.SESSION_COOKIE_AGE


def test_home_shows_role_cards(as_user: Any, yuelu: Any) -> None:
    user = make_member(Role.CONGRESS_STAFF, region=yuelu)
    response = as_user(user).get("/staff/")
    text = response.content.decode()
    assert "辖区内联络站" in text
    assert "辖区内代表" in text


def test_login_page_says_what_this_installation_asks(settings: Any) -> None:
    from django.test import Client

    settings.REQUIRE_2FA = True
    assert "双因素认证" in Client().get("/staff/login/").content.decode()
    settings.REQUIRE_2FA = False
    page = Client().get("/staff/login/").content.decode()
    assert "演示环境" in page
    assert "只需密码即可登录" in page
