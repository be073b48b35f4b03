from __future__ import annotations

from typing import Any

import pytest

from liaison.accounts.models import Membership, Role
from liaison.accounts.tests.factories import UserFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_staff", 200),
        ("system_admin", 200),
        ("security_admin", 200),
        ("station_officer", 403),
        ("auditor", 403),
    ],
)
def test_memberships_page_roles(request: Any, as_user: Any, persona: str, status: int) -> None:
    user = request.getfixturevalue(persona)
    assert as_user(user).get("/staff/memberships/").status_code == status


def test_memberships_list_is_scoped(
    as_user: Any, county_staff: Any, yuelu: Any, changsha_county: Any
) -> None:
    make_member(Role.DEPUTY, region=yuelu, display_name="岳麓的人")
    make_member(Role.DEPUTY, region=changsha_county, display_name="长沙县的人")
    text = as_user(county_staff).get("/staff/memberships/").content.decode()
    assert "岳麓的人" in text
    assert "长沙县的人" not in text


def test_memberships_list_query_count(
    as_user: Any, county_staff: Any, yuelu: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        make_member(Role.DEPUTY, region=yuelu)
    client = as_user(county_staff)
    with django_assert_max_num_queries(12):
        assert client.get("/staff/memberships/").status_code == 200


def test_grant_through_the_page(as_user: Any, county_staff: Any) -> None:
    target = UserFactory(username="newofficer")
    response = as_user(county_staff).post(
        "/staff/memberships/grant/",
        {"username": "newofficer", "role": Role.LIAISON_OFFICER, "region": "430104002"},
        follow=True,
    )
    assert "授权成功" in response.content.decode()
    assert Membership.objects.filter(user=target, region_id="430104002000").exists()


def test_grant_with_unknown_region_shows_message(as_user: Any, county_staff: Any) -> None:
    UserFactory(username="someone")
    response = as_user(county_staff).post(
        "/staff/memberships/grant/",
        {"username": "someone", "role": Role.LIAISON_OFFICER, "region": "999999"},
        follow=True,
    )
    assert "区划代码不存在" in response.content.decode()
    assert not Membership.objects.filter(user__username="someone").exists()


def test_revoke_of_other_county_membership_is_404(
    as_user: Any, county_staff: Any, changsha_county: Any
) -> None:
    target = make_member(Role.DEPUTY, region=changsha_county)
    membership = Membership.objects.get(user=target)
    response = as_user(county_staff).post(f"/staff/memberships/{membership.pk}/revoke/")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_security_admin_unlocks_an_account(as_user: Any, security_admin: Any, yuelu: Any) -> None:
    from liaison.accounts import lockout

    make_member(Role.LIAISON_OFFICER, region=yuelu, username="locked_user")
    for _ in range(5):
        lockout.login_failure_record(username="locked_user", address="10.0.0.1")
    client = as_user(security_admin)
    assert "locked_user" in client.get("/staff/security/").content.decode()
    client.post("/staff/security/unlock/", {"username": "locked_user"})
    assert lockout.login_refusal(username="locked_user", address="10.0.0.1") is None


@pytest.mark.parametrize("persona", ["system_admin", "auditor", "county_staff"])
def test_only_security_admin_opens_security_page(request: Any, as_user: Any, persona: str) -> None:
    user = request.getfixturevalue(persona)
    assert as_user(user).get("/staff/security/").status_code == 403


def test_security_admin_resets_second_factor_and_gets_a_new_code(
    as_user: Any, security_admin: Any, county_staff: Any
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from liaison.accounts.models import EnrolmentCode
    from liaison.accounts.tests.factories import add_totp

    add_totp(county_staff)
    response = as_user(security_admin).post(f"/staff/security/users/{county_staff.pk}/reset-otp/")
    assert not TOTPDevice.objects.filter(user=county_staff).exists()
    assert response.status_code == 200
    assert "绑定码只显示这一次" in response.content.decode()
    assert EnrolmentCode.objects.filter(user=county_staff, used_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("system_admin", 200), ("security_admin", 302), ("auditor", 302), ("county_staff", 302)],
)
def test_django_admin_is_for_system_admins_only(
    request: Any, as_user: Any, persona: str, status: int
) -> None:
    user = request.getfixturevalue(persona)
    assert as_user(user).get("/admin/").status_code == status


def test_system_admin_cannot_reach_audit_or_lockouts_in_admin(
    as_user: Any, system_admin: Any
) -> None:
    client = as_user(system_admin)
    text = client.get("/admin/").content.decode()
    assert "审计" not in text
    assert client.get("/admin/axes/accessattempt/").status_code in (403, 404)
    assert client.get("/admin/regions/region/").status_code == 200


def test_admin_edits_are_audited(as_user: Any, system_admin: Any) -> None:
    from liaison.audit.models import AuditEvent

    client = as_user(system_admin)
    response = client.post(
        "/admin/regions/region/430104002000/change/",
        {
            "code": "430104002000",
            "name": "岳麓街道（改）",
            "level": "township",
            "parent": "430104000000",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="regions.region", object_id="430104002000")
    assert event.after == {"name": "岳麓街道（改）"}
    assert event.note == "系统管理后台"
