"""Reads of stations: scoped for staff, public (active only) for the H5 site."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser
from liaison.common.codes import is_well_formed
from liaison.common.hotcache import HotCache
from liaison.regions.models import (
    CODE_LENGTH,
    LEVEL_DEPTH,
    PREFIX_LENGTH,
    Level,
    Region,
    ancestor_codes,
    code_bounds,
)
from liaison.regions.selectors import region_subtree_q
from liaison.stations.models import (
    AssessmentPhoto,
    ScanCount,
    Station,
    StationAppearance,
    StationAssessment,
    StationStatus,
)

# --- staff ------------------------------------------------------------------------------------


def stations_visible_to(user: AnyUser) -> QuerySet[Station]:
    """Stations in the user's scope for any viewing role (nothing for other roles)."""
    scope = capability_scope(user, Capability.VIEW_STATIONS)
    return Station.objects.filter(scope.q(region_field="region_id", station_path_field="path"))


def stations_editable_by(user: AnyUser) -> QuerySet[Station]:
    """Stations the user may edit (and place sub-stations under)."""
    scope = capability_scope(user, Capability.EDIT_STATIONS)
    return Station.objects.filter(scope.q(region_field="region_id", station_path_field="path"))


def station_get_for_user(user: AnyUser, pk: int) -> Station:
    """One station in the user's scope, or Http404."""
    try:
        return stations_visible_to(user).select_related("region", "parent").get(pk=pk)
    except Station.DoesNotExist:
        raise Http404("station not in scope") from None


@dataclass(frozen=True)
class StationFilters:
    region_code: str = ""
    kind: str = ""
    status: str = ""
    assessment_result: str = ""
    text: str = ""


def normalize_region_code(raw: str) -> str:
    """'430104' → '430104000000'; anything not a region code → ''."""
    code = raw.strip()
    if not code.isdigit():
        return ""
    if len(code) in PREFIX_LENGTH.values() and len(code) < CODE_LENGTH:
        code = code.ljust(CODE_LENGTH, "0")
    return code if len(code) == CODE_LENGTH else ""


def region_by_code(raw: str) -> Region | None:
    code = normalize_region_code(raw)
    return Region.objects.filter(code=code).first() if code else None


def stations_filter(
    stations: QuerySet[Station], *, filters: StationFilters, region: Region | None = None
) -> QuerySet[Station]:
    """Apply list filters; `region` (already looked up) narrows to its subtree."""
    if region is not None:
        stations = stations.filter(region_subtree_q(region, field="region_id"))
    if filters.kind:
        stations = stations.filter(kind=filters.kind)
    if filters.status:
        stations = stations.filter(status=filters.status)
    if filters.assessment_result == "none":
        stations = stations.filter(assessment_result="")
    elif filters.assessment_result:
        stations = stations.filter(assessment_result=filters.assessment_result)
    if filters.text.strip():
        stations = stations.filter(name__contains=filters.text.strip())
    return stations


def station_list_for_user(
    user: AnyUser, *, filters: StationFilters, region: Region | None = None
) -> QuerySet[Station]:
    """The workbench list: scoped, filtered, with what each row shows joined in."""
    stations = stations_filter(stations_visible_to(user), filters=filters, region=region)
    return stations.select_related("region", "parent").order_by("region_id", "name", "id")


def scope_region_choices(user: AnyUser) -> list[Region]:
    """Regions offered in the list filter: the user's regions and two levels below (no villages)."""
    scope = capability_scope(user, Capability.VIEW_STATIONS)
    if not scope.regions:
        return []
    condition = scope.q(region_field="code")
    depths = {r.depth for r in scope.regions}
    levels = [lvl for lvl, d in LEVEL_DEPTH.items() if min(depths) <= d <= max(depths) + 2]
    return list(
        Region.objects.filter(condition, level__in=levels)
        .exclude(level=Level.VILLAGE)
        .order_by("code")[:2000]
    )


def station_appearances(station: Station, *, limit: int = 50) -> list[StationAppearance]:
    """Appearances for the staff page: upcoming first, then the most recent past ones."""
    now = timezone.now()
    upcoming = list(
        station.appearances.filter(ends_at__gte=now).select_related("region").order_by("starts_at")
    )
    past = list(
        station.appearances.filter(ends_at__lt=now)
        .select_related("region")
        .order_by("-starts_at")[: max(0, limit - len(upcoming))]
    )
    return upcoming + past


def station_assessments(station: Station) -> QuerySet[StationAssessment]:
    return station.assessments.select_related("assessor").prefetch_related("photos")


def assessment_photo_get_for_user(
    user: AnyUser, *, station_pk: int, photo_pk: int
) -> AssessmentPhoto:
    """An assessment photo of a station in the user's scope, or Http404."""
    station = station_get_for_user(user, station_pk)
    photo = AssessmentPhoto.objects.filter(pk=photo_pk, assessment__station=station).first()
    if photo is None or not photo.image:
        raise Http404("photo not found")
    return photo


