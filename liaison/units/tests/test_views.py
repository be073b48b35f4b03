"""Handling-unit pages: role × scope, create/edit, rules and unit staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from liaison.accounts.models import Membership, Role
from liaison.accounts.tests.factories import UserFactory
from liaison.units.models import HandlingUnit, RoutingRule
from liaison.units.tests.factories import HandlingUnitFactory, make_unit_staff

pytestmark = pytest.mark.django_db


def test_list_scope_and_roles(
    as_user: Any,
    county_staff: Any,
    other_county_staff: Any,
    station_officer: Any,
    auditor: Any,
    security_admin: Any,
) -> None:
    mine = HandlingUnitFactory(name="岳麓区住建局")
    HandlingUnitFactory(name="长沙县住建局", region_id="430121000000")
    page = as_user(county_staff).get(reverse("units:list")).content.decode()
    assert "岳麓区住建局" in page
    assert "长沙县住建局" not in page
    assert (
        as_user(other_county_staff).get(reverse("units:detail", args=[mine.pk])).status_code == 404
    )
    for user in (station_officer, auditor, security_admin):
        assert as_user(user).get(reverse("units:list")).status_code == 403
    clerk = make_unit_staff(mine)
    assert as_user(clerk).get(reverse("units:list")).status_code == 403


def test_list_is_paginated_with_constant_queries(
    as_user: Any, county_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(county_staff)
    for _ in range(30):
        HandlingUnitFactory()
    client.get(reverse("units:list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("units:list"))
    assert "第 1 / 2 页" in response.content.decode()


def test_create_and_edit(as_user: Any, county_staff: Any) -> None:
    client = as_user(county_staff)
    response = client.post(
        reverse("units:create"),
        {"name": "岳麓区教育局", "kind": "department", "region": "430104"},
    )
    unit = HandlingUnit.objects.get()
    assert response.status_code == 302
    assert unit.region_id == "430104000000"
    response = client.post(
        reverse("units:edit", args=[unit.pk]),
        {"name": "岳麓区教育局（改）", "kind": "department", "region": "430104000000"},
    )
    unit.refresh_from_db()
    assert unit.name == "岳麓区教育局（改）"
    client.post(reverse("units:toggle", args=[unit.pk]))
    unit.refresh_from_db()
    assert not unit.is_active


def test_create_outside_scope_shows_error(as_user: Any, county_staff: Any) -> None:
    response = as_user(county_staff).post(
        reverse("units:create"),
        {"name": "长沙县教育局", "kind": "department", "region": "430121000000"},
    )
    assert response.status_code == 200
    assert not HandlingUnit.objects.exists()
    assert "无权" in response.content.decode()


def test_rules_and_staff(as_user: Any, county_staff: Any) -> None:
    unit = HandlingUnitFactory()
    client = as_user(county_staff)
    client.post(reverse("units:rule_add", args=[unit.pk]), {"region": "430104002000"})
    rule = RoutingRule.objects.get()
    assert rule.unit == unit
    assert rule.category is None
    client.post(reverse("units:rule_remove", args=[unit.pk, rule.pk]))
    assert not RoutingRule.objects.exists()
    person = UserFactory(username="clerk1")
    client.post(reverse("units:staff_add", args=[unit.pk]), {"username": "clerk1"})
    membership = Membership.objects.get(user=person)
    assert membership.role == Role.HANDLING_UNIT
    assert membership.unit_ref == unit.pk
    page = client.get(reverse("units:detail", args=[unit.pk])).content.decode()
    assert "clerk1" in page
    client.post(reverse("units:staff_remove", args=[unit.pk, membership.pk]))
    assert not Membership.objects.filter(user=person).exists()


def test_unknown_user_is_a_message(as_user: Any, county_staff: Any) -> None:
    unit = HandlingUnitFactory()
    response = as_user(county_staff).post(
        reverse("units:staff_add", args=[unit.pk]), {"username": "nobody"}, follow=True
    )
    assert "没有这个用户名" in response.content.decode()


def test_other_county_cannot_touch(as_user: Any, other_county_staff: Any) -> None:
    unit = HandlingUnitFactory()
    client = as_user(other_county_staff)
    assert client.post(reverse("units:toggle", args=[unit.pk])).status_code == 404
    assert client.post(reverse("units:rule_add", args=[unit.pk]), {}).status_code == 404


def test_only_case_workers_are_offered_the_units_cases(
    as_user: Any, county_staff: Any, system_admin: Any
) -> None:
    unit = HandlingUnitFactory(name="岳麓区住建局")
    url = reverse("units:detail", args=[unit.pk])
    assert "该单位的案件" in as_user(county_staff).get(url).content.decode()
    # The system administrator manages the unit but has no case workbench (三权分立).
    page = as_user(system_admin).get(url)
    assert page.status_code == 200
    assert "该单位的案件" not in page.content.decode()
