"""Scoped reads of grids and posts, the coverage lists, and the work-log hook."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory
from liaison.grids import coverage, selectors
from liaison.grids.models import Post
from liaison.grids.selectors import GridFilters, PostWorkLog, WorkLogRow
from liaison.grids.tests.factories import GridFactory, PostAssignmentFactory, PostFactory
from liaison.regions.models import Region
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 1)
ALL = GridFilters()


def names(rows: Any) -> set[str]:
    return {r.name for r in rows}


def test_county_staff_see_their_countys_grids_only(
    county_staff: Any, grid: Any, other_grid: Any
) -> None:
    assert names(selectors.grids_visible_to(county_staff)) == {grid.name}
    assert selectors.grid_get_for_user(county_staff, grid.pk) == grid
    with pytest.raises(Http404):
        selectors.grid_get_for_user(county_staff, other_grid.pk)


def test_station_staff_see_their_stations_grids_only(
    station_officer: Any, grid: Any, other_grid: Any, post: Any
) -> None:
    county_grid = GridFactory(name="区级网格", station=None)
    assert names(selectors.grids_visible_to(station_officer)) == {grid.name}
    with pytest.raises(Http404):
        selectors.grid_get_for_user(station_officer, county_grid.pk)
    assert selectors.post_get_for_user(station_officer, post.pk) == post


def test_sub_station_grids_are_in_the_parent_stations_scope(
    station_officer: Any, station: Any
) -> None:
    child = StationFactory(parent=station, region_id="430104002000")
    child_grid = GridFactory(name="下级站网格", station=child)
    assert child_grid in selectors.grids_visible_to(station_officer)


def test_posts_and_assignments_of_another_county_are_404(
    county_staff: Any, other_post: Any
) -> None:
    assignment = PostAssignmentFactory(post=other_post)
    with pytest.raises(Http404):
        selectors.post_get_for_user(county_staff, other_post.pk)
    with pytest.raises(Http404):
        selectors.assignment_get_for_user(county_staff, assignment.pk)


def test_nobody_without_the_capability_sees_grids(
    deputy_user: Any, system_admin: Any, grid: Any
) -> None:
    assert not selectors.grids_visible_to(deputy_user).exists()
    assert not selectors.grids_visible_to(system_admin).exists()


def test_city_staff_see_every_county(grid: Any, other_grid: Any) -> None:
    city = make_member(Role.CONGRESS_STAFF, region=Region.objects.get(code="430100000000"))
    assert names(selectors.grids_visible_to(city)) == {grid.name, other_grid.name}


def test_grid_list_counts_posts_places_and_deputies(county_staff: Any, grid: Any) -> None:
    one = PostFactory(grid=grid, needed=2)
    two = PostFactory(grid=grid, needed=3)
    PostFactory(grid=grid, needed=5, is_active=False)
    deputy = DeputyFactory()
    PostAssignmentFactory(post=one, deputy=deputy, starts_on=D(2025, 1, 1))
    PostAssignmentFactory(post=two, deputy=deputy, starts_on=D(2025, 1, 1))  # counted once
    PostAssignmentFactory(post=two, starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31))  # past
    PostAssignmentFactory(post=two, starts_on=D(2025, 7, 1))  # future
    [row] = selectors.grid_list_for_user(county_staff, filters=ALL, today=TODAY)
    assert (row.post_count, row.needed_total, row.deputy_count) == (2, 5, 1)


def test_grid_filters(county_staff: Any, grid: Any, station: Any) -> None:
    other = GridFactory(name="桔子洲网格", region_id="430104003000")
    PostFactory(grid=other, duty_kind="mediation")
    stopped = GridFactory(name="停用网格", is_active=False)

    def listed(**kwargs: Any) -> set[str]:
        rows = selectors.grid_list_for_user(county_staff, filters=GridFilters(**kwargs))
        return names(rows)

    assert listed() == {grid.name, other.name}
    assert stopped.name in listed(include_inactive=True)
    township = Region.objects.get(code="430104003000")
    assert listed(region=township) == {other.name}
    assert listed(station_id=station.pk) == {grid.name}
    assert listed(duty_kind="mediation") == {other.name}
    assert listed(text="桔子") == {other.name}
    assert listed(unknown_region=True) == set()


def test_post_holders_split_current_upcoming_and_past(post: Any) -> None:
    current = PostAssignmentFactory(post=post, starts_on=D(2025, 1, 1))
    SeatFactory(deputy=current.deputy, level="county")
    SeatFactory(deputy=current.deputy, level="national", congress_id="430000000000")
    upcoming = PostAssignmentFactory(post=post, starts_on=D(2025, 7, 1))
    past = PostAssignmentFactory(post=post, starts_on=D(2024, 1, 1), ends_on=D(2025, 5, 31))
    holders = selectors.post_holders(post, today=TODAY)
    assert [a for a, _ in holders.current] == [current]
    assert holders.current[0][1] == ["全国人大代表", "县（区）人大代表"]
    assert [a for a, _ in holders.upcoming] == [upcoming]
    assert [a for a, _ in holders.past] == [past]


# --- coverage -----------------------------------------------------------------------------------


def test_posts_short_of_deputies(county_staff: Any, grid: Any, other_post: Any) -> None:
    full = PostFactory(grid=grid, name="满员岗", needed=1)
    short = PostFactory(grid=grid, name="缺员岗", needed=2)
    empty = PostFactory(grid=grid, name="空岗", needed=1)
    PostFactory(grid=grid, name="停用岗", needed=1, is_active=False)
    PostAssignmentFactory(post=full, starts_on=D(2025, 1, 1))
    PostAssignmentFactory(post=short, starts_on=D(2025, 1, 1))
    PostAssignmentFactory(post=empty, starts_on=D(2024, 1, 1), ends_on=D(2024, 2, 1))
    rows = list(coverage.posts_short_of_deputies(county_staff, filters=ALL, today=TODAY))
    assert [(p.name, p.on_duty) for p in rows] == [("空岗", 0), ("缺员岗", 1)]


def test_grids_without_deputies(county_staff: Any, grid: Any) -> None:
    staffed = GridFactory(name="有人网格")
    PostAssignmentFactory(post=PostFactory(grid=staffed), starts_on=D(2025, 1, 1))
    only_stopped = GridFactory(name="只有停用岗的网格")
    PostAssignmentFactory(
        post=PostFactory(grid=only_stopped, is_active=False), starts_on=D(2025, 1, 1)
    )
    rows = coverage.grids_without_deputies(county_staff, filters=ALL, today=TODAY)
    assert names(rows) == {grid.name, only_stopped.name}


def test_deputies_without_post(
    county_staff: Any, post: Any, county_deputy: Any, township_deputy: Any, outside_deputy: Any
) -> None:
    PostAssignmentFactory(post=post, deputy=county_deputy, starts_on=D(2025, 1, 1))
    DeputyFactory(name="退任代表", is_active=False)
    rows = list(coverage.deputies_without_post(county_staff, filters=ALL, today=TODAY))
    assert names(rows) == {township_deputy.name}
    assert selectors.deputy_levels(rows[0]) == ["乡镇人大代表"]
    township = Region.objects.get(code="430104003000")
    assert not coverage.deputies_without_post(
        county_staff, filters=GridFilters(region=township), today=TODAY
    ).exists()
    assert not coverage.deputies_without_post(
        county_staff, filters=GridFilters(unknown_region=True)
    ).exists()


def test_register_rows_keep_history_in_scope(county_staff: Any, post: Any, other_post: Any) -> None:
    old = PostAssignmentFactory(post=post, starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31))
    new = PostAssignmentFactory(post=post, starts_on=D(2025, 1, 1))
    PostAssignmentFactory(post=other_post)
    assert list(coverage.register_rows(county_staff, filters=ALL)) == [old, new]


# --- the work-log hook --------------------------------------------------------------------------


def test_work_log_is_empty_without_provider(post: Any) -> None:
    previous = selectors.post_work_log_provider_set(None)
    try:
        assert selectors.post_work_log(post) == PostWorkLog(count=0, rows=[])
    finally:
        selectors.post_work_log_provider_set(previous)


def test_work_log_provider_is_asked_with_the_post_and_limit(post: Any) -> None:
    asked: list[tuple[Post, int]] = []

    def provider(p: Post, limit: int) -> PostWorkLog:
        asked.append((p, limit))
        return PostWorkLog(count=7, rows=[WorkLogRow(D(2025, 5, 1), "夜间巡查", "安全巡查", "/x")])

    previous = selectors.post_work_log_provider_set(provider)
    try:
        log = selectors.post_work_log(post, limit=3)
    finally:
        selectors.post_work_log_provider_set(previous)
    assert asked == [(post, 3)]
    assert log.count == 7 and log.rows[0].title == "夜间巡查"


# --- the deputy's public page -------------------------------------------------------------------


def test_public_deputy_page_names_current_posts(client: Any, post: Any, county_deputy: Any) -> None:
    PostAssignmentFactory(post=post, deputy=county_deputy, starts_on=D(2025, 1, 1))
    ended = PostFactory(grid=post.grid, name="已离岗岗位")
    PostAssignmentFactory(
        post=ended, deputy=county_deputy, starts_on=D(2024, 1, 1), ends_on=D(2024, 2, 1)
    )
    page = client.get(f"/d/{county_deputy.code}/").content.decode()
    assert "岗位：岳麓街道第一网格 · 安全巡查岗（安全巡查）" in page
    assert "已离岗岗位" not in page


def test_public_deputy_page_without_posts_has_no_section(client: Any, county_deputy: Any) -> None:
    page = client.get(f"/d/{county_deputy.code}/").content.decode()
    assert "网格岗位" not in page


def test_posts_short_of_deputies_follow_the_filters(
    county_staff: Any, grid: Any, station: Any
) -> None:
    PostFactory(grid=grid, name="巡查岗", duty_kind="patrol")
    other_town = GridFactory(name="桔子洲网格", region_id="430104003000")
    PostFactory(grid=other_town, name="调解岗", duty_kind="mediation")

    def short(**kwargs: Any) -> set[str]:
        rows = coverage.posts_short_of_deputies(county_staff, filters=GridFilters(**kwargs))
        return names(rows)

    assert short() == {"巡查岗", "调解岗"}
    assert short(region=Region.objects.get(code="430104003000")) == {"调解岗"}
    assert short(station_id=station.pk) == {"巡查岗"}
    assert short(duty_kind="mediation") == {"调解岗"}
    assert short(text="桔子洲") == {"调解岗"}  # the grid's name counts too
    assert short(unknown_region=True) == set()


def test_a_deputy_who_left_office_covers_nothing(
    county_staff: Any, as_user: Any, post: Any
) -> None:
    retired = DeputyFactory(name="离任代表", is_active=False)
    PostAssignmentFactory(post=post, deputy=retired, starts_on=D(2025, 1, 1))
    short = list(coverage.posts_short_of_deputies(county_staff, filters=ALL, today=TODAY))
    assert [(p.pk, p.on_duty) for p in short] == [(post.pk, 0)]
    [row] = selectors.grid_list_for_user(county_staff, filters=ALL, today=TODAY)
    assert row.deputy_count == 0
    assert names(coverage.grids_without_deputies(county_staff, filters=ALL, today=TODAY)) == {
        post.grid.name
    }
    holders = selectors.post_holders(post, today=TODAY)
    assert len(holders.current) == 1 and holders.on_duty == 0
    page = as_user(county_staff).get(f"/staff/grids/posts/{post.pk}/").content.decode()
    assert "已不在任，请办理离岗" in page
