"""The read-only grids endpoint of API v1: staff only, scoped, in the schema."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from liaison.deputies.tests.factories import DeputyFactory
from liaison.grids.tests.factories import GridFactory, PostAssignmentFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_anonymous_callers_are_refused(grid: Any) -> None:
    response = Client().get("/api/v1/grids/")
    assert response.status_code in {401, 403}
    assert "工作人员" in response.json()["detail"]


def test_staff_see_their_grids_with_posts_and_deputies(
    as_user: Any, county_staff: Any, post: Any, other_post: Any, county_deputy: Any
) -> None:
    PostAssignmentFactory(post=post, deputy=county_deputy, starts_on=datetime.date(2025, 1, 1))
    PostFactory(grid=post.grid, name="停用岗", is_active=False)
    data = as_user(county_staff).get("/api/v1/grids/").json()
    assert data["count"] == 1
    [grid] = data["results"]
    assert grid["name"] == "岳麓街道第一网格"
    assert grid["region_code"] == "430104002000"
    assert grid["station_name"] == post.grid.station.name
    [row] = grid["posts"]
    assert (row["name"], row["duty_kind"], row["duty_kind_name"]) == (
        "安全巡查岗",
        "patrol",
        "安全巡查",
    )
    assert row["deputies"] == [
        {
            "deputy_code": county_deputy.code,
            "deputy_name": "李县代表",
            "starts_on": "2025-01-01",
            "ends_on": None,
        }
    ]
    # Private fields of deputies never leave through this endpoint either.
    assert "138" not in str(data)


def test_other_county_gets_404_and_filters_work(
    as_user: Any, county_staff: Any, other_county_staff: Any, post: Any
) -> None:
    assert as_user(other_county_staff).get(f"/api/v1/grids/{post.grid_id}/").status_code == 404
    client = as_user(county_staff)
    assert client.get(f"/api/v1/grids/{post.grid_id}/").json()["id"] == post.grid_id
    assert client.get("/api/v1/grids/", {"duty_kind": "mediation"}).json()["count"] == 0
    assert client.get("/api/v1/grids/", {"duty_kind": "patrol"}).json()["count"] == 1
    assert client.get("/api/v1/grids/", {"region": "430104003"}).json()["count"] == 0
    assert client.get("/api/v1/grids/", {"q": "第一"}).json()["count"] == 1
    assert client.get("/api/v1/grids/", {"region": "999999"}).status_code == 400


def test_deputies_and_admins_see_nothing(as_user: Any, deputy_user: Any, post: Any) -> None:
    assert as_user(deputy_user).get("/api/v1/grids/").json()["count"] == 0


def test_query_count_does_not_grow(
    as_user: Any, county_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(county_staff)

    def add(n: int) -> None:
        for _i in range(n):
            post = PostFactory(grid=GridFactory())
            PostAssignmentFactory(post=post, deputy=DeputyFactory())

    add(2)
    client.get("/api/v1/grids/")
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/grids/")
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/grids/").json()["count"] == 17


def test_grids_are_in_the_schema(hunan: None) -> None:
    schema = Client().get("/api/schema/").content.decode()
    assert "/api/v1/grids/" in schema
    assert "duty_kind_name" in schema
