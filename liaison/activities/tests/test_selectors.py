"""What counts (verified only), training hours, calendar rows, the station page's work plan and
a grid post's work log."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liaison.activities import selectors, services
from liaison.activities.models import ActivityKind, Status
from liaison.activities.selectors_public import activities_public, station_work_plan_row
from liaison.activities.tests.factories import activity_in, plan_with_items, training_in
from liaison.deputies.tests.factories import SeatFactory, StationDeputyFactory
from liaison.grids.selectors import post_work_log
from liaison.grids.tests.factories import GridFactory, PostFactory
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.stations.selectors import station_work_plan
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db


def test_only_verified_activities_count(station: Any, deputy: Any, colleague: Any) -> None:
    year = timezone.localdate().year
    counted = activity_in(Status.VERIFIED, station=station, attended=[deputy])
    for status in (Status.PLANNED, Status.DRAFT, Status.SUBMITTED, Status.RETURNED):
        activity_in(status, station=station, attended=[deputy])
    activity_in(Status.VERIFIED, station=station, invited=[deputy])  # invited, did not come
    assert list(selectors.verified_activities(deputy=deputy, year=year)) == [counted]
    assert list(selectors.verified_activities(deputy=colleague, year=year)) == []
    assert list(selectors.verified_activities(deputy=deputy, year=year - 1)) == []
    assert selectors.verified_activities(station=station).count() == 2


def test_training_hours_per_deputy_per_year(deputy: Any, colleague: Any) -> None:
    year = timezone.localdate().year
    training_in(Status.VERIFIED, hours="4", attended=[deputy, colleague])
    training_in(Status.VERIFIED, hours="2.5", attended=[deputy])
    training_in(Status.SUBMITTED, hours="8", attended=[deputy])
    last_year = timezone.now() - datetime.timedelta(days=400)
    training_in(Status.VERIFIED, hours="8", attended=[deputy], starts_at=last_year)
    assert selectors.training_hours(deputy=deputy, year=year) == Decimal("6.5")
    assert selectors.training_hours(deputy=colleague, year=year) == Decimal("4")
    gaps = selectors.training_gaps(
        selectors.Deputy.objects.filter(pk__in=[deputy.pk, colleague.pk]), year=year, required=5
    )
    assert [d.name for d in gaps] == ["李代表"]


def test_calendar_rows_in_range_and_upcoming(
    station_officer: Any, other_county_staff: Any, station: Any, deputy: Any
) -> None:
    now = timezone.now()
    week = now + datetime.timedelta(days=7)
    soon = activity_in(
        Status.PLANNED, station=station, invited=[deputy], title="下周视察",
        starts_at=week, ends_at=week + datetime.timedelta(hours=2),
    )  # fmt: skip
    activity_in(Status.CANCELLED, station=station, invited=[deputy],
                starts_at=now + datetime.timedelta(days=8),
                ends_at=now + datetime.timedelta(days=8, hours=1))  # fmt: skip
    today = timezone.localdate()
    rows = selectors.activities_in_range(
        user=station_officer, start=today, end=today + datetime.timedelta(days=30)
    )
    assert [r.title for r in rows] == ["下周视察"]
    row = rows[0]
    assert row.kind_label == "调研" and row.station == station.name and row.status == "planned"
    assert row.url == reverse("activities:detail", args=[soon.pk])
    assert row.date == timezone.localtime(soon.starts_at).date()
    assert (
        selectors.activities_in_range(
            user=other_county_staff, start=today, end=today + datetime.timedelta(days=30)
        )
        == []
    )
    upcoming = selectors.activities_upcoming_for_deputy(deputy=deputy, today=today, limit=5)
    assert [r.title for r in upcoming] == ["下周视察"]


def test_calendar_rows_and_work_log_name_local_kinds(station_officer: Any, station: Any) -> None:
    JurisdictionSetting.objects.create(
        region=station.region, key="activity_extra_kinds",
        value=[{"key": "council", "name": "代表议事会"}],
    )  # fmt: skip
    week = timezone.now() + datetime.timedelta(days=7)
    activity_in(Status.PLANNED, station=station, kind="council", starts_at=week,
                ends_at=week + datetime.timedelta(hours=1))  # fmt: skip
    today = timezone.localdate()
    rows = selectors.activities_in_range(
        user=station_officer, start=today, end=today + datetime.timedelta(days=30)
    )
    assert [r.kind_label for r in rows] == ["代表议事会"]


def test_station_work_plan_shows_fulfilment(station: Any) -> None:
    today = timezone.localdate()
    _plan, items = plan_with_items(
        station, today.year,
        (1, ActivityKind.RESEARCH, "一月调研"), (1, ActivityKind.TRAINING, "一月培训"),
        (12, ActivityKind.INSPECTION, "年末视察"),
    )  # fmt: skip
    activity_in(Status.VERIFIED, station=station, plan_item=items[0])
    activity_in(Status.SUBMITTED, station=station, plan_item=items[1])  # not verified yet
    row = station_work_plan_row(station, today.replace(month=6, day=1))
    assert row is not None and row.year == today.year
    assert [(i.title, i.held) for i in row.items] == [
        ("一月调研", True), ("一月培训", False), ("年末视察", False)
    ]  # fmt: skip
    assert (row.due, row.held) == (2, 1)
    assert row.items[1].kind_label == "学习培训"


def test_an_unpublished_plan_is_not_public(station: Any) -> None:
    plan_with_items(station, timezone.localdate().year, (3, "research", "调研"), published=False)
    assert station_work_plan(station) is None


def test_station_page_shows_the_plan_within_the_query_budget(
    client: Client, station: Any, django_assert_max_num_queries: Any
) -> None:
    year = timezone.localdate().year
    _plan, items = plan_with_items(
        station, year, *[(m, ActivityKind.RESEARCH, f"{m}月调研") for m in range(1, 13)]
    )
    for item in items[:3]:
        activity_in(Status.VERIFIED, station=station, plan_item=item)
    for _ in range(6):
        StationDeputyFactory(station=station, deputy=SeatFactory().deputy)
        StationFactory(parent=station)
    url = reverse("h5:station", kwargs={"code": station.code})
    with django_assert_max_num_queries(10):
        response = client.get(url)
    content = response.content.decode()
    assert f"{year} 年度工作计划" in content and "12月调研" in content
    assert content.count("已开展") >= 3


def test_public_activities_are_verified_at_active_stations(station: Any) -> None:
    shown = activity_in(Status.VERIFIED, station=station)
    activity_in(Status.SUBMITTED, station=station)
    closed = StationFactory(status="closed")
    activity_in(Status.VERIFIED, station=closed)
    assert list(activities_public()) == [shown]


def test_a_post_work_log_is_its_verified_activities(
    station_officer: Any, station: Any, deputy: Any
) -> None:
    post = PostFactory(grid=GridFactory(station=station), duty_kind="patrol")
    logged = activity_in(Status.VERIFIED, station=station, kind="patrol", post=post, title="夜巡")
    activity_in(Status.DRAFT, station=station, kind="patrol", post=post)
    log = post_work_log(post)
    assert log.count == 1 and [r.title for r in log.rows] == ["夜巡"]
    assert log.rows[0].kind == "安全巡查"
    assert log.rows[0].url == reverse("activities:detail", args=[logged.pk])
    assert log.full_url == reverse("activities:post_log", args=[post.pk])


def test_planning_for_a_post_checks_its_kind_and_place(
    station_officer: Any, station: Any, other_station: Any
) -> None:
    start = timezone.now() + datetime.timedelta(days=2)
    fields: dict[str, Any] = {
        "title": "夜间巡查", "starts_at": start, "ends_at": start + datetime.timedelta(hours=2),
        "place": "小区", "organiser": "工委",
    }  # fmt: skip
    post = PostFactory(grid=GridFactory(station=station), duty_kind="patrol")
    with pytest.raises(ValidationError, match="安全巡查"):
        services.activity_plan(
            actor=station_officer, station=station, kind="research", post=post, **fields
        )
    elderly = PostFactory(grid=GridFactory(station=station), duty_kind="elderly_care")
    made = services.activity_plan(
        actor=station_officer, station=station, kind="research", post=elderly, **fields
    )
    assert made.post == elderly
    theirs = PostFactory(grid=GridFactory(station=other_station, region_id="430121001000"))
    with pytest.raises(ValidationError, match="不属于本站"):
        services.activity_plan(
            actor=station_officer, station=station, kind="patrol", post=theirs, **fields
        )


def test_post_work_log_page_is_paginated_and_scoped(
    station_officer: Any, other_county_staff: Any, station: Any, as_user: Any,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    post = PostFactory(grid=GridFactory(station=station))
    for _ in range(30):
        activity_in(Status.VERIFIED, station=station, kind="patrol", post=post)
    url = reverse("activities:post_log", args=[post.pk])
    client = as_user(station_officer)
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 30
    assert as_user(other_county_staff).get(url).status_code == 404
