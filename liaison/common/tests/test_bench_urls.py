"""The benchmarks' yardsticks (config/urls_bench.py): they answer as the benchmarks expect."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from config.urls_bench import DURABLE_TABLE, durable_table_ensure
from conftest import login_client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("config.urls_bench")]


def test_bare_view_answers_json() -> None:
    assert Client().get("/bench/bare/").json() == {"ok": True}


def test_durable_reference_commits_one_row_per_request() -> None:
    durable_table_ensure()
    client = Client()
    client.get("/bench/durable/")
    client.get("/bench/durable/")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {DURABLE_TABLE}")
        assert cursor.fetchone()[0] == 2


def test_public_floor_is_the_empty_public_page() -> None:
    response = Client().get("/bench/floor/h5/")
    assert response.status_code == 200
    assert b"<html" in response.content


def test_staff_floor_needs_a_signed_in_user(county_staff: Any) -> None:
    assert Client().get("/staff/bench-floor/").status_code == 302
    response = login_client(county_staff).get("/staff/bench-floor/")
    assert response.status_code == 200
    assert "角色授权".encode() in response.content or b"navgroup" in response.content
