"""Scoped reads of activities, and what the rest of the platform counts from them.

Only VERIFIED activities count anywhere: `verified_activities`, `training_hours`, the training
gaps and the work plan's fulfilment read that status alone; lists for staff show every status.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser
from liaison.activities.models import Activity, ActivityKind, Participation, Status
from liaison.activities.permissions import activity_actors, deputy_id_of
from liaison.activities.rules import kind_label, kind_labels
from liaison.deputies.models import Deputy, Seat, StationDeputy
from liaison.grids.models import Post
from liaison.grids.selectors import PostWorkLog, WorkLogRow
from liaison.regions.models import Level, Region, code_bounds
from liaison.regions.selectors import region_subtree_q
from liaison.stations.models import Station, StationStatus

_ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=6, decimal_places=1))


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[1 January, next 1 January) of `year` in the platform's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start, end


# --- staff ------------------------------------------------------------------------------------


def _scope_q(user: AnyUser, *capabilities: Capability) -> Q:
    scope = capability_scope(user, *capabilities)
    return scope.q(region_field="region_id", station_path_field="station__path")


def activities_visible_to(user: AnyUser) -> QuerySet[Activity]:
    """Activities of the stations and regions where the user may view activities, and those a
    deputy organised or is invited to."""
    condition = _scope_q(user, Capability.VIEW_ACTIVITIES)
    deputy_id = deputy_id_of(user)
    if deputy_id is not None:
        invited = Participation.objects.filter(deputy_id=deputy_id).values("activity_id")
        condition |= Q(organiser_deputy_id=deputy_id) | Q(pk__in=invited)
    return Activity.objects.filter(condition)


def activity_get_for_user(user: AnyUser, pk: int) -> Activity:
    """One activity the user may see (with station and region), or Http404."""
    activity = (
        Activity.objects.filter(pk=pk)
        .select_related("station", "region", "organiser_deputy", "plan_item")
        .first()
    )
    if activity is None or not activity_actors(user, activity):
        raise Http404("activity not in scope")
    return activity


@dataclass(frozen=True)
class ActivityFilters:
    station: Station | None = None
    region: Region | None = None
    kind: str = ""
    status: str = ""
    year: int | None = None
    month: int | None = None


def activities_filter(qs: QuerySet[Activity], filters: ActivityFilters) -> QuerySet[Activity]:
    if filters.station is not None:
        qs = qs.filter(station__path__startswith=filters.station.path)
    if filters.region is not None:
        qs = qs.filter(region_subtree_q(filters.region, "region_id"))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year and filters.month:
        low, high = month_bounds(filters.year, filters.month)
        qs = qs.filter(starts_at__gte=low, starts_at__lt=high)
    elif filters.year:
        low, high = year_bounds(filters.year)
        qs = qs.filter(starts_at__gte=low, starts_at__lt=high)
    return qs


def activity_list(user: AnyUser, filters: ActivityFilters) -> QuerySet[Activity]:
    """The staff list: visible, filtered, newest first, with the station joined in."""
    qs = activities_filter(activities_visible_to(user), filters)
    return qs.select_related("station").order_by("-starts_at", "-id")


def activities_awaiting_verification(user: AnyUser) -> QuerySet[Activity]:
    """Submitted records in the user's verifying scope, oldest first."""
    qs = Activity.objects.filter(
        _scope_q(user, Capability.VERIFY_ACTIVITIES), status=Status.SUBMITTED
    )
    return qs.select_related("station", "recorded_by").order_by("submitted_at", "id")


def stations_plannable_by(user: AnyUser) -> QuerySet[Station]:
    """Open stations where the user may plan: their staff scope, or, for a deputy, the stations
    they are currently assigned to (they organise there)."""
    scope = capability_scope(user, Capability.PLAN_ACTIVITIES)
    condition = scope.q(region_field="region_id", station_path_field="path")
    deputy_id = deputy_id_of(user)
    if deputy_id is not None:
        assigned = StationDeputy.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()), deputy_id=deputy_id
        ).values("station_id")
        condition |= Q(pk__in=assigned)
    return Station.objects.filter(condition).exclude(status=StationStatus.CLOSED)


