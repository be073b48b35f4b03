"""Replays of the review's login findings (issue 10, "login").

- Anyone could lock any staff account (5 failures per user name, from any address), and every
  failed login cost a password hash even for unknown names or locked accounts.
- The second factor was enrolled by whoever had the password first; a GET of the setup page
  created a device; staff had no page to change their own password; the policy accepted the
  published demo password and keyboard patterns.
- A security administrator's powers were global: another county's devices listed and reset.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts import lockout, services
from liaison.accounts.models import EnrolmentCode, Role
from liaison.accounts.tests.factories import PASSWORD, add_totp, make_member

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OFFICE = "10.20.30.40"


def _client(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/staff/login/", {"username": username, "password": password})


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password hash computed (checking a password and the decoy for unknown names)."""
    calls: list[str] = []
    original = MD5PasswordHasher.encode

    def counting(self: Any, password: str, salt: str) -> str:
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    return calls


@pytest.fixture
def other_security_admin(changsha_county: Any) -> Any:
    return make_member(Role.SECURITY_ADMIN, region=changsha_county, username="other_security")


# --- Lockout --------------------------------------------------------------------------------


@override_settings(REQUIRE_2FA=False)
def test_attacker_cannot_lock_a_victim_out_from_another_address(county_staff: Any) -> None:
    attacker = _client(ATTACKER)
    for _ in range(20):
        _login(attacker, "county_staff", "guess-Pass-1")
    assert _login(attacker, "county_staff", PASSWORD).status_code == 429
    # The victim, from an address never used before, still logs in.
    response = _login(_client(OFFICE), "county_staff", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


def test_spraying_many_accounts_from_one_address_is_refused_before_hashing(
    yuelu: Any, changsha_county: Any, hashes: list[str]
) -> None:
    names = [
        make_member(Role.LIAISON_OFFICER, region=region).username
        for region in [yuelu, changsha_county] * 10
    ] + [f"nobody{n}" for n in range(10)]
    hashes.clear()
    attacker = _client(ATTACKER)
    statuses = [_login(attacker, name, "Spring@2026").status_code for name in names]
    # The 20th failure earns the pause; every later name is refused.
    assert statuses[:19] == [200] * 19
    assert set(statuses[19:]) == {429}
    # Refused attempts cost no hash; unknown names cost exactly what real ones cost.
    assert len(hashes) == 20
    # Another address is not affected.
    assert _login(_client(OFFICE), names[25], "Spring@2026").status_code == 200


@override_settings(REQUIRE_2FA=False, LOGIN_USERNAME_FREE_FAILURES=30)
def test_distributed_guessing_on_one_name_is_slowed_but_the_owner_gets_in(
    county_staff: Any, hashes: list[str]
) -> None:
    assert _login(_client(OFFICE), "county_staff", PASSWORD).status_code == 302
    for n in range(30):
        _login(_client(f"198.51.100.{n}"), "county_staff", f"guess-{n}-Aa")
    hashed = len(hashes)
    # A new address now waits, and pays no hash …
    assert _login(_client("198.51.100.200"), "county_staff", PASSWORD).status_code == 429
    assert len(hashes) == hashed
    # … while the owner's own address still works.
    assert _login(_client(OFFICE), "county_staff", PASSWORD).status_code == 302


def test_pause_doubles_instead_of_locking_for_good(county_staff: Any) -> None:
    for _ in range(5):
        lockout.login_failure_record(username="county_staff", address=ATTACKER)
    first = lockout.login_refusal(username="county_staff", address=ATTACKER)
    assert first is not None
    assert first.minutes() == 1


# --- Second factor ---------------------------------------------------------------------------


def test_otp_setup_get_creates_no_device(county_staff: Any) -> None:
    client = _client(ATTACKER)
    _login(client, "county_staff", PASSWORD)
    for _ in range(3):
        client.get("/staff/login/otp/setup/")
    assert not TOTPDevice.objects.filter(user=county_staff).exists()


def test_password_alone_cannot_enrol_a_second_factor(county_staff: Any) -> None:
    client = _client(ATTACKER)
    _login(client, "county_staff", PASSWORD)
    page = client.get("/staff/login/otp/setup/").content.decode()
    # No QR code and no secret before a code from the security administrator.
    assert "<svg" not in page
    assert "otpauth" not in page
    client.post("/staff/login/otp/setup/", {"token": "123456"})
    client.post("/staff/login/otp/setup/", {"code": "ABCD-EFGH-JKMN"})
    assert not TOTPDevice.objects.filter(user=county_staff, confirmed=True).exists()
    assert client.get("/staff/").status_code == 302


def test_other_county_security_admin_cannot_see_or_reset_a_device(
    as_user: Any, county_staff: Any, other_security_admin: Any
) -> None:
    add_totp(county_staff)
    client = as_user(other_security_admin)
    assert "county_staff" not in client.get("/staff/security/").content.decode()
    response = client.post(f"/staff/security/users/{county_staff.pk}/reset-otp/")
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=county_staff).exists()
    response = client.post("/staff/security/enrolment-code/", {"username": "county_staff"})
    assert response.status_code == 404
    assert not EnrolmentCode.objects.filter(user=county_staff).exists()


