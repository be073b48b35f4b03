"""One calendar for the workbench: entries from several apps merged and sorted.

Each source turns its own rows into `CalendarEntry` values; the staff calendar and the deputy's
"my duties" page call every registered source and sort what they return. Reception days, the
stations' pop-up appearances and duty activities are the sources; another is one more
`staff_source_add(...)` / `deputy_source_add(...)` call.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import User
from liaison.activities import selectors as activity_selectors
from liaison.activities.selectors import ActivityRow
from liaison.deputies.models import Deputy, StationDeputy
from liaison.receptions import selectors as reception_selectors
from liaison.receptions.models import DayStatus, ReceptionDay
from liaison.stations.models import Station, StationAppearance

MAX_ENTRIES: Final = 600  # a month view of a whole province is not read entry by entry


@dataclass(frozen=True)
class CalendarEntry:
    kind: str  # "reception", "appearance", … (a CSS class and a label)
    kind_label: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    title: str
    place: str
    url: str = ""
    status_label: str = ""
    people: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def date(self) -> datetime.date:
        return timezone.localdate(self.starts_at)


@dataclass(frozen=True)
class StaffQuery:
    user: User
    first: datetime.date
    last: datetime.date
    station_id: int | None = None
    status: str = ""


@dataclass(frozen=True)
class DeputyQuery:
    deputy: Deputy
    first: datetime.date
    last: datetime.date
    # Entries the page already built from rows it loaded (its reception days): a source that
    # would load the same rows again returns these instead.
    known: tuple[CalendarEntry, ...] = ()


StaffSource = Callable[[StaffQuery], list[CalendarEntry]]
DeputySource = Callable[[DeputyQuery], list[CalendarEntry]]
_staff_sources: list[StaffSource] = []
_deputy_sources: list[DeputySource] = []


def staff_source_add(source: StaffSource) -> None:
    _staff_sources.append(source)


def deputy_source_add(source: DeputySource) -> None:
    _deputy_sources.append(source)


def merged(entries: list[CalendarEntry]) -> list[CalendarEntry]:
    return sorted(entries, key=lambda e: (e.starts_at, e.kind, e.title))


def staff_entries(query: StaffQuery) -> list[CalendarEntry]:
    return merged([e for source in _staff_sources for e in source(query)])[:MAX_ENTRIES]


def deputy_entries(query: DeputyQuery) -> list[CalendarEntry]:
    return merged([e for source in _deputy_sources for e in source(query)])


# --- reception days ----------------------------------------------------------------------------


def reception_entry(day: ReceptionDay, *, url: str) -> CalendarEntry:
    return CalendarEntry(
        kind="reception",
        kind_label=_("接待日"),
        starts_at=day.starts_at,
        ends_at=day.ends_at,
        title=day.station.name,
        place=day.place,
        url=url,
        status_label=str(day.get_status_display()),
        people=tuple(d.deputy.name for d in getattr(day, "on_duty", [])),
        extra={"day": day},
    )


def staff_receptions(query: StaffQuery) -> list[CalendarEntry]:
    days = reception_selectors.days_filtered(
        reception_selectors.days_visible_to(query.user),
        reception_selectors.DayFilters(station_id=query.station_id, status=query.status),
    ).filter(date__gte=query.first, date__lte=query.last)
    days = reception_selectors.with_rota(days).order_by("starts_at", "id")[:MAX_ENTRIES]
    return [reception_entry(d, url=reverse("receptions:day", kwargs={"pk": d.pk})) for d in days]


def deputy_receptions(query: DeputyQuery) -> list[CalendarEntry]:
    if query.known:
        return [e for e in query.known if e.kind == "reception"]
    days = (
        ReceptionDay.objects.filter(
            duties__deputy=query.deputy,
            duties__status="on_duty",
            date__gte=query.first,
            date__lte=query.last,
        )
        .exclude(status=DayStatus.CANCELLED)
        .distinct()
    )
    days = reception_selectors.with_rota(days).order_by("starts_at", "id")
    return [reception_entry(d, url="") for d in days]


# --- pop-up appearances of mobile and market stations -------------------------------------------


def _bounds(
    first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time())
    )
    return start, end


def appearance_entry(appearance: StationAppearance) -> CalendarEntry:
    return CalendarEntry(
        kind="appearance",
        kind_label=_("出摊"),
        starts_at=appearance.starts_at,
        ends_at=appearance.ends_at,
        title=appearance.station.name,
        place=appearance.place,
        url=reverse("stations:detail", kwargs={"pk": appearance.station_id}),
        status_label=appearance.note,
    )


def staff_appearances(query: StaffQuery) -> list[CalendarEntry]:
    if query.status:  # the status filter is about reception days
        return []
    scope = capability_scope(query.user, Capability.VIEW_STATIONS, Capability.VIEW_RECEPTIONS)
    start, end = _bounds(query.first, query.last)
    rows = StationAppearance.objects.filter(
        scope.q(region_field="station__region_id", station_path_field="station__path"),
        starts_at__lt=end,
        ends_at__gt=start,
    )
    if query.station_id:
        rows = rows.filter(station_id=query.station_id)
    rows = rows.select_related("station").order_by("starts_at")[:MAX_ENTRIES]
    return [appearance_entry(a) for a in rows]


def deputy_appearances(query: DeputyQuery) -> list[CalendarEntry]:
    """Pop-ups of the stations the deputy is assigned to now."""
    start, end = _bounds(query.first, query.last)
    today = timezone.localdate()
    stations = StationDeputy.objects.filter(deputy=query.deputy).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    rows = (
        StationAppearance.objects.filter(
            station_id__in=stations.values("station_id"), starts_at__lt=end, ends_at__gt=start
        )
        .select_related("station")
        .order_by("starts_at")[:100]
    )
    return [
        CalendarEntry(
            kind="appearance",
            kind_label=_("出摊"),
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            title=a.station.name,
            place=a.place,
            status_label=a.note,
        )
        for a in rows
    ]


# --- duty activities ---------------------------------------------------------------------------


def activity_entry(row: ActivityRow) -> CalendarEntry:
    # Activities carry their start only; the calendar shows them at that time.
    starts_at = timezone.make_aware(datetime.datetime.combine(row.date, row.time))
    return CalendarEntry(
        kind="activity",
        kind_label=row.kind_label,
        starts_at=starts_at,
        ends_at=starts_at,
        title=row.title,
        place=row.place,
        url=row.url,
        status_label=row.status_label,
    )


def staff_activities(query: StaffQuery) -> list[CalendarEntry]:
    if query.status:  # the status filter is about reception days
        return []
    station = Station(pk=query.station_id) if query.station_id else None
    rows = activity_selectors.activities_in_range(
        user=query.user, start=query.first, end=query.last, station=station
    )
    return [activity_entry(row) for row in rows[:MAX_ENTRIES]]


def deputy_activities(query: DeputyQuery) -> list[CalendarEntry]:
    rows = activity_selectors.activities_upcoming_for_deputy(
        deputy=query.deputy, today=query.first, limit=100
    )
    return [activity_entry(row) for row in rows if row.date <= query.last]


staff_source_add(staff_receptions)
staff_source_add(staff_appearances)
deputy_source_add(deputy_receptions)
deputy_source_add(deputy_appearances)
staff_source_add(staff_activities)
deputy_source_add(deputy_activities)
