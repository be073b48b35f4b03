"""What the grids forms offer: regions, stations and deputies within the user's scope."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.grids import choices
from liaison.grids.tests.factories import PostAssignmentFactory
from liaison.regions.models import Region

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 1)


def test_regions_for_grids(county_staff: Any, station_head: Any) -> None:
    county = choices.regions_for_grids(county_staff)
    assert county.filter(code="430104002000").exists()
    assert not county.filter(code="430121001000").exists()
    head = choices.regions_for_grids(station_head)
    assert set(head.values_list("code", flat=True)) >= {"430104002000"}
    assert not head.filter(code="430104003000").exists()
    province = make_member(Role.CONGRESS_STAFF, region=Region.objects.get(code="430000000000"))
    assert not choices.regions_for_grids(province).filter(level="village").exists()


def test_assignable_deputies_by_name_or_code(county_staff: Any, county_deputy: Any) -> None:
    assert list(choices.assignable_deputies(county_staff, text="李县")) == [county_deputy]
    by_code = choices.assignable_deputies(county_staff, text=county_deputy.code.lower())
    assert list(by_code) == [county_deputy]
    assert not choices.assignable_deputies(county_staff, text="不存在").exists()


def test_deputies_on_post_and_stations_with_grids(
    county_staff: Any, post: Any, station: Any
) -> None:
    a = PostAssignmentFactory(post=post, starts_on=D(2025, 1, 1))
    PostAssignmentFactory(post=post, starts_on=D(2020, 1, 1), ends_on=D(2020, 2, 1))
    assert choices.deputies_on_post(post, today=TODAY) == {a.deputy_id}
    assert list(choices.stations_with_grids(county_staff)) == [station]
    assert choices.deputy_by_pk(a.deputy_id) == a.deputy
    assert choices.deputy_by_pk(0) is None
