"""An action sent after the session expired: back to the case page after login, text kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from liaison.accounts.decorators import POST_STASH_KEY
from liaison.accounts.tests.factories import PASSWORD, add_totp
from liaison.cases.models import Status
from liaison.cases.tests.factories import CaseFactory, HandlingUnitFactory, case_in

pytestmark = pytest.mark.django_db

RESTORED = "登录已过期，您填写的内容已恢复，请确认后重新提交"


def _token(device: Any) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _log_in(client: Client, user: Any, next_url: str) -> Any:
    """Password then TOTP, as a person does after being sent to the login page."""
    device = add_totp(user)
    response = client.post(
        reverse("accounts:login") + "?next=" + next_url,
        {"username": user.username, "password": PASSWORD, "next": next_url},
    )
    assert response["Location"] == reverse("accounts:otp")
    return client.post(reverse("accounts:otp"), {"token": _token(device)})


def test_expired_session_keeps_the_typed_note_and_returns_to_the_case_page(
    station: Any, station_officer: Any
) -> None:
    case = CaseFactory(station=station)
    page = reverse("cases:detail", args=[case.pk])
    client = Client()  # the session is gone: the browser sends no valid session cookie
    response = client.post(
        reverse("cases:act", args=[case.pk, "accept"]),
        {
            "expected_version": case.version,
            "note": "群众下午三点会再来电",
            "csrfmiddlewaretoken": "x" * 64,
        },
        HTTP_REFERER=f"http://testserver{page}",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + f"?next={page}"
    stash = client.session[POST_STASH_KEY]
    assert "csrfmiddlewaretoken" not in stash["fields"]

    after = _log_in(client, station_officer, page)
    assert after.status_code == 302
    assert after["Location"] == page
    body = client.get(page).content.decode()
    assert RESTORED in body
    assert "群众下午三点会再来电" in body
    # The restored form is open and nothing was done yet.
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    # Once: the next load is the plain page.
    again = client.get(page).content.decode()
    assert RESTORED not in again
    assert "群众下午三点会再来电" not in again


def test_restored_assign_form_keeps_unit_and_opinion(
    station: Any, station_officer: Any, as_user: Any
) -> None:
    unit = HandlingUnitFactory(name="岳麓区住建局")
    other = HandlingUnitFactory(name="岳麓区城管局")
    case = case_in(Status.ACCEPTED, station=station)
    client = Client()
    client.post(
        reverse("cases:act", args=[case.pk, "assign"]),
        {"expected_version": case.version, "unit": str(other.pk), "note": "请十日内答复"},
    )
    page = reverse("cases:detail", args=[case.pk])
    _log_in(client, station_officer, page)
    body = client.get(page).content.decode()
    assert "请十日内答复" in body
    assert f'<option value="{other.pk}" selected>' in body
    assert f'<option value="{unit.pk}" selected>' not in body


def test_without_referer_a_case_action_returns_to_its_case_page(
    station: Any, station_officer: Any
) -> None:
    case = CaseFactory(station=station)
    client = Client()
    response = client.post(
        reverse("cases:act", args=[case.pk, "accept"]),
        {"note": "备注"},
        HTTP_REFERER="https://evil.example/staff/cases/",
    )
    page = reverse("cases:detail", args=[case.pk])
    assert response["Location"] == reverse("accounts:login") + f"?next={page}"


def test_other_staff_posts_return_to_the_workbench_home() -> None:
    client = Client()
    response = client.post(reverse("cases:bulk"), {"action": "accept", "ids": ["1"]})
    home = reverse(settings.LOGIN_REDIRECT_URL)
    assert response["Location"] == reverse("accounts:login") + f"?next={home}"


def test_stash_keeps_text_only_and_is_capped(station: Any) -> None:
    case = CaseFactory(station=station)
    client = Client()
    client.post(
        reverse("cases:act", args=[case.pk, "reply"]),
        {
            "reply": "答" * 50_000,
            "attachments": SimpleUploadedFile("a.pdf", b"%PDF-1.4", "application/pdf"),
            **{f"f{i}": "x" for i in range(200)},
        },
    )
    stash = client.session[POST_STASH_KEY]
    assert "attachments" not in stash["fields"]
    assert stash["files_dropped"] is True
    size = sum(len(v) for values in stash["fields"].values() for v in values)
    assert size <= 20_000
    assert len(stash["fields"]) <= 50


def test_stash_of_a_case_outside_the_users_scope_is_not_shown(
    other_station: Any, station_officer: Any
) -> None:
    theirs = CaseFactory(station=other_station, region_id="430121001000")
    client = Client()
    client.post(reverse("cases:act", args=[theirs.pk, "accept"]), {"note": "不该出现"})
    page = reverse("cases:detail", args=[theirs.pk])
    _log_in(client, station_officer, page)
    assert client.get(page).status_code == 404


def test_logged_in_post_is_not_stashed(as_user: Any, station: Any, station_officer: Any) -> None:
    case = CaseFactory(station=station)
    client = as_user(station_officer)
    client.post(
        reverse("cases:act", args=[case.pk, "accept"]),
        {"expected_version": case.version, "note": "正常提交"},
    )
    assert POST_STASH_KEY not in client.session
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


# --- in a browser ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_session_expiry_in_the_browser_keeps_the_note(
    desktop: Any, live_server: Any, hunan: None
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from conftest import login_client
    from liaison.accounts.models import Role
    from liaison.accounts.tests.factories import make_member
    from liaison.common.tests.browser import screenshot
    from liaison.stations.tests.factories import StationFactory

    station = StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")
    officer = make_member(Role.LIAISON_OFFICER, station=station, username="officer_s")
    case = CaseFactory(station=station, title="井盖松动")
    logged = login_client(officer)
    cookie = logged.cookies[settings.SESSION_COOKIE_NAME].value
    desktop.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    desktop.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    desktop.locator("summary", has_text="受理").first.click()
    form = desktop.locator(f"form[action$='/{case.pk}/act/accept/']")
    form.locator("textarea[name=note]").fill("已约群众周五面谈")
    # The session expires while the form is open.
    desktop.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    form.locator("button[type=submit]").click()
    desktop.wait_for_url("**/staff/login/**")
    device = TOTPDevice.objects.get(user=officer)
    desktop.fill("input[name=username]", "officer_s")
    desktop.fill("input[name=password]", PASSWORD)
    desktop.locator("form:has(input[name=password]) button[type=submit]").click()
    desktop.wait_for_url("**/staff/login/otp/")
    desktop.fill("input[name=token]", _token(device))
    desktop.locator("form:has(input[name=token]) button[type=submit]").click()
    desktop.wait_for_url(f"**/staff/cases/{case.pk}/")
    assert RESTORED in desktop.locator(".messages").inner_text()
    restored = desktop.locator(f"form[action$='/{case.pk}/act/accept/'] textarea[name=note]")
    assert restored.is_visible()
    assert restored.input_value() == "已约群众周五面谈"
    screenshot(desktop, "staff-case-restored-after-login")
    restored.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    desktop.wait_for_load_state()
    assert "已受理" in desktop.locator(".messages").inner_text()
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
