"""Which deputies a scope reaches, written so that a province-wide scope stays cheap.

A deputy is reached by a scope through their home region, a seat in a congress of the scope, or
a current assignment at a station of the scope (decision 0042 keeps this as an OR of three id
sets). At province scope nearly every deputy lives in the scope, so the OR selects the whole
table through the home-region index and the database sorts 50,000 rows by name for one page and
counts them again (121 + 94 ms at Hunan scale, issue 16).

The same set is: every deputy whose home is *not outside* the scope's regions, plus the few
deputies living outside who are reached through a seat or a station. When the deputies living
outside are few (one index read of at most `OUTSIDERS_MAX + 1` ids tells), `scope_q` writes the
condition that way (decision 0047). The condition is evaluated live, not from a remembered list:
a deputy added or moved outside the scope after the check is still excluded by the first term,
so a stale check can never show a deputy of another scope. It is also not an index range, so
the database reads the name index in order and stops after one page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.utils import timezone

from liaison.accounts.scoping import Scope
from liaison.deputies.models import Deputy, Seat, StationDeputy
from liaison.regions.models import Level, Region
from liaison.stations.models import Station

# Above this many deputies living outside the scope the plain OR is used (a county, a city).
OUTSIDERS_MAX = 200


def current_q(prefix: str = "", today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})


def or_q(scope: Scope) -> Q:
    """Home region in scope OR `pk IN` seats in scope OR `pk IN` current assignments in scope.

    Seats and assignments are tested with `pk IN (subquery)` rather than correlated EXISTS: the
    database builds each set once instead of probing it per deputy (8x faster counts at Hunan
    scale, see docs/benchmarks.md), and a deputy is still never listed twice.
    """
    if scope.is_empty:
        return Q(pk__in=[])
    return (
        scope.q(region_field="home_region_id")
        | Q(pk__in=_seats(scope))
        | Q(pk__in=_stations(scope))
    )


def scope_q(scope: Scope) -> Q:
    """The deputies `scope` reaches (exactly those of `or_q`), cheap for a province scope."""
    if any(region.level == Level.PROVINCE for region in scope.regions):
        wide = wide_q(scope)
        if wide is not None:
            return wide
    return or_q(scope)


def wide_q(scope: Scope) -> Q | None:
    """NOT (home outside the scope's regions) OR `pk IN` the outsiders reached another way;
    None when more than OUTSIDERS_MAX deputies live outside. Two small queries at most."""
    outside = _outside_q(scope.regions)
    outsiders = list(
        Deputy.objects.filter(outside).order_by().values_list("pk", flat=True)[: OUTSIDERS_MAX + 1]
    )
    if len(outsiders) > OUTSIDERS_MAX:
        return None
    inside = ~outside
    if not outsiders:
        return inside
    reached = Deputy.objects.filter(
        Q(pk__in=_seats(scope)) | Q(pk__in=_stations(scope)), pk__in=outsiders
    ).values_list("pk", flat=True)
    reached_ids = sorted(reached)
    return inside | Q(pk__in=reached_ids) if reached_ids else inside


def _seats(scope: Scope) -> QuerySet[Any, Any]:
    return Seat.objects.filter(scope.q(region_field="congress_id")).values("deputy_id")


class _InArray(Func):
    """`<column> = ANY(<array>)`, a condition (PostgreSQL): the two expressions joined."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def _stations(scope: Scope) -> QuerySet[Any, Any]:
    """The deputies with a current assignment at a station of the scope.

    On PostgreSQL the station ids are an array built once (`station_id = ANY(ARRAY(SELECT …))`):
    written as a join to the stations, or as `IN (SELECT …)`, the planner hashes a county's few
    dozen stations and scans all 50,000 assignments of the province (it prices 60 index probes
    above a scan of the small table): 6–10 ms at Hunan scale, of a 9 ms deputy list. With the
    array it reads the (station, ends_on) index: under 1 ms, in the same query (decision 0055).
    SQLite reads the subquery's ids first and probes the index by itself.
    """
    # No ORDER BY (the model's own would sort the array's ids for nothing).
    stations = (
        Station.objects.filter(scope.q(region_field="region_id", station_path_field="path"))
        .order_by()
        .values("pk")
    )
    if connections[stations.db].vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        at_station: Any = _InArray(F("station_id"), ArraySubquery(stations))
    else:
        at_station = Q(station_id__in=stations)
    return StationDeputy.objects.filter(at_station, current_q()).values("deputy_id")


def _outside_q(regions: Iterable[Region]) -> Q:
    """Home region unset or in none of the regions' code ranges: the gaps between the merged
    ranges, each an index range (a NULL home is outside every scope)."""
    merged: list[list[str]] = []
    for low, high in sorted(region.bounds for region in regions):
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    condition = Q(home_region_id__isnull=True)
    previous_high = ""
    for low, high in merged:
        gap = Q(home_region_id__lt=low)
        if previous_high:
            gap &= Q(home_region_id__gt=previous_high)
        condition |= gap
        previous_high = high
    if previous_high:
        condition |= Q(home_region_id__gt=previous_high)
    return condition
