"""API v1 of duty activities: public reads of verified activities, scoped staff writes, the
schema."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from liaison.activities.models import Activity, Status
from liaison.activities.tests.factories import activity_in
from liaison.deputies.models import Deputy
from liaison.deputies.tests.factories import DeputyFactory

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_anonymous_reads_verified_activities_only(
    station: Any, other_station: Any, django_assert_max_num_queries: Any
) -> None:
    shown = activity_in(Status.VERIFIED, station=station, title="公开的调研")
    activity_in(Status.SUBMITTED, station=station, title="待核实")
    activity_in(Status.VERIFIED, station=other_station, kind="inspection", title="外县视察")
    client = Client()
    with django_assert_max_num_queries(3):
        data = client.get("/api/v1/activities/?region=430104").json()
    assert [r["title"] for r in data["results"]] == ["公开的调研"]
    row = data["results"][0]
    assert row["station_code"] == station.code and row["kind_label"] == "调研"
    assert row["date"] == timezone.localtime(shown.starts_at).date().isoformat()
    assert "participations" not in row and "findings" not in row
    assert client.get(f"/api/v1/activities/{shown.pk}/").json()["title"] == "公开的调研"
    kinds = client.get("/api/v1/activities/?kind=inspection").json()["results"]
    assert [r["title"] for r in kinds] == ["外县视察"]
    assert client.get("/api/v1/activities/999999/").status_code == 404


def test_staff_read_their_jurisdiction_in_every_status(
    as_user: Any, county_staff: Any, station: Any, other_station: Any
) -> None:
    activity_in(Status.SUBMITTED, station=station, title="待核实")
    activity_in(Status.SUBMITTED, station=other_station, title="外县")
    titles = [
        r["title"] for r in as_user(county_staff).get("/api/v1/activities/").json()["results"]
    ]
    assert titles == ["待核实"]


def test_staff_plan_and_record_through_the_services(
    as_user: Any, station_officer: Any, station: Any, deputy_user: Any
) -> None:
    deputy = Deputy.objects.get(user=deputy_user)
    client = as_user(station_officer)
    start = timezone.now() + datetime.timedelta(days=2)
    end = start + datetime.timedelta(hours=2)
    body = {
        "station": station.code, "kind": "research", "title": "API 调研",
        "starts_at": start.isoformat(), "ends_at": end.isoformat(),
        "place": "社区", "organiser": "工委", "invited": [deputy.code],
    }  # fmt: skip
    response = _post(client, "/api/v1/activities/", body)
    assert response.status_code == 201, response.content
    activity = Activity.objects.get(title="API 调研")
    assert activity.participations.get().deputy == deputy
    # Recording before it happened is refused in Chinese, nothing changes.
    record = {"attended": [deputy.code], "findings": "座谈"}
    early = _post(client, f"/api/v1/activities/{activity.pk}/record/", record)
    assert early.status_code == 400 and "尚未开始" in early.content.decode()
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    done = _post(client, f"/api/v1/activities/{activity.pk}/record/", record)
    assert done.status_code == 200 and done.json()["status"] == "draft"


def test_bad_writes_are_refused_in_chinese(
    as_user: Any, station_officer: Any, other_station: Any, station: Any
) -> None:
    client = as_user(station_officer)
    start = timezone.now() + datetime.timedelta(days=2)
    body = {
        "station": station.code, "kind": "research", "title": "调研",
        "starts_at": start.isoformat(), "ends_at": start.isoformat(),
        "place": "社区", "organiser": "工委",
    }  # fmt: skip
    response = _post(client, "/api/v1/activities/", body)
    assert response.status_code == 400 and "结束时间必须晚于开始时间" in response.content.decode()
    outsider = DeputyFactory(home_region_id="430121000000", name="外县代表")
    body["ends_at"] = (start + datetime.timedelta(hours=1)).isoformat()
    response = _post(client, "/api/v1/activities/", {**body, "invited": [outsider.code]})
    assert response.status_code == 400 and "外县代表" in response.content.decode()
    response = _post(client, "/api/v1/activities/", {**body, "station": other_station.code})
    assert response.status_code == 403
    assert not Activity.objects.exists() and Deputy.objects.filter(name="外县代表").exists()


def test_anonymous_may_not_write(station: Any) -> None:
    response = _post(Client(), "/api/v1/activities/", {"station": station.code})
    assert response.status_code in (401, 403)


def test_the_schema_lists_activities(hunan: None) -> None:
    schema = Client().get("/api/schema/").content.decode()
    assert "/api/v1/activities/" in schema and "/api/v1/activities/{id}/record/" in schema
