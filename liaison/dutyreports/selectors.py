"""Scoped reads of duty reports, the term rule, and what other apps read from this one.

Only a held or published report counts anywhere (the term rule, duty points, the deputy's file):
`HELD_STATUSES`. Staff lists show every status.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser
from liaison.deputies.models import Deputy, DeputyLevel, Seat, StationDeputy
from liaison.dutyreports.models import HELD_STATUSES, DutyReport, Status, Verdict
from liaison.dutyreports.permissions import deputy_id_of, report_actors
from liaison.stations.models import Station

# The seats the term rule is about (each county and township deputy reports once per term).
RULE_LEVELS = (DeputyLevel.COUNTY, DeputyLevel.TOWNSHIP)


def with_counts(qs: QuerySet[DutyReport]) -> QuerySet[DutyReport]:
    """Each report with its rating counts by verdict (one grouped query with the rows)."""
    return qs.annotate(
        satisfied=Count("ratings", filter=Q(ratings__verdict=Verdict.SATISFIED)),
        basic=Count("ratings", filter=Q(ratings__verdict=Verdict.BASIC)),
        unsatisfied=Count("ratings", filter=Q(ratings__verdict=Verdict.UNSATISFIED)),
    )


# --- staff ------------------------------------------------------------------------------------


def reports_visible_to(user: AnyUser) -> QuerySet[DutyReport]:
    """Reports of the stations where the user may view duty reports, and a deputy's own."""
    scope = capability_scope(user, Capability.VIEW_DUTY_REPORTS)
    condition = scope.q(region_field="region_id", station_path_field="station__path")
    deputy_id = deputy_id_of(user)
    if deputy_id is not None:
        condition |= Q(deputy_id=deputy_id)
    return DutyReport.objects.filter(condition)


def report_list(
    user: AnyUser, *, station: Station | None = None, status: str = ""
) -> QuerySet[DutyReport]:
    """The staff list: visible reports, filtered, with deputy, station and rating counts."""
    qs = reports_visible_to(user)
    if station is not None:
        qs = qs.filter(station=station)
    if status:
        qs = qs.filter(status=status)
    return with_counts(qs.select_related("deputy", "station")).order_by("-starts_at", "-id")


def report_get_for_user(user: AnyUser, pk: int) -> DutyReport:
    """One report the user acts on (staff of its station, or its deputy), or Http404."""
    report = DutyReport.objects.filter(pk=pk).select_related("deputy", "station").first()
    if report is None or not report_actors(user, report):
        raise Http404("duty report not in scope")
    return report


def rating_counts(report: DutyReport) -> dict[str, int]:
    """The number of ratings of each verdict (every verdict present, zeros included)."""
    rows = report.ratings.values_list("verdict").annotate(n=Count("id"))
    counts = {value: 0 for value in Verdict.values}
    counts.update({verdict: n for verdict, n in rows})
    return counts


def stations_for(user: AnyUser, capability: Capability) -> QuerySet[Station]:
    """Stations where the user holds `capability` (the filters' and forms' choices)."""
    scope = capability_scope(user, capability)
    return Station.objects.filter(
        scope.q(region_field="region_id", station_path_field="path")
    ).order_by("region_id", "name")


def deputies_at(stations: QuerySet[Station]) -> QuerySet[Deputy]:
    """Deputies in office with a current assignment to one of `stations`."""
    at = StationDeputy.objects.filter(station__in=stations, ends_on__isnull=True)
    return Deputy.objects.filter(is_active=True, pk__in=at.values("deputy_id")).order_by("name")


# --- the term rule: each county and township deputy reports at least once per term -------------


def not_reported(deputies: QuerySet[Deputy], *, today: datetime.date) -> QuerySet[Deputy]:
    """Of `deputies`, those in office with a current county or township seat who have not held a
    report since that term began (the earliest such seat's start), with `term_start`."""
    current = Seat.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        deputy=OuterRef("pk"),
        level__in=RULE_LEVELS,
        starts_on__lte=today,
    )
    start = current.values("deputy").annotate(first=Min("starts_on")).values("first")
    qs = deputies.filter(is_active=True).annotate(term_start=Subquery(start[:1]))
    held = DutyReport.objects.filter(
        deputy=OuterRef("pk"),
        status__in=HELD_STATUSES,
        starts_at__date__gte=OuterRef("term_start"),
    )
    return (
        qs.filter(term_start__isnull=False)
        .exclude(Exists(held))
        .order_by("term_start", "name", "id")
    )


# --- what other apps read (duty points, the deputy's file) -------------------------------------


@dataclass(frozen=True)
class DutyReportSummary:
    """A held or published report as other apps see it."""

    report_id: int
    deputy_id: int
    title: str
    date: datetime.date
    place: str
    station: str
    status: str
    satisfied: int
    basic: int
    unsatisfied: int

    @property
    def ratings(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied


def _summaries(qs: QuerySet[DutyReport]) -> list[DutyReportSummary]:
    rows = with_counts(qs.filter(status__in=HELD_STATUSES).select_related("station"))
    result = []
    for r in rows.order_by("starts_at", "id"):
        local = timezone.localtime(r.starts_at)
        result.append(
            DutyReportSummary(
                report_id=r.pk,
                deputy_id=r.deputy_id,
                title=r.title,
                date=local.date(),
                place=r.place,
                station=r.station.name,
                status=r.status,
                satisfied=r.satisfied,  # type: ignore[attr-defined]
                basic=r.basic,  # type: ignore[attr-defined]
                unsatisfied=r.unsatisfied,  # type: ignore[attr-defined]
            )
        )
    return result


def duty_reports_held(
    *, deputies: Iterable[Deputy | int], start: datetime.date, end: datetime.date
) -> dict[int, list[DutyReportSummary]]:
    """The held or published reports of `deputies` whose meeting fell in [start, end], per
    deputy id (deputies without one are absent). One query whatever the number of deputies."""
    ids = [d if isinstance(d, int) else d.pk for d in deputies]
    qs = DutyReport.objects.filter(
        deputy_id__in=ids, starts_at__date__gte=start, starts_at__date__lte=end
    )
    result: dict[int, list[DutyReportSummary]] = defaultdict(list)
    for row in _summaries(qs):
        result[row.deputy_id].append(row)
    return dict(result)


def deputy_duty_reports(*, deputy: Deputy | int, year: int) -> list[DutyReportSummary]:
    """The deputy's held or published reports of `year`, oldest first, with rating counts."""
    deputy_id = deputy if isinstance(deputy, int) else deputy.pk
    return _summaries(DutyReport.objects.filter(deputy_id=deputy_id, starts_at__year=year))


def status_choices() -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in Status.choices]
