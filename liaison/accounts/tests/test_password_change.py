"""Every staff user changes their own password from the workbench header."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from liaison.accounts.tests.factories import PASSWORD
from liaison.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

NEW = "Xiao!Ming#82"


def _change(client: Client, current: str = PASSWORD, new: str = NEW, again: str = NEW) -> Any:
    return client.post(
        "/staff/password/",
        {"current_password": current, "new_password": new, "new_password_again": again},
    )


@pytest.mark.parametrize(
    "persona", ["county_staff", "station_officer", "deputy_user", "auditor", "security_admin"]
)
def test_header_links_to_the_page(request: Any, as_user: Any, persona: str) -> None:
    client = as_user(request.getfixturevalue(persona))
    assert 'href="/staff/password/"' in client.get("/staff/").content.decode()
    assert client.get("/staff/password/").status_code == 200


def test_anonymous_is_sent_to_login() -> None:
    assert Client().get("/staff/password/")["Location"].startswith("/staff/login/")


def test_change_sets_the_password_audits_and_ends_other_sessions(
    as_user: Any, county_staff: Any
) -> None:
    other = as_user(county_staff)
    client = as_user(county_staff)
    response = _change(client)
    assert response["Location"] == "/staff/"
    county_staff.refresh_from_db()
    assert county_staff.check_password(NEW)
    assert client.get("/staff/").status_code == 200
    assert other.get("/staff/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SECURITY, note="修改密码").exists()


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        ("wrong", NEW, NEW, "当前密码不正确"),
        (PASSWORD, NEW, NEW + "x", "两次输入的新密码不一致"),
        (PASSWORD, PASSWORD, PASSWORD, "新密码不能与当前密码相同"),
        (PASSWORD, "Demo@2026", "Demo@2026", "演示密码"),
        (PASSWORD, "Qwer@1234", "Qwer@1234", "键盘顺序"),
        (PASSWORD, "abc", "abc", "密码太短"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    as_user: Any, county_staff: Any, current: str, new: str, again: str, message: str
) -> None:
    response = _change(as_user(county_staff), current, new, again)
    assert response.status_code == 200
    assert message in response.content.decode()
    county_staff.refresh_from_db()
    assert county_staff.check_password(PASSWORD)


def test_guessing_the_current_password_ends_the_session(as_user: Any, county_staff: Any) -> None:
    client = as_user(county_staff)
    for _ in range(5):
        response = _change(client, current="wrong")
    assert response["Location"] == "/staff/login/"
    assert client.get("/staff/").status_code == 302
