"""API v1 reception days: public read, staff writes within scope, in the OpenAPI schema."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from liaison.cases.models import Case, Channel
from liaison.receptions.models import ReceptionDay
from liaison.receptions.tests.fixtures import day_at

pytestmark = pytest.mark.django_db

URL = "/api/v1/reception-days/"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_public_list_shows_published_days_with_names_only(
    client: Client, future_day: Any, station: Any, django_assert_max_num_queries: Any
) -> None:
    day_at(station, timezone.localdate() + datetime.timedelta(days=30))  # not yet announced
    with django_assert_max_num_queries(4):
        body = client.get(URL).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["station_code"] == station.code and row["deputies"] == ["张代表"]
    assert set(row) == {
        "id",
        "station_code",
        "station_name",
        "date",
        "starts_at",
        "ends_at",
        "place",
        "status",
        "deputies",
    }
    assert client.get(URL, {"station": "S0000000"}).json()["count"] == 0
    assert client.get(URL, {"from": "bad"}).status_code == 400


def test_anonymous_cannot_write(client: Client, station: Any) -> None:
    assert post(client, URL, {}).status_code == 403


def test_staff_create_a_one_off_day_in_scope(
    as_user: Any, station_officer: Any, station: Any, other_station: Any
) -> None:
    client = as_user(station_officer)
    body = {
        "station_code": station.code,
        "date": "2030-03-06",
        "start_time": "09:00",
        "end_time": "11:00",
        "place": "社区活动室",
    }
    response = post(client, URL, body)
    assert response.status_code == 201, response.content
    assert response.json()["station_code"] == station.code
    again = post(client, URL, body)
    assert again.status_code == 400 and "2030-03-06" in again.content.decode()
    outside = post(client, URL, {**body, "station_code": other_station.code})
    assert outside.status_code == 400
    assert ReceptionDay.objects.count() == 1


def test_staff_see_their_scope_only(as_user: Any, other_county_staff: Any, future_day: Any) -> None:
    assert as_user(other_county_staff).get(URL).json()["count"] == 0


def test_staff_record_items_become_cases(
    as_user: Any, station_officer: Any, held_day: Any, deputy: Any
) -> None:
    client = as_user(station_officer)
    body = {
        "visitor_count": 4,
        "present": [deputy.code],
        "items": [
            {"title": "路灯不亮", "content": "三栋前路灯", "deputy_code": deputy.code},
            {"title": "公交站", "content": "增设公交站", "kind": "suggestion"},
        ],
    }
    response = post(client, f"{URL}{held_day.pk}/record/", body)
    assert response.status_code == 201, response.content
    assert len(response.json()["cases"]) == 2
    assert Case.objects.filter(channel=Channel.RECEPTION, deputy=deputy).count() == 1
    again = post(client, f"{URL}{held_day.pk}/record/", body)
    assert again.status_code == 400


def test_record_bad_input(
    as_user: Any, station_officer: Any, held_day: Any, future_day: Any
) -> None:
    client = as_user(station_officer)
    assert post(client, f"{URL}{held_day.pk}/record/", {"visitor_count": -1}).status_code == 400
    unknown = post(client, f"{URL}{held_day.pk}/record/", {"visitor_count": 1, "present": ["DXX"]})
    assert unknown.status_code == 400
    future = post(client, f"{URL}{future_day.pk}/record/", {"visitor_count": 1})
    assert future.status_code == 400 and "尚未开始" in future.content.decode()


def test_record_outside_scope(
    as_user: Any, other_county_staff: Any, held_day: Any, client: Client
) -> None:
    response = post(
        as_user(other_county_staff), f"{URL}{held_day.pk}/record/", {"visitor_count": 1}
    )
    assert response.status_code == 404
    assert post(client, f"{URL}{held_day.pk}/record/", {"visitor_count": 1}).status_code == 403


def test_in_the_schema(hunan: None) -> None:
    schema = Client().get("/api/schema/").content
    assert b"/api/v1/reception-days/" in schema
    assert b"/api/v1/reception-days/{id}/record/" in schema