def stations_viewable_by(user: AnyUser) -> QuerySet[Station]:
    """Stations offered in the list filters."""
    scope = capability_scope(user, Capability.VIEW_ACTIVITIES)
    return Station.objects.filter(scope.q(region_field="region_id", station_path_field="path"))


def eligible_deputies(station: Station) -> QuerySet[Deputy]:
    """Deputies in office who may take part in an activity of `station`: those of the station's
    county (home region, a seat in a congress there, or a current assignment to a station there),
    and deputies of higher congresses assigned to a station of the county."""
    low, high = code_bounds(station.region_id, Level.COUNTY)
    seats = Seat.objects.filter(congress_id__gte=low, congress_id__lte=high).values("deputy_id")
    assigned = StationDeputy.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()),
        station__region_id__gte=low,
        station__region_id__lte=high,
    ).values("deputy_id")
    return Deputy.objects.filter(
        Q(home_region_id__gte=low, home_region_id__lte=high) | Q(pk__in=seats) | Q(pk__in=assigned),
        is_active=True,
    )


def participations_of(activity: Activity) -> list[Participation]:
    return list(
        activity.participations.select_related("deputy", "confirmed_by").order_by(
            "deputy__name", "deputy_id"
        )
    )


# --- a deputy's own --------------------------------------------------------------------------


def activities_of_deputy(deputy_id: int) -> QuerySet[Activity]:
    """Activities the deputy is invited to or organised, newest first, with their own row."""
    invited = Participation.objects.filter(deputy_id=deputy_id).values("activity_id")
    return (
        Activity.objects.filter(Q(pk__in=invited) | Q(organiser_deputy_id=deputy_id))
        .exclude(status=Status.CANCELLED)
        .select_related("station")
        .order_by("-starts_at", "-id")
    )


# --- what counts (the next issue's duty points read these) ---------------------------------------


def verified_activities(
    *, deputy: Deputy | None = None, year: int | None = None, station: Station | None = None
) -> QuerySet[Activity]:
    """Verified activities, optionally those a deputy attended, of a year, at a station."""
    qs = Activity.objects.filter(status=Status.VERIFIED)
    if deputy is not None:
        attended = Participation.objects.filter(deputy=deputy, attended=True)
        qs = qs.filter(pk__in=attended.values("activity_id"))
    if year is not None:
        low, high = year_bounds(year)
        qs = qs.filter(starts_at__gte=low, starts_at__lt=high)
    if station is not None:
        qs = qs.filter(station=station)
    return qs.select_related("station").order_by("starts_at", "id")


def _training_of_year(year: int) -> QuerySet[Activity, Any]:
    """Verified training of `year` (read once, as a list, by the queries below)."""
    low, high = year_bounds(year)
    return Activity.objects.filter(
        status=Status.VERIFIED,
        kind=ActivityKind.TRAINING,
        starts_at__gte=low,
        starts_at__lt=high,
    ).values("pk")


def _hours_subquery(year: int) -> Subquery:
    # Driven from the deputy's own participations (index deputy, attended), with the year's
    # training as an uncorrelated list: probing the year's activities per deputy instead costs
    # a scan of every verified activity of the year for each deputy (bench_activities.py).
    rows = (
        Participation.objects.filter(
            deputy_id=OuterRef("pk"), attended=True, activity_id__in=_training_of_year(year)
        )
        .values("deputy_id")
        .annotate(total=Sum("activity__hours"))
        .values("total")
    )
    return Subquery(rows, output_field=DecimalField(max_digits=6, decimal_places=1))


def training_hours(*, deputy: Deputy, year: int) -> Decimal:
    """Hours of verified training the deputy attended in `year`."""
    total = Participation.objects.filter(
        deputy=deputy, attended=True, activity_id__in=_training_of_year(year)
    ).aggregate(total=Sum("activity__hours"))["total"]
    return Decimal(total or 0)


def deputies_with_training_hours(deputies: QuerySet[Deputy], *, year: int) -> QuerySet[Deputy]:
    """`deputies` annotated with `training_hours` of `year` (0 without any): a subquery per
    deputy, for a few deputies; a whole jurisdiction's gaps are `training_gaps`."""
    return deputies.annotate(training_hours=Coalesce(_hours_subquery(year), _ZERO))


