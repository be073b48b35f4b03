"""Scoped reads of reception days for staff and for the deputy on duty."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser
from liaison.deputies.models import Deputy, StationDeputy
from liaison.deputies.selectors import deputies_visible_to
from liaison.receptions.models import (
    DutyStatus,
    ReceptionDay,
    ReceptionDuty,
    ReceptionItem,
    ReceptionSchedule,
    SwapRequest,
    SwapStatus,
)
from liaison.receptions.permissions import deputy_of
from liaison.regions.models import Region
from liaison.regions.selectors import region_subtree_q
from liaison.stations.models import Station


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _station_q(user: AnyUser, capability: Capability, prefix: str = "") -> Q:
    scope = capability_scope(user, capability)
    return scope.q(region_field=f"{prefix}region_id", station_path_field=f"{prefix}station__path")


def days_visible_to(user: AnyUser) -> QuerySet[ReceptionDay]:
    """Reception days of the stations in the user's scope (VIEW_RECEPTIONS)."""
    return ReceptionDay.objects.filter(_station_q(user, Capability.VIEW_RECEPTIONS))


def day_get_for_user(user: AnyUser, pk: int) -> ReceptionDay:
    try:
        return days_visible_to(user).select_related("station", "schedule").get(pk=pk)
    except ReceptionDay.DoesNotExist:
        raise Http404("reception day not in scope") from None


def day_for_recorder(user: AnyUser, pk: int) -> ReceptionDay:
    """A day the user may see: in their reception scope, or one they are on duty at."""
    deputy = deputy_of(user)
    condition = _station_q(user, Capability.VIEW_RECEPTIONS)
    if deputy is not None:
        on_duty = ReceptionDuty.objects.filter(deputy=deputy, status=DutyStatus.ON_DUTY)
        condition |= Q(pk__in=on_duty.values("day_id"))
    day = ReceptionDay.objects.filter(condition, pk=pk).select_related("station").first()
    if day is None:
        raise Http404("reception day not in scope")
    return day


def schedules_visible_to(user: AnyUser) -> QuerySet[ReceptionSchedule]:
    scope = capability_scope(user, Capability.VIEW_RECEPTIONS)
    condition = scope.q(region_field="station__region_id", station_path_field="station__path")
    return ReceptionSchedule.objects.filter(condition).select_related("station")


def schedule_get_for_user(user: AnyUser, pk: int) -> ReceptionSchedule:
    try:
        return schedules_visible_to(user).get(pk=pk)
    except ReceptionSchedule.DoesNotExist:
        raise Http404("schedule not in scope") from None


def stations_for(user: AnyUser, capability: Capability) -> QuerySet[Station]:
    """Stations where the user holds `capability` (the filters' and forms' choices)."""
    scope = capability_scope(user, capability)
    return Station.objects.filter(
        scope.q(region_field="region_id", station_path_field="path")
    ).order_by("region_id", "name")


@dataclass(frozen=True)
class DayFilters:
    station_id: int | None = None
    month: datetime.date | None = None  # the first day of the month
    status: str = ""


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def days_filtered(days: QuerySet[ReceptionDay], filters: DayFilters) -> QuerySet[ReceptionDay]:
    if filters.station_id:
        days = days.filter(station_id=filters.station_id)
    if filters.month:
        first, last = month_bounds(filters.month)
        days = days.filter(date__gte=first, date__lte=last)
    if filters.status:
        days = days.filter(status=filters.status)
    return days


def with_rota(days: QuerySet[ReceptionDay]) -> QuerySet[ReceptionDay]:
    """Days with their station and the deputies on duty (two queries for any page size)."""
    on_duty = (
        ReceptionDuty.objects.filter(status=DutyStatus.ON_DUTY)
        .select_related("deputy")
        .order_by("deputy__name", "id")
    )
    return days.select_related("station").prefetch_related(
        Prefetch("duties", queryset=on_duty, to_attr="on_duty")
    )


def day_duties(day: ReceptionDay) -> list[ReceptionDuty]:
    return list(
        day.duties.filter(status=DutyStatus.ON_DUTY)
        .select_related("deputy", "confirmed_by")
        .order_by("deputy__name", "id")
    )


