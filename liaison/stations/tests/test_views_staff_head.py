"""A station head on the station pages: the parent link, the move page (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db


def _detail(station: Any) -> str:
    return reverse("stations:detail", args=[station.pk])


def _move(station: Any) -> str:
    return reverse("stations:move", args=[station.pk])


def test_parent_outside_the_heads_scope_is_shown_without_a_dead_link(
    as_user: Any, station: Any
) -> None:
    child = StationFactory(name="桃花岭社区联络点", parent=station, region_id=station.region_id)
    head = make_member(Role.STATION_HEAD, station=child, username="child_head")
    client = as_user(head)
    html = client.get(_detail(child)).content.decode()
    assert station.name in html
    assert _detail(station) not in html
    assert client.get(_detail(station)).status_code == 404


def test_parent_inside_scope_keeps_its_link(as_user: Any, county_staff: Any, station: Any) -> None:
    child = StationFactory(name="桃花岭社区联络点", parent=station, region_id=station.region_id)
    html = as_user(county_staff).get(_detail(child)).content.decode()
    assert f'href="{_detail(station)}"' in html


def test_head_moves_a_station_within_own_subtree(
    as_user: Any, station: Any, station_head: Any
) -> None:
    first = StationFactory(name="甲社区联络点", parent=station, region_id=station.region_id)
    second = StationFactory(name="乙社区联络点", parent=station, region_id=station.region_id)
    client = as_user(station_head)
    html = client.get(_move(first)).content.decode()
    assert "乙社区联络点" in html
    assert "顶级站点" not in html  # a head may not make roots: not offered
    assert f'<option value="{station.pk}"' not in html  # the current parent: no change
    response = client.post(_move(first), {"parent": second.pk})
    assert response.status_code == 302, response.content.decode()
    first.refresh_from_db()
    assert first.parent_id == second.pk


def test_head_sees_why_their_own_station_cannot_move(
    as_user: Any, station: Any, station_head: Any
) -> None:
    client = as_user(station_head)
    html = client.get(_move(station)).content.decode()
    assert "没有可选的上级站点" in html
    assert ">保存</button>" not in html
    response = client.post(_move(station), {"parent": ""})
    assert response.status_code == 200
    station.refresh_from_db()
    assert station.parent_id is None


def test_county_staff_may_still_make_a_root(as_user: Any, county_staff: Any, station: Any) -> None:
    child = StationFactory(name="桃花岭社区联络点", parent=station, region_id=station.region_id)
    html = as_user(county_staff).get(_move(child)).content.decode()
    assert "顶级站点" in html
