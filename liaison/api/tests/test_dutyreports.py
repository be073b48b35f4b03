"""API v1 duty reports: published ones for anyone (results after the window), the scope for
staff with live counts, in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from liaison.dutyreports.models import Status
from liaison.dutyreports.services import duty_report_rate
from liaison.dutyreports.tests.factories import codes_of, report_in

pytestmark = pytest.mark.django_db

URL = "/api/v1/duty-reports/"


@pytest.fixture
def reports(station_officer: Any, deputy_user: Any, station: Any) -> dict[str, Any]:
    deputy = deputy_user.deputy
    published = report_in(Status.PUBLISHED, actor=station_officer, deputy=deputy, station=station)
    duty_report_rate(report=published, code=codes_of(published, 1)[0], verdict="satisfied")
    held = report_in(Status.HELD, actor=station_officer, deputy=deputy, station=station)
    return {"published": published, "held": held}


def test_the_public_sees_published_reports_without_running_results(
    client: Client, reports: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        body = client.get(URL).json()
    assert [row["id"] for row in body["results"]] == [reports["published"].pk]
    assert body["results"][0]["results"] is None
    assert client.get(f"{URL}{reports['held'].pk}/").status_code == 404


def test_staff_see_their_scope_with_counts(
    as_user: Any, county_staff: Any, other_county_staff: Any, reports: Any
) -> None:
    body = as_user(county_staff).get(URL).json()
    assert {row["id"] for row in body["results"]} == {r.pk for r in reports.values()}
    published = next(r for r in body["results"] if r["id"] == reports["published"].pk)
    assert published["results"] == {"satisfied": 1, "basic": 0, "unsatisfied": 0}
    other = as_user(other_county_staff).get(URL).json()
    assert other["count"] == 0  # staff read their own scope, as in the other endpoints


def test_filter_by_deputy_code(client: Client, reports: Any) -> None:
    code = reports["published"].deputy.code
    assert client.get(URL, {"deputy": code}).json()["count"] == 1
    assert client.get(URL, {"deputy": "DNOBODY"}).json()["count"] == 0


def test_in_the_schema(client: Client) -> None:
    assert "/api/v1/duty-reports/" in client.get("/api/schema/").content.decode()
