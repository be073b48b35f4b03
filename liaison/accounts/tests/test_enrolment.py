"""Second-factor enrolment needs a one-time code from the security administrator."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts import enrolment, security
from liaison.accounts.models import EnrolmentCode
from liaison.accounts.tests.factories import PASSWORD
from liaison.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _password_only(username: str = "county_staff") -> Client:
    client = Client()
    client.post("/staff/login/", {"username": username, "password": PASSWORD})
    return client


def _token_for(client: Client) -> str:
    device = TOTPDevice(key=client.session["otp_enrol_secret"])
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"


def test_code_is_stored_only_as_a_hash(security_admin: Any, county_staff: Any) -> None:
    code = security.enrolment_code_issue(actor=security_admin, user=county_staff)
    row = EnrolmentCode.objects.get(user=county_staff)
    assert code.replace("-", "") not in row.code_hash
    assert len(row.code_hash) == 64
    assert AuditEvent.objects.filter(
        action=AuditAction.SECURITY, note="签发动态验证码绑定码", object_id=str(county_staff.pk)
    ).exists()


def test_code_is_single_use(security_admin: Any, county_staff: Any) -> None:
    code = security.enrolment_code_issue(actor=security_admin, user=county_staff)
    assert enrolment.enrolment_code_redeem(user=county_staff, code=code)
    assert not enrolment.enrolment_code_redeem(user=county_staff, code=code)


def test_code_expires(security_admin: Any, county_staff: Any, settings: Any) -> None:
    code = security.enrolment_code_issue(actor=security_admin, user=county_staff)
    later = timezone.now() + datetime.timedelta(hours=settings.OTP_ENROLMENT_CODE_HOURS + 1)
    with time_machine.travel(later):
        assert not enrolment.enrolment_code_redeem(user=county_staff, code=code)


def test_a_new_code_replaces_the_old_one(security_admin: Any, county_staff: Any) -> None:
    first = security.enrolment_code_issue(actor=security_admin, user=county_staff)
    second = security.enrolment_code_issue(actor=security_admin, user=county_staff)
    assert not enrolment.enrolment_code_redeem(user=county_staff, code=first)
    assert enrolment.enrolment_code_redeem(user=county_staff, code=second)


def test_code_of_one_user_does_not_work_for_another(
    security_admin: Any, county_staff: Any, auditor: Any
) -> None:
    code = security.enrolment_code_issue(actor=security_admin, user=auditor)
    assert not enrolment.enrolment_code_redeem(user=county_staff, code=code)


def test_security_admin_cannot_issue_a_code_for_himself(security_admin: Any) -> None:
    with pytest.raises(ValidationError):
        security.enrolment_code_issue(actor=security_admin, user=security_admin)


def test_security_admin_cannot_issue_outside_his_county(
    security_admin: Any, other_county_staff: Any
) -> None:
    with pytest.raises(Http404):
        security.user_get_for_security_admin(security_admin, username="other_county_staff")


def test_get_of_the_setup_page_creates_nothing(county_staff: Any) -> None:
    client = _password_only()
    for _ in range(3):
        assert client.get("/staff/login/otp/setup/").status_code == 200
    assert not TOTPDevice.objects.filter(user=county_staff).exists()
    assert "otp_enrol_secret" not in client.session


def test_wrong_code_shows_no_secret(county_staff: Any, security_admin: Any) -> None:
    security.enrolment_code_issue(actor=security_admin, user=county_staff)
    client = _password_only()
    response = client.post("/staff/login/otp/setup/", {"code": "AAAA-BBBB-CCCC"})
    text = response.content.decode()
    assert "绑定码不正确" in text
    assert "<svg" not in text
    assert "otp_enrol_secret" not in client.session


def test_five_wrong_codes_end_the_session(county_staff: Any) -> None:
    client = _password_only()
    for _ in range(5):
        response = client.post("/staff/login/otp/setup/", {"code": "AAAA-BBBB-CCCC"})
    assert response["Location"] == "/staff/login/"
    assert client.get("/staff/login/otp/setup/")["Location"] == "/staff/login/"


def test_confirm_with_a_wrong_totp_creates_no_device(
    county_staff: Any, security_admin: Any
) -> None:
    code = security.enrolment_code_issue(actor=security_admin, user=county_staff)
    client = _password_only()
    client.post("/staff/login/otp/setup/", {"code": code})
    right = _token_for(client)
    wrong = "000000" if right != "000000" else "111111"
    response = client.post("/staff/login/otp/setup/", {"token": wrong})
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=county_staff).exists()


def test_enrolment_is_audited(county_staff: Any, security_admin: Any) -> None:
    code = security.enrolment_code_issue(actor=security_admin, user=county_staff)
    client = _password_only()
    client.post("/staff/login/otp/setup/", {"code": code})
    client.post("/staff/login/otp/setup/", {"token": _token_for(client)})
    notes = set(
        AuditEvent.objects.filter(object_id=str(county_staff.pk)).values_list("note", flat=True)
    )
    assert {"使用绑定码", "绑定动态验证码"} <= notes


def test_issue_through_the_security_page_shows_the_code_once(
    as_user: Any, security_admin: Any, county_staff: Any
) -> None:
    client = as_user(security_admin)
    response = client.post("/staff/security/enrolment-code/", {"username": "county_staff"})
    assert response.status_code == 200
    assert "绑定码只显示这一次" in response.content.decode()
    assert "绑定码只显示这一次" not in client.get("/staff/security/").content.decode()


def test_command_line_issues_a_code_for_the_first_security_admin(
    security_admin: Any, capsys: Any
) -> None:
    call_command("enrolment_code", "security_admin")
    code = capsys.readouterr().out.strip().rsplit("：", 1)[1]
    assert enrolment.enrolment_code_redeem(user=security_admin, code=code)
