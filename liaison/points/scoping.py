"""Which deputies and which ranking scopes a user reaches, by the points capabilities."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser, Scope
from liaison.deputies.models import Deputy, StationDeputy
from liaison.regions.models import Level, Region, code_bounds
from liaison.stations.models import Station


def current_assignments() -> Q:
    today = timezone.localdate()
    return Q(ends_on__isnull=True) | Q(ends_on__gte=today)


def deputies_in(scope: Scope) -> QuerySet[Deputy]:
    """Deputies whose home region or current station lies in the scope."""
    if scope.is_empty:
        return Deputy.objects.none()
    stations = StationDeputy.objects.filter(
        scope.q(region_field="station__region_id", station_path_field="station__path"),
        current_assignments(),
    ).values("deputy_id")
    return Deputy.objects.filter(scope.q(region_field="home_region_id") | Q(pk__in=stations))


def deputies_viewable(user: AnyUser) -> QuerySet[Deputy]:
    return deputies_in(capability_scope(user, Capability.VIEW_POINTS))


def deputies_correctable(user: AnyUser) -> QuerySet[Deputy]:
    return deputies_in(capability_scope(user, Capability.CORRECT_POINTS))


@dataclass(frozen=True)
class RankScope:
    """A ranking's scope: a region subtree (province, city, county, township) or a station."""

    label: str
    value: str  # "r:<code>" or "s:<station id>", what the form sends
    region: Region | None = None
    station: Station | None = None

    @property
    def bounds(self) -> tuple[str, str] | None:
        return self.region.bounds if self.region is not None else None


def region_scope(region: Region) -> RankScope:
    return RankScope(label=region.name, value=f"r:{region.code}", region=region)


def station_scope(station: Station) -> RankScope:
    return RankScope(label=station.name, value=f"s:{station.pk}", station=station)


def rank_scopes(user: AnyUser) -> list[RankScope]:
    """The scopes the user may rank: each region they hold and its counties and townships down
    to township level (regions with stations only, to keep the list short), and the stations
    they hold."""
    scope = capability_scope(user, Capability.VIEW_POINTS)
    result: list[RankScope] = []
    for region in scope.regions:
        result.append(region_scope(region))
        low, high = region.bounds
        below = Region.objects.filter(
            code__gte=low, code__lte=high, level__in=[Level.COUNTY, Level.TOWNSHIP]
        ).exclude(code=region.code)
        if region.level not in (Level.COUNTY, Level.TOWNSHIP):
            below = below.filter(level=Level.COUNTY)
        result.extend(region_scope(r) for r in below.order_by("code")[:300])
    for path in scope.station_paths:
        for station in Station.objects.filter(path__startswith=path).order_by("path")[:50]:
            result.append(station_scope(station))
    return result


def scope_from_value(user: AnyUser, value: str) -> RankScope | None:
    """The scope a form value names, if the user holds it; else None (the page says so)."""
    scope = capability_scope(user, Capability.VIEW_POINTS)
    kind, _sep, key = value.partition(":")
    if kind == "r" and key.isdigit():
        region = Region.objects.filter(code=key).first()
        if region is not None and scope.covers_region(region.code):
            return region_scope(region)
    if kind == "s" and key.isdigit():
        station = Station.objects.filter(pk=int(key)).first()
        if station is not None and scope.covers_station(
            region_code=station.region_id, path=station.path
        ):
            return station_scope(station)
    return None


# The bulletin (积分公示) is of a county, a township or a station; a province or a city is too wide
# to post, so its staff are asked to choose one of these.
BULLETIN_LEVELS = (Level.COUNTY, Level.TOWNSHIP)


def is_bulletin_scope(scope: RankScope) -> bool:
    return scope.station is not None or (
        scope.region is not None and scope.region.level in BULLETIN_LEVELS
    )


def bulletin_scopes(user: AnyUser) -> list[RankScope]:
    """The scopes the user may publish a bulletin of: their ranking scopes that are a county, a
    township or a station."""
    return [s for s in rank_scopes(user) if is_bulletin_scope(s)]


def bulletin_scope_held(user: AnyUser, value: str) -> RankScope | None:
    """The bulletin scope a form value names while the user holds it (asked again by the task
    worker when it builds the file and by the download); None otherwise."""
    scope = scope_from_value(user, value)
    return scope if scope is not None and is_bulletin_scope(scope) else None


def township_bounds(code: str) -> tuple[str, str]:
    return code_bounds(code, Level.TOWNSHIP)


def county_bounds(code: str) -> tuple[str, str]:
    return code_bounds(code, Level.COUNTY)