def test_other_county_security_admin_cannot_see_or_lift_a_pause(
    as_user: Any, county_staff: Any, other_security_admin: Any, security_admin: Any
) -> None:
    for _ in range(5):
        lockout.login_failure_record(username="county_staff", address=ATTACKER)
    client = as_user(other_security_admin)
    assert "county_staff" not in client.get("/staff/security/").content.decode()
    assert client.post("/staff/security/unlock/", {"username": "county_staff"}).status_code == 404
    assert lockout.login_refusal(username="county_staff", address=ATTACKER) is not None
    # The county's own security administrator sees and lifts it.
    own = as_user(security_admin)
    assert "county_staff" in own.get("/staff/security/").content.decode()
    own.post("/staff/security/unlock/", {"username": "county_staff"})
    assert lockout.login_refusal(username="county_staff", address=ATTACKER) is None


@pytest.mark.parametrize("persona", ["county_staff", "station_officer", "deputy_user", "auditor"])
def test_other_roles_cannot_issue_codes_or_reset(
    request: Any, as_user: Any, persona: str, security_admin: Any
) -> None:
    target = make_member(Role.LIAISON_OFFICER, region=security_admin.memberships.get().region)
    client = as_user(request.getfixturevalue(persona))
    assert (
        client.post("/staff/security/enrolment-code/", {"username": target.username}).status_code
        == 403
    )
    assert client.post(f"/staff/security/users/{target.pk}/reset-otp/").status_code == 403
    assert not EnrolmentCode.objects.exists()


def test_anonymous_cannot_reach_security_or_password_pages() -> None:
    for path in ["/staff/security/", "/staff/password/"]:
        assert Client().get(path)["Location"].startswith("/staff/login/")
    response = Client().post("/staff/security/enrolment-code/", {"username": "x"})
    assert response.status_code == 302
    assert not EnrolmentCode.objects.exists()


# --- Password --------------------------------------------------------------------------------


def test_staff_change_their_own_password_and_other_sessions_end(
    as_user: Any, station_officer: Any
) -> None:
    stolen = as_user(station_officer)
    client = as_user(station_officer)
    response = client.post(
        "/staff/password/",
        {
            "current_password": PASSWORD,
            "new_password": "Xiao!Ming#82",
            "new_password_again": "Xiao!Ming#82",
        },
    )
    assert response.status_code == 302
    assert stolen.get("/staff/").status_code == 302
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize(
    "password",
    [
        "Demo@2026",
        "Aa1!aaaa",
        "Aa1!Aa1!",
        "Abcd@1234",
        "Qwer@1234",
        "P@ssw0rd#9",
        "Xyzwv@2026",
        "Liaison@888x",
    ],
)
def test_policy_refuses_guessable_passwords(system_admin: Any, password: str) -> None:
    with pytest.raises(ValidationError):
        services.user_create(
            actor=system_admin,
            username="newcomer",
            display_name="新",
            password=password,
        )