def _training_attended(year: int) -> QuerySet[Participation]:
    """Attendances at the verified training of `year`, joined to the activity once: read from
    the indexes alone, from the year's training (activity_kind_status_idx, with its hours) to
    its participants (participation_attendance_idx)."""
    low, high = year_bounds(year)
    return Participation.objects.filter(
        attended=True,
        activity__kind=ActivityKind.TRAINING,
        activity__status=Status.VERIFIED,
        activity__starts_at__gte=low,
        activity__starts_at__lt=high,
    )


def _totals(year: int) -> QuerySet[Any, Any]:
    """(deputy_id, total): hours of the year's verified training, one row per deputy."""
    return _training_attended(year).values("deputy_id").annotate(total=Sum("activity__hours"))


@dataclass(frozen=True)
class TrainingGaps:
    """Deputies below the required hours, fewest hours first, then by name and id: a list the
    paginator counts and slices, each row a Deputy with `training_hours`.

    Read as plain queries the database plans well, none of which sums one deputy's hours at a
    time: the count excludes the deputies with enough hours (the year's training grouped by
    deputy, once); a page reads the deputies without any hours of the year first (0 hours,
    by name), then, past them, those with some but too few hours. A subquery summing each
    deputy's hours, to filter and sort every deputy in scope by it, cost 1.7 s at Hunan scale
    on PostgreSQL and 0.5 s on SQLite (docs/benchmarks.md).
    """

    below: QuerySet[Deputy]  # every deputy below the hours, only counted
    untrained: QuerySet[Deputy]  # 0 hours
    short: QuerySet[Any, Any]  # (deputy_id, total) above 0, below the hours

    def count(self) -> int:
        return self.below.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Deputy]:
        return iter(self[0 : self.count()])

    def __getitem__(self, index: slice) -> list[Deputy]:
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        untrained = self.untrained.annotate(training_hours=_ZERO).order_by("name", "id")
        rows: list[Deputy] = list(untrained[start:stop])
        if len(rows) == stop - start:
            return rows
        # The deputies without hours end on this page (short ones start at 0) or before it.
        offset = 0 if rows else start - self.untrained.count()
        wanted = stop - start - len(rows)
        ordered = self.short.order_by("total", "deputy__name", "deputy_id")
        totals = list(ordered[offset : offset + wanted])
        by_id = Deputy.objects.in_bulk([row["deputy_id"] for row in totals])
        for row in totals:
            deputy = by_id[row["deputy_id"]]
            deputy.training_hours = row["total"]  # type: ignore[attr-defined]
            rows.append(deputy)
        return rows


def training_gaps(deputies: QuerySet[Deputy], *, year: int, required: int) -> TrainingGaps:
    """Deputies below `required` hours of verified training in `year`, fewest hours first."""
    active = deputies.filter(is_active=True)
    if required <= 0:
        none = active.none()
        return TrainingGaps(below=none, untrained=none, short=_totals(year).none())
    enough = _totals(year).filter(total__gte=required).values("deputy_id")
    # Hours are positive or unset (a constraint): a deputy has more than 0 hours exactly when
    # one of their courses has hours.
    trained = _training_attended(year).filter(activity__hours__gt=0).values("deputy_id")
    return TrainingGaps(
        below=active.exclude(pk__in=enough),
        untrained=active.exclude(pk__in=trained),
        short=_totals(year).filter(
            deputy_id__in=active.values("pk"), total__gt=0, total__lt=required
        ),
    )


# --- lightweight rows for calendars (the lead merges a calendar page) -----------------------------


@dataclass(frozen=True)
class ActivityRow:
    date: datetime.date
    time: datetime.time
    title: str
    kind: str
    kind_label: str
    place: str
    station: str
    status: str
    status_label: str
    url: str


def _local_kind_label(activity: Activity, labels: dict[str, dict[str, str]]) -> str:
    """The kind's label; a local kind's name comes from its station region's settings, read once
    per region and only when a row has a local kind (national kinds need no read)."""
    if activity.kind in ActivityKind.values:
        return kind_label(activity.kind)
    region = activity.region_id
    if region not in labels:
        labels[region] = kind_labels(region)
    return kind_label(activity.kind, labels[region])