def day_swaps(day: ReceptionDay) -> list[SwapRequest]:
    return list(
        SwapRequest.objects.filter(duty__day=day)
        .select_related("duty__deputy", "replacement", "requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )


def swaps_pending_for(user: AnyUser) -> QuerySet[SwapRequest]:
    """Pending swap requests at stations the user schedules."""
    return (
        SwapRequest.objects.filter(
            _station_q(user, Capability.SCHEDULE_RECEPTIONS, "duty__day__"),
            status=SwapStatus.PENDING,
        )
        .select_related("duty__day__station", "duty__deputy", "replacement")
        .order_by("duty__day__date", "id")
    )


def deputies_assignable(user: AnyUser) -> QuerySet[Deputy]:
    """Deputies in office the user may put on a rota."""
    return deputies_visible_to(user).filter(is_active=True).order_by("name", "id")


# --- the deputy's own --------------------------------------------------------------------------


def duties_of(
    deputy: Deputy, *, since: datetime.date, until: datetime.date | None = None
) -> QuerySet[ReceptionDuty]:
    """The deputy's duties between `since` and `until`, with the day, its station and who else
    is on duty (two queries); pending swaps come separately (`swaps_pending_of`)."""
    duties = ReceptionDuty.objects.filter(
        deputy=deputy, status=DutyStatus.ON_DUTY, day__date__gte=since
    )
    if until is not None:
        duties = duties.filter(day__date__lte=until)
    on_duty = (
        ReceptionDuty.objects.filter(status=DutyStatus.ON_DUTY)
        .select_related("deputy")
        .order_by("deputy__name", "id")
    )
    return (
        duties.select_related("day__station")
        .prefetch_related(Prefetch("day__duties", queryset=on_duty, to_attr="on_duty"))
        .order_by("day__starts_at", "id")
    )


def swaps_pending_of(user: AnyUser) -> dict[int, SwapRequest]:
    """The user's own pending swap requests by duty."""
    pending = SwapRequest.objects.filter(requested_by_id=user.pk, status=SwapStatus.PENDING)
    return {s.duty_id: s for s in pending}


def items_taken_by(deputy: Deputy, *, limit: int = 50) -> list[ReceptionItem]:
    """Items raised at receptions and taken by the deputy, newest first, with their cases."""
    return list(
        ReceptionItem.objects.filter(deputy=deputy)
        .select_related("case", "reception__day__station")
        .order_by("-reception__day__date", "-id")[:limit]
    )


# --- attendance against the yearly minimum ----------------------------------------------------


def attendance_gaps(
    user: AnyUser,
    *,
    year: int,
    minimum: int,
    region: Region | None = None,
    station: Station | None = None,
) -> QuerySet[Deputy]:
    """Deputies in office in the user's scope who attended fewer than `minimum` reception days
    in `year`: those assigned to `station`, or with their home in `region`'s subtree."""
    deputies = deputies_visible_to(user).filter(is_active=True)
    if station is not None:
        assigned = StationDeputy.objects.filter(station=station).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=datetime.date(year, 1, 1))
        )
        deputies = deputies.filter(pk__in=assigned.values("deputy_id"))
    elif region is not None:
        deputies = deputies.filter(region_subtree_q(region, field="home_region_id"))
    attended = Count(
        "reception_duties",
        filter=Q(
            reception_duties__present=True, reception_duties__day__date__range=_year_range(year)
        ),
    )
    return (
        deputies.annotate(attended=attended)
        .filter(attended__lt=minimum)
        .select_related("home_region")
        .order_by("attended", "name", "id")
    )


# --- stations below the monthly minimum (setting reception_days_per_month) ----------------------


def stations_below_monthly(
    user: AnyUser, *, month: datetime.date, minimum: int, limit: int = 50
) -> list[Station]:
    """Open stations in the user's scope with fewer than `minimum` live reception days in
    `month` (each with `.days_in_month`), fewest first; one query."""
    first, last = month_bounds(month)
    days = Count(
        "reception_days",
        filter=Q(reception_days__date__gte=first, reception_days__date__lte=last)
        & ~Q(reception_days__status="cancelled"),
    )
    stations = (
        stations_for(user, Capability.VIEW_RECEPTIONS)
        .filter(status="active")
        .annotate(days_in_month=days)
        .filter(days_in_month__lt=minimum)
        .order_by("days_in_month", "region_id", "name")
    )
    return list(stations[:limit])
