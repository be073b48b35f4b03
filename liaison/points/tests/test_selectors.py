"""Totals, bands and rankings: ties share a rank (1, 1, 3), scopes by station, township and
county, the summary for the deputy file, and ranking queries that do not grow with the page."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory
from liaison.points.models import PointTotal
from liaison.points.rules import Band, RuleKey
from liaison.points.scoping import region_scope, station_scope
from liaison.points.selectors import bulletin_rows, deputy_points_summary, ranking
from liaison.points.services import points_sync
from liaison.points.sources import Fact
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU, region
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
STREET = "430104002000"  # 岳麓街道
OTHER_STREET = "430104003000"


def give(hand: Any, deputy: Any, days: int, *, month: int = 2, start: int = 0) -> None:
    """`days` reception days attended (5 points each) in `month`."""
    for n in range(days):
        hand.put(Fact(deputy.pk, RuleKey.RECEPTION_DAY, "hand", deputy.pk * 100 + start + n,
                      datetime.date(YEAR, month, n + 1)))  # fmt: skip
    points_sync(deputy_ids=[deputy.pk], year=YEAR)


@pytest.fixture
def ranked(hand: Any, yuelu: Any, changsha_county: Any) -> dict[str, Any]:
    station = StationFactory(name="岳麓街道人大代表联络站", region_id=STREET)
    a, b, c, d = (DeputyFactory(name=n, home_region_id=STREET) for n in ("甲", "乙", "丙", "丁"))
    e = DeputyFactory(name="戊", home_region_id=OTHER_STREET)
    far = DeputyFactory(name="己", home_region_id="430121001000")
    for deputy in (a, b, c):
        StationDeputyFactory(station=station, deputy=deputy)
    for deputy, days in ((a, 3), (b, 3), (c, 2), (d, 0), (e, 4), (far, 10)):
        give(hand, deputy, days)
    return {"station": station, "a": a, "b": b, "c": c, "d": d, "e": e, "far": far}


def _ranks(qs: Any) -> list[tuple[str, int, Decimal]]:
    return [(t.deputy.name, t.rank, t.points) for t in qs]


def test_ties_share_a_rank_and_the_next_skips(ranked: dict[str, Any]) -> None:
    got = _ranks(ranking(scope=region_scope(region(STREET)), year=YEAR))
    assert got == [("甲", 1, 15), ("乙", 1, 15), ("丙", 3, 10), ("丁", 4, 0)]


def test_scopes_station_township_county_province(ranked: dict[str, Any]) -> None:
    at_station = _ranks(ranking(scope=station_scope(ranked["station"]), year=YEAR))
    assert [n for n, _r, _p in at_station] == ["甲", "乙", "丙"]
    county = _ranks(ranking(scope=region_scope(region(YUELU)), year=YEAR))
    assert county[0] == ("戊", 1, 20) and len(county) == 5
    province = _ranks(ranking(scope=region_scope(region("430000000000")), year=YEAR))
    assert province[0] == ("己", 1, 50) and len(province) == 6
    assert [n for n, _r, _p in _ranks(
        ranking(scope=region_scope(region(CHANGSHA_COUNTY)), year=YEAR)
    )] == ["己"]  # fmt: skip


def test_quarter_ranking_reads_the_quarter(ranked: dict[str, Any], hand: Any) -> None:
    give(hand, ranked["d"], 1, month=5, start=50)
    q2 = _ranks(ranking(scope=region_scope(region(STREET)), year=YEAR, quarter=2))
    assert q2[0] == ("丁", 1, 5)
    assert [r for _n, r, _p in q2] == [1, 2, 2, 2]


def test_summary_for_the_deputy_file(ranked: dict[str, Any]) -> None:
    summary = deputy_points_summary(deputy=ranked["b"], year=YEAR)
    assert summary.total == 15 and summary.band == Band.POOR and summary.band_label == "一般"
    assert summary.quarters == (15, 0, 0, 0)
    assert (summary.rank_station, summary.rank_township, summary.rank_county) == (1, 1, 2)
    assert summary.entries == 3
    nothing = deputy_points_summary(deputy=ranked["d"], year=YEAR - 1)
    assert nothing.total == 0 and nothing.rank_station is None


def test_bands_follow_the_settings(ranked: dict[str, Any], hand: Any) -> None:
    give(hand, ranked["a"], 16, month=3, start=20)  # 15 + 80 = 95
    give(hand, ranked["c"], 11, month=3, start=20)  # 10 + 55 = 65
    assert deputy_points_summary(deputy=ranked["a"], year=YEAR).band == Band.GOOD
    assert deputy_points_summary(deputy=ranked["c"], year=YEAR).band == Band.FAIR


def test_bulletin_rows_have_the_quarter_and_the_year_to_date(
    ranked: dict[str, Any], hand: Any
) -> None:
    give(hand, ranked["c"], 2, month=4, start=60)
    rows = bulletin_rows(scope=region_scope(region(STREET)), year=YEAR, quarter=2)
    assert [(r.name, r.rank, r.points, r.year_to_date) for r in rows][:2] == [
        ("丙", 1, 10, 20), ("甲", 2, 0, 15),
    ]  # fmt: skip


def test_ranking_queries_do_not_grow_with_page_size(ranked: dict[str, Any]) -> None:
    scope = region_scope(region("430000000000"))
    counts = []
    for size in (2, 6):
        with CaptureQueriesContext(connection) as ctx:
            list(ranking(scope=scope, year=YEAR)[:size])
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == 3  # the ids, the rows, one count of those ranked above
    assert PointTotal.objects.filter(year=YEAR, quarter=0).count() == 6


def test_a_page_that_starts_inside_a_tie_keeps_the_shared_rank(ranked: dict[str, Any]) -> None:
    rows = ranking(scope=region_scope(region(STREET)), year=YEAR)
    assert [(t.deputy.name, t.rank) for t in rows[1:4]] == [("乙", 1), ("丙", 3), ("丁", 4)]
    assert [t.rank for t in rows[2:3]] == [3]
    assert rows.count() == len(rows) == 4