def station_children(station: Station, *, public_only: bool = False) -> QuerySet[Station]:
    children = station.children.select_related("region").order_by("name")
    if public_only:
        children = children.filter(status=StationStatus.ACTIVE)
    return children


def scan_summary(code: str, *, days: int = 30) -> dict[str, int]:
    """Scans of a public code in the last `days` days and in all time."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    totals = ScanCount.objects.filter(code=code).aggregate(
        total=Sum("count"), recent=Sum("count", filter=Q(day__gte=since))
    )
    return {"total": totals["total"] or 0, "recent": totals["recent"] or 0, "days": days}


# --- deputies at a station ---------------------------------------------------------------------
# Deputies sit above stations (a deputy is assigned to stations), so the station pages cannot ask
# the deputies app directly: it hands in, when the apps are ready, how to list a station's current
# deputies and how to resolve a deputy's public code (`liaison.deputies.apps`). Without it (a
# process without the deputies app) a station simply has none.


@dataclass
class StationDeputyRow:
    code: str
    name: str
    photo_url: str
    levels: list[str] = field(default_factory=list)
    kind_label: str = ""
    rota: str = ""
    url: str = ""


StationDeputiesProvider = Callable[[Station, datetime.date], list[StationDeputyRow]]
_station_deputies: StationDeputiesProvider = lambda station, today: []  # noqa: E731


@dataclass(frozen=True)
class PublicCodeKind:
    """Another app's public code on a sign (a deputy's "D…"): what it is, and where it leads."""

    kind: str
    exists: Callable[[str], bool]
    url: Callable[[str], str]


_public_codes: dict[str, PublicCodeKind] = {}


def station_deputies_provider_set(provider: StationDeputiesProvider) -> None:
    global _station_deputies
    _station_deputies = provider


def public_code_kind_register(prefix: str, kind: PublicCodeKind) -> None:
    _public_codes[prefix] = kind


def station_deputies(
    station: Station, *, today: datetime.date | None = None
) -> list[StationDeputyRow]:
    """Deputies currently assigned to the station, with their current levels (public fields)."""
    return _station_deputies(station, today or timezone.localdate())


# --- the annual work plan at a station ---------------------------------------------------------
# Activities sit above stations: the public station page shows the station's annual work plan
# (代表法 art. 43) with its fulfilment through what the activities app hands it at start-up
# (`liaison.activities.apps`). Without it a station page simply has no plan section.


@dataclass(frozen=True)
class StationPlanItemRow:
    month: int
    kind_label: str
    title: str
    held: bool


@dataclass(frozen=True)
class StationWorkPlanRow:
    year: int
    items: list[StationPlanItemRow]
    # Items planned up to this month, and how many of them were held (a verified activity).
    due: int
    held: int


StationWorkPlanProvider = Callable[[Station, datetime.date], StationWorkPlanRow | None]
_station_work_plan: StationWorkPlanProvider = lambda station, today: None  # noqa: E731


def station_work_plan_provider_set(provider: StationWorkPlanProvider) -> None:
    global _station_work_plan
    _station_work_plan = provider


def station_work_plan(
    station: Station, *, today: datetime.date | None = None
) -> StationWorkPlanRow | None:
    """The station's published work plan of this year with its fulfilment, or None."""
    return _station_work_plan(station, today or timezone.localdate())


# --- reception days (代表接待日) -----------------------------------------------------------------
# The receptions app sits above stations and deputies; it hands in, when the apps are ready, the
# upcoming published reception days of a station (liaison.receptions.apps). The deputies app
# reuses these rows for the deputy's page. Without it a station simply shows none.


@dataclass(frozen=True)
class PublicReceptionDeputy:
    name: str
    photo_url: str
    url: str


@dataclass(frozen=True)
class PublicReceptionRow:
    """One published reception day as the public sees it: no personal data."""

    date: datetime.date
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    station_name: str
    station_url: str
    deputies: tuple[PublicReceptionDeputy, ...] = ()


@dataclass(frozen=True)
class PublicReceptions:
    rows: list[PublicReceptionRow] = field(default_factory=list)
    feed_url: str = ""  # the iCalendar feed of the station (or deputy)


StationReceptionsProvider = Callable[[Station, datetime.date], PublicReceptions]
_station_receptions: StationReceptionsProvider = lambda station, today: PublicReceptions()  # noqa: E731


def station_receptions_provider_set(provider: StationReceptionsProvider) -> None:
    global _station_receptions
    _station_receptions = provider


def station_receptions(station: Station, *, today: datetime.date | None = None) -> PublicReceptions:
    """The station's upcoming published reception days with the deputies on duty."""
    return _station_receptions(station, today or timezone.localdate())


# --- public ------------------------------------------------------------------------------------


def stations_public() -> QuerySet[Station]:
    """Stations shown on the public site: active ones only."""
    return Station.objects.filter(status=StationStatus.ACTIVE)


