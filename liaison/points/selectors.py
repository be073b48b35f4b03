"""Reads of points: the deputy's ledger and totals, rankings with shared ranks, the bulletin,
and the summary the deputy-file page (一人一档) shows."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from liaison.deputies.models import Deputy, StationDeputy
from liaison.points.models import PointEntry, PointTotal
from liaison.points.rules import Band, band_of, band_thresholds
from liaison.points.scoping import RankScope, county_bounds, current_assignments, township_bounds

YEAR_QUARTER = 0
ZERO = Decimal(0)


def current_year() -> int:
    return timezone.localdate().year


def entries_of(*, deputy: Deputy, year: int) -> QuerySet[PointEntry]:
    """A deputy's ledger for a year, newest first (who corrected, for the staff page)."""
    return (
        PointEntry.objects.filter(deputy=deputy, year=year)
        .select_related("created_by")
        .order_by("-occurred_on", "-id")
    )


def totals_of(*, deputy: Deputy, year: int) -> dict[int, Decimal]:
    """Quarter (1–4) and year (0) totals; zeros where nothing was ever written."""
    rows = dict(
        PointTotal.objects.filter(deputy=deputy, year=year).values_list("quarter", "points")
    )
    return {quarter: rows.get(quarter, ZERO) for quarter in range(5)}


def station_deputy_ids(station_id: int) -> QuerySet[StationDeputy, Any]:
    return StationDeputy.objects.filter(current_assignments(), station_id=station_id).values(
        "deputy_id"
    )


def _in_scope(qs: QuerySet[PointTotal], scope: RankScope) -> QuerySet[PointTotal]:
    if scope.station is not None:
        return qs.filter(deputy_id__in=station_deputy_ids(scope.station.pk))
    assert scope.bounds is not None
    low, high = scope.bounds
    return qs.filter(region_code__gte=low, region_code__lte=high)


class Ranked:
    """A ranking as the paginator reads it: totals highest first, each with `rank` (ties share
    a rank, the next one skips: 1, 1, 3).

    The rank is not a window function over the whole scope (a province is 50,000 rows, and the
    paginator's count would compute it twice): rows come in rank order, so a row whose points
    differ from the row before it ranks at its own position, and only the first row of a page
    needs one count of the rows with more points. A page is four statements in all (its ids,
    its rows with their deputies, that count, the paginator's count), whatever its size.
    """

    def __init__(self, qs: QuerySet[PointTotal]) -> None:
        # Ties in `id` order: the ranking index holds it, so the sort reads the index alone.
        self.qs = qs.order_by("-points", "id")

    def count(self) -> int:
        return self.qs.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[PointTotal]:
        if not isinstance(index, slice):
            raise TypeError("Ranked only supports slices")
        # The page's ids from the index first, then its rows with their deputies (the join
        # made before the sort would carry wide rows through it; common.paging.LateRows).
        pks = list(self.qs.values_list("pk", flat=True)[index])
        if not pks:
            return []
        loaded = PointTotal.objects.filter(pk__in=pks).select_related("deputy").in_bulk()
        rows = [loaded[pk] for pk in pks]
        start = index.start or 0
        rank = self.qs.filter(points__gt=rows[0].points).order_by().count() + 1
        for position, row in enumerate(rows, start=start):
            if position > start and row.points != rows[position - start - 1].points:
                rank = position + 1
            row.rank = rank  # type: ignore[attr-defined]  # read by the pages and exports
        return rows

    def __iter__(self) -> Iterator[PointTotal]:
        return iter(self[0:None])


def ranking(*, scope: RankScope, year: int, quarter: int = YEAR_QUARTER) -> Ranked:
    """Totals of the period in the scope, highest first, ranked (see `Ranked`)."""
    return Ranked(_in_scope(PointTotal.objects.filter(year=year, quarter=quarter), scope))


def _rank_among(qs: QuerySet[PointTotal], points: Decimal) -> int:
    return qs.filter(points__gt=points).count() + 1


def current_station_id(deputy: Deputy) -> int | None:
    return (
        StationDeputy.objects.filter(current_assignments(), deputy=deputy)
        .order_by("-starts_on", "-id")
        .values_list("station_id", flat=True)
        .first()
    )


@dataclass(frozen=True)
class PointsSummary:
    """A deputy's points in a year, for their own page and the deputy file."""

    year: int
    total: Decimal
    band: str  # Band value
    band_label: str
    quarters: tuple[Decimal, Decimal, Decimal, Decimal]
    rank_station: int | None
    rank_township: int | None
    rank_county: int | None
    entries: int


def deputy_points_summary(*, deputy: Deputy, year: int) -> PointsSummary:
    """Year total, band, quarter totals and ranks in station, township and county (shared
    ranks: a deputy's rank is one more than the number of deputies with more points)."""
    rows = {t.quarter: t for t in PointTotal.objects.filter(deputy=deputy, year=year)}
    year_row = rows.get(YEAR_QUARTER)
    total = year_row.points if year_row else ZERO
    region = year_row.region_code if year_row else (deputy.home_region_id or "")
    period = PointTotal.objects.filter(year=year, quarter=YEAR_QUARTER)
    station_id = current_station_id(deputy)
    rank_station = (
        _rank_among(period.filter(deputy_id__in=station_deputy_ids(station_id)), total)
        if station_id is not None
        else None
    )
    rank_township = rank_county = None
    if region:
        low, high = township_bounds(region)
        rank_township = _rank_among(period.filter(region_code__range=(low, high)), total)
        low, high = county_bounds(region)
        rank_county = _rank_among(period.filter(region_code__range=(low, high)), total)
    band = band_of(total, band_thresholds(region or None))
    quarters = tuple(rows[q].points if q in rows else ZERO for q in (1, 2, 3, 4))
    return PointsSummary(
        year=year,
        total=total,
        band=band.value,
        band_label=str(Band(band).label),
        quarters=(quarters[0], quarters[1], quarters[2], quarters[3]),
        rank_station=rank_station,
        rank_township=rank_township,
        rank_county=rank_county,
        entries=year_row.entries if year_row else 0,
    )


@dataclass(frozen=True)
class BulletinRow:
    rank: int
    name: str
    points: Decimal  # the quarter's
    year_to_date: Decimal
    band_label: str


def bulletin_rows(*, scope: RankScope, year: int, quarter: int) -> list[BulletinRow]:
    """The quarterly bulletin (公示): each deputy of the scope with the quarter's points, the
    year's points up to that quarter and the band of those. Names are public; nothing else is
    shown."""
    totals = list(ranking(scope=scope, year=year, quarter=quarter))
    ids = [t.deputy_id for t in totals]
    running: dict[int, Decimal] = {pk: ZERO for pk in ids}
    for deputy_id, points in PointTotal.objects.filter(
        deputy_id__in=ids, year=year, quarter__gte=1, quarter__lte=quarter
    ).values_list("deputy_id", "points"):
        running[deputy_id] += points
    thresholds: dict[str, tuple[int, int]] = {}
    rows = []
    for total in totals:
        region = total.region_code
        if region not in thresholds:
            thresholds[region] = band_thresholds(region or None)
        band = band_of(running[total.deputy_id], thresholds[region])
        rows.append(
            BulletinRow(
                rank=total.rank,  # type: ignore[attr-defined]  # set by Ranked
                name=total.deputy.name,
                points=total.points,
                year_to_date=running[total.deputy_id],
                band_label=str(band.label),
            )
        )
    return rows


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    following = datetime.date(year + (last_month == 12), last_month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)
