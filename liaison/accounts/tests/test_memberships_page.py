"""The memberships page: revoke only where allowed and confirmed; the unit of unit staff."""

from __future__ import annotations

import re
from typing import Any

import pytest

from liaison.accounts.models import Membership, Role
from liaison.accounts.tests.factories import UserFactory, make_member
from liaison.cases.tests.factories import HandlingUnitFactory

pytestmark = pytest.mark.django_db

PAGE = "/staff/memberships/"


def _revoke_url(membership: Membership) -> str:
    return f"/staff/memberships/{membership.pk}/revoke/"


def test_revoke_is_offered_only_where_the_viewer_may_revoke(
    as_user: Any, county_staff: Any, auditor: Any, yuelu: Any
) -> None:
    deputy = make_member(Role.DEPUTY, region=yuelu, display_name="岳麓的代表")
    html = as_user(county_staff).get(PAGE).content.decode()
    may = Membership.objects.get(user=deputy)
    own = Membership.objects.get(user=county_staff)
    admin_power = Membership.objects.get(user=auditor)  # only the security admin grants it
    assert _revoke_url(may) in html
    assert _revoke_url(own) not in html
    assert _revoke_url(admin_power) not in html
    # What the page hides, the service refuses.
    as_user(county_staff).post(_revoke_url(admin_power))
    assert Membership.objects.filter(pk=admin_power.pk).exists()


def test_revoke_asks_for_confirmation_without_script(
    as_user: Any, county_staff: Any, yuelu: Any
) -> None:
    make_member(Role.DEPUTY, region=yuelu, display_name="岳麓的代表")
    html = as_user(county_staff).get(PAGE).content.decode()
    block = re.search(r"<details(?! class=\"navgroup\")[^>]*>.*?</details>", html, flags=re.S)
    assert block is not None
    assert "确认撤销" in block.group(0)
    assert "岳麓的代表" in block.group(0)
    assert 'action="/staff/memberships/' in block.group(0)
    assert "onclick" not in html
    assert "confirm(" not in html


def test_unit_field_lists_units_of_the_granters_jurisdiction(
    as_user: Any, county_staff: Any
) -> None:
    HandlingUnitFactory(name="岳麓区城管局")
    HandlingUnitFactory(name="长沙县住建局", region_id="430121000000")
    html = as_user(county_staff).get(PAGE).content.decode()
    assert '<select name="unit"' in html
    assert "岳麓区城管局" in html
    assert "长沙县住建局" not in html


def test_grant_unit_role_with_a_unit(as_user: Any, county_staff: Any) -> None:
    unit = HandlingUnitFactory(name="岳麓区城管局")
    target = UserFactory(username="unitclerk")
    response = as_user(county_staff).post(
        "/staff/memberships/grant/",
        {"username": "unitclerk", "role": Role.HANDLING_UNIT, "unit": unit.pk},
        follow=True,
    )
    assert "授权成功" in response.content.decode()
    assert Membership.objects.filter(
        user=target, role=Role.HANDLING_UNIT, unit_ref=unit.pk
    ).exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "请选择承办单位"),
        ({"region": "430104"}, "只需选择承办单位"),
    ],
)
def test_unit_role_needs_a_unit_and_nothing_else(
    as_user: Any, county_staff: Any, extra: dict[str, str], message: str
) -> None:
    unit = HandlingUnitFactory(name="岳麓区城管局")
    UserFactory(username="unitclerk")
    data = {"username": "unitclerk", "role": Role.HANDLING_UNIT, **extra}
    if extra:
        data["unit"] = str(unit.pk)
    response = as_user(county_staff).post("/staff/memberships/grant/", data, follow=True)
    assert message in response.content.decode()
    assert not Membership.objects.filter(user__username="unitclerk").exists()


def test_unit_of_another_county_is_refused(as_user: Any, county_staff: Any) -> None:
    other = HandlingUnitFactory(name="长沙县住建局", region_id="430121000000")
    UserFactory(username="unitclerk")
    as_user(county_staff).post(
        "/staff/memberships/grant/",
        {"username": "unitclerk", "role": Role.HANDLING_UNIT, "unit": other.pk},
    )
    assert not Membership.objects.filter(user__username="unitclerk").exists()
