"""The REST endpoints: in the schema, scoped for staff, only published ones for the public."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from liaison.accounts.models import User
from liaison.suggestions.models import Status
from liaison.suggestions.tests.factories import suggestion_in

pytestmark = pytest.mark.django_db


def test_the_schema_lists_the_endpoints(hunan: None) -> None:
    schema = Client().get("/api/schema/").content.decode()
    assert "/api/v1/suggestions/" in schema and "/api/v1/suggestions/{id}/" in schema


def test_public_sees_only_what_both_allowed(session: Any) -> None:
    both = suggestion_in(
        Status.CLOSED,
        session=session,
        deputy_allows_publication=True,
        congress_allows_publication=True,
    )
    suggestion_in(Status.CLOSED, session=session, deputy_allows_publication=True)
    suggestion_in(Status.SUBMITTED, session=session)
    data = Client().get("/api/v1/suggestions/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["id"] for r in rows] == [both.pk]


def test_staff_see_their_congress_and_bad_filters_are_400(
    as_user: Any, county_staff: User, other_county_staff: User, session: Any
) -> None:
    row = suggestion_in(Status.SUBMITTED, session=session)
    mine = as_user(county_staff).get("/api/v1/suggestions/?status=submitted").json()
    rows = mine["results"] if isinstance(mine, dict) else mine
    assert [r["id"] for r in rows] == [row.pk] and rows[0]["number_label"] == "第 1 号"
    other = as_user(other_county_staff).get(f"/api/v1/suggestions/{row.pk}/")
    assert other.status_code == 404
    bad = as_user(county_staff).get("/api/v1/suggestions/?status=nonsense")
    assert bad.status_code == 400 and "状态取值" in bad.content.decode()
