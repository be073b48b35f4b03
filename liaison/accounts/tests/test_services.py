from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liaison.accounts import services
from liaison.accounts.models import Membership, Role
from liaison.accounts.tests.factories import UserFactory, make_member
from liaison.audit.models import AuditEvent
from liaison.regions.tests.factories import YUELU_STREET, region

pytestmark = pytest.mark.django_db


def test_county_staff_grants_a_business_role_inside_the_county(county_staff: Any) -> None:
    target = UserFactory()
    membership = services.membership_grant(
        actor=county_staff, user=target, role=Role.LIAISON_OFFICER, region=region(YUELU_STREET)
    )
    assert membership.user == target
    event = AuditEvent.objects.get(object_type="accounts.membership")
    assert event.actor == county_staff
    assert event.region_code == YUELU_STREET


def test_county_staff_cannot_grant_outside_the_county(
    county_staff: Any, changsha_county: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=county_staff,
            user=UserFactory(),
            role=Role.LIAISON_OFFICER,
            region=changsha_county,
        )
    assert not Membership.objects.filter(region=changsha_county).exists()


def test_county_staff_cannot_grant_admin_powers(county_staff: Any, yuelu: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=county_staff, user=UserFactory(), role=Role.AUDITOR, region=yuelu
        )


def test_system_admin_cannot_make_anyone_auditor(system_admin: Any, yuelu: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=system_admin, user=UserFactory(), role=Role.AUDITOR, region=yuelu
        )


def test_security_admin_grants_admin_powers_but_not_two_to_one_person(
    security_admin: Any, yuelu: Any
) -> None:
    target = UserFactory()
    services.membership_grant(actor=security_admin, user=target, role=Role.AUDITOR, region=yuelu)
    with pytest.raises(ValidationError, match="三权分立"):
        services.membership_grant(
            actor=security_admin, user=target, role=Role.SYSTEM_ADMIN, region=yuelu
        )
    assert list(Membership.objects.filter(user=target).values_list("role", flat=True)) == [
        Role.AUDITOR
    ]


def test_security_admin_cannot_grant_business_roles(security_admin: Any, yuelu: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=security_admin, user=UserFactory(), role=Role.CONGRESS_STAFF, region=yuelu
        )


def test_nobody_grants_to_themselves(county_staff: Any, yuelu: Any) -> None:
    with pytest.raises(ValidationError, match="自己"):
        services.membership_grant(
            actor=county_staff, user=county_staff, role=Role.STATION_HEAD, region=yuelu
        )


def test_duplicate_grant_is_refused(county_staff: Any, yuelu: Any) -> None:
    target = UserFactory()
    services.membership_grant(actor=county_staff, user=target, role=Role.DEPUTY, region=yuelu)
    with pytest.raises(ValidationError, match="已在此范围"):
        services.membership_grant(actor=county_staff, user=target, role=Role.DEPUTY, region=yuelu)


def test_station_head_may_add_officers_at_own_station(
    station_head: Any, station: Any, other_station: Any
) -> None:
    target = UserFactory()
    services.membership_grant(
        actor=station_head, user=target, role=Role.LIAISON_OFFICER, station=station
    )
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=station_head, user=UserFactory(), role=Role.LIAISON_OFFICER, station=other_station
        )
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=station_head, user=UserFactory(), role=Role.STATION_HEAD, station=station
        )


def test_revoke_is_audited_and_scoped(
    county_staff: Any, other_county_staff: Any, yuelu: Any
) -> None:
    target = make_member(Role.LIAISON_OFFICER, region=yuelu)
    membership = Membership.objects.get(user=target)
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=other_county_staff, membership=membership)
    services.membership_revoke(actor=county_staff, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="accounts.membership").exists()


def test_user_create_enforces_the_password_policy(system_admin: Any) -> None:
    with pytest.raises(ValidationError):
        services.user_create(actor=system_admin, username="weak", display_name="弱", password="abc")
    user = services.user_create(
        actor=system_admin, username="newbie", display_name="新人", password="Strong-Pass-1"
    )
    assert user.check_password("Strong-Pass-1")


def test_only_system_admin_creates_users(county_staff: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=county_staff, username="x1", display_name="x", password="Strong-Pass-1"
        )


def test_membership_needs_exactly_one_scope(county_staff: Any, yuelu: Any, station: Any) -> None:
    with pytest.raises(ValidationError):
        services.membership_grant(
            actor=county_staff, user=UserFactory(), role=Role.DEPUTY, region=yuelu, station=station
        )