def station_public_get(code: str) -> Station:
    """An active station by its public code, or Http404 (also for malformed codes)."""
    if not is_well_formed(code, "S"):
        raise Http404("malformed station code")
    try:
        return stations_public().select_related("region", "parent").get(code=code)
    except Station.DoesNotExist:
        raise Http404("no such active station") from None


def station_out_of_service_get(code: str) -> Station | None:
    """A paused or closed station by its public code (its sign is still up), else None."""
    if not is_well_formed(code, "S"):
        return None
    return (
        Station.objects.exclude(status=StationStatus.ACTIVE)
        .select_related("region")
        .filter(code=code)
        .first()
    )


def stations_open_nearby(station: Station, *, limit: int = 3) -> list[Station]:
    """Up to `limit` open stations of the station's county, those of its township first: where
    someone who scanned a paused station's code can go instead. One query."""
    county_low, county_high = code_bounds(station.region_id, Level.COUNTY)
    town_low, town_high = code_bounds(station.region_id, Level.TOWNSHIP)
    same_town = Case(
        When(region_id__gte=town_low, region_id__lte=town_high, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(
        stations_public()
        .filter(region_id__gte=county_low, region_id__lte=county_high)
        .exclude(pk=station.pk)
        .order_by(same_town, "region_id", "name", "id")[:limit]
    )


# Intake looks the station up by the code on its QR sign for every submission.
_public_by_code: HotCache[Station | None] = HotCache("public_stations")


def station_public_get_cached(code: str) -> Station:
    """`station_public_get`, remembered per process for intake (liaison.common.hotcache: a
    status change made elsewhere takes effect here within HOT_CACHE_SECONDS)."""

    def load() -> Station | None:
        try:
            return station_public_get(code)
        except Http404:
            return None

    station = _public_by_code.get(code, load)
    if station is None:
        raise Http404("no such active station")
    return station


def stations_public_directory(*, region: Region | None, text: str) -> QuerySet[Station]:
    """The public directory: active stations, optionally in a region subtree and by name."""
    stations = stations_filter(stations_public(), filters=StationFilters(text=text), region=region)
    return stations.select_related("region").order_by("region_id", "name", "id")


def station_upcoming_appearances(station: Station, *, limit: int = 10) -> list[StationAppearance]:
    return list(
        station.appearances.filter(ends_at__gte=timezone.now())
        .select_related("region")
        .order_by("starts_at")[:limit]
    )


# The station page's rarely changing parts: the region path under its name and its open
# sub-stations. Region names change with a new division import, sub-stations with the station
# services (which clear the caches of their process on commit); other processes see either
# within HOT_CACHE_SECONDS. Two queries less on the page people open from a QR code.
_region_label: HotCache[str] = HotCache("region_label")
_public_children: HotCache[list[Station]] = HotCache("public_children")


def region_label_cached(code: str) -> str:
    """'湖南省 / 长沙市 / 岳麓区' for a region code, remembered per process."""
    return _region_label.get(code, lambda: region_labels({code}).get(code, ""))


_region_labels: HotCache[dict[str, str]] = HotCache("region_labels", max_entries=2_000)


def region_labels_cached(codes: set[str]) -> dict[str, str]:
    """`region_labels` of a set of codes (a directory page's), remembered per process."""
    return _region_labels.get(frozenset(codes), lambda: region_labels(codes))


def station_public_children(station: Station) -> list[Station]:
    """The station's open sub-stations by name, remembered per process."""
    return _public_children.get(
        station.pk, lambda: list(station_children(station, public_only=True))
    )


def region_labels(codes: set[str] | list[str]) -> dict[str, str]:
    """'湖南省 / 长沙市 / 岳麓区 / 岳麓街道' for each code, with one query for all of them."""
    wanted = {c for code in codes for c in ancestor_codes(code)}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    return {
        code: " / ".join(names[c] for c in ancestor_codes(code) if c in names) for code in codes
    }


def home_region_choices() -> list[tuple[Region, list[Region]]]:
    """Cities with their counties, for the public home page's region picker."""
    regions = list(Region.objects.filter(level__in=[Level.CITY, Level.COUNTY]).order_by("code"))
    cities = [r for r in regions if r.level == Level.CITY]
    grouped: list[tuple[Region, list[Region]]] = []
    for city in cities:
        low, high = city.bounds
        counties = [r for r in regions if r.level == Level.COUNTY and low <= r.code <= high]
        grouped.append((city, counties))
    return grouped


def public_code_kind(code: str) -> str:
    """'station' or another app's kind ('deputy') for a well-formed public code that exists and is
    public, else ''."""
    if is_well_formed(code, "S"):
        return "station" if stations_public().filter(code=code).exists() else ""
    for prefix, other in _public_codes.items():
        if is_well_formed(code, prefix):
            return other.kind if other.exists(code) else ""
    return ""


def public_code_url(code: str) -> str:
    """The public page of an existing public code (see `public_code_kind`)."""
    for prefix, other in _public_codes.items():
        if is_well_formed(code, prefix):
            return other.url(code)
    return reverse("h5:station", kwargs={"code": code})
