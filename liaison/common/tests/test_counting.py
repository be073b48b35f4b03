from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.common.counting import counts_at_once
from liaison.regions.models import Level, Region


def test_counts_of_several_querysets_in_one_query(hunan: None) -> None:
    parts = [
        Region.objects.filter(level=Level.CITY),
        Region.objects.filter(code__startswith="4301"),
        Region.objects.filter(pk__in=[]),  # matches nothing: no SQL for it at all
        Region.objects.filter(name__contains="岳麓"),
    ]
    with CaptureQueriesContext(connection) as ctx:
        counts = counts_at_once(parts)
    assert len(ctx.captured_queries) == 1
    assert counts == [part.count() for part in parts]


def test_each_count_stops_at_the_cap(hunan: None) -> None:
    cities = Region.objects.filter(level=Level.CITY)
    assert cities.count() > 3
    assert counts_at_once([cities, cities.filter(code="430100000000")], cap=3) == [3, 1]


def test_nothing_to_count_costs_nothing(db: None, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert counts_at_once([]) == []
        assert counts_at_once([Region.objects.none()]) == [0]