def _rows(qs: QuerySet[Activity], url_name: str) -> list[ActivityRow]:
    rows = []
    labels: dict[str, dict[str, str]] = {}
    for a in qs.select_related("station"):
        local = a.starts_at.astimezone(ZoneInfo(settings.TIME_ZONE))
        rows.append(
            ActivityRow(
                date=local.date(),
                time=local.time(),
                title=a.title,
                kind=a.kind,
                kind_label=_local_kind_label(a, labels),
                place=a.place,
                station=a.station.name,
                status=a.status,
                status_label=str(Status(a.status).label),
                url=reverse(url_name, kwargs={"pk": a.pk}),
            )
        )
    return rows


def activities_in_range(
    *, user: AnyUser, start: datetime.date, end: datetime.date, station: Station | None = None
) -> list[ActivityRow]:
    """Visible activities (not cancelled) starting on a day in [start, end], by time."""
    zone = ZoneInfo(settings.TIME_ZONE)
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    qs = activities_visible_to(user).filter(starts_at__gte=low, starts_at__lt=high)
    if station is not None:
        qs = qs.filter(station=station)
    qs = qs.exclude(status=Status.CANCELLED).order_by("starts_at", "id")[:1000]
    return _rows(qs, "activities:detail")


def activities_upcoming_for_deputy(
    *, deputy: Deputy, today: datetime.date, limit: int = 10
) -> list[ActivityRow]:
    """Planned activities the deputy is invited to or organised, from `today` on."""
    zone = ZoneInfo(settings.TIME_ZONE)
    low = datetime.datetime.combine(today, datetime.time.min, tzinfo=zone)
    qs = (
        activities_of_deputy(deputy.pk)
        .filter(starts_at__gte=low, status=Status.PLANNED)
        .order_by("starts_at", "id")[:limit]
    )
    return _rows(qs, "activities:detail")


def deputies_near(stations: QuerySet[Station]) -> QuerySet[Deputy]:
    """Deputies who may take part in activities of any of `stations` (their counties)."""
    counties = {
        code_bounds(code, Level.COUNTY)
        for code in stations.values_list("region_id", flat=True).distinct()
    }
    if not counties:
        return Deputy.objects.none()
    condition = Q(pk__in=[])
    for low, high in sorted(counties)[:50]:
        condition |= Q(home_region_id__gte=low, home_region_id__lte=high)
        seats = Seat.objects.filter(congress_id__gte=low, congress_id__lte=high)
        assigned = StationDeputy.objects.filter(
            station__region_id__gte=low, station__region_id__lte=high
        )
        condition |= Q(pk__in=seats.values("deputy_id")) | Q(pk__in=assigned.values("deputy_id"))
    return Deputy.objects.filter(condition, is_active=True)


def posts_near(stations: QuerySet[Station]) -> QuerySet[Post]:
    """Active posts of grids run by `stations`, or of station-less grids in their counties."""
    codes = stations.values_list("region_id", flat=True).distinct()
    condition = Q(grid__station__in=stations.values("pk"))
    for low, high in sorted({code_bounds(code, Level.COUNTY) for code in codes})[:50]:
        condition |= Q(
            grid__station__isnull=True, grid__region_id__gte=low, grid__region_id__lte=high
        )
    return (
        Post.objects.filter(condition, is_active=True, grid__is_active=True)
        .select_related("grid")
        .order_by("grid__name", "name", "id")
    )


# --- a grid post's work log (handed to the grids app, apps.py) ----------------------------------


def post_work_log_activities(post: Post) -> QuerySet[Activity]:
    """The post's work log: verified activities done for it, newest first."""
    return (
        Activity.objects.filter(post=post, status=Status.VERIFIED)
        .select_related("station")
        .order_by("-starts_at", "-id")
    )


def post_work_log_rows(post: Post, limit: int) -> PostWorkLog:
    """The number of entries and the latest `limit` (two queries)."""
    qs = post_work_log_activities(post)
    zone = ZoneInfo(settings.TIME_ZONE)
    labels: dict[str, dict[str, str]] = {}
    rows = [
        WorkLogRow(
            date=a.starts_at.astimezone(zone).date(),
            title=a.title,
            kind=_local_kind_label(a, labels),
            url=reverse("activities:detail", kwargs={"pk": a.pk}),
        )
        for a in qs[:limit]
    ]
    full_url = reverse("activities:post_log", kwargs={"post_pk": post.pk})
    return PostWorkLog(count=qs.count(), rows=rows, full_url=full_url)
