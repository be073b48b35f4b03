"""Scoped reads of monthly reports, and the reply-quality selectors for supervision."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser, Scope
from liaison.regions.models import Region
from liaison.reports.models import MonthlyReport
from liaison.reports.quality import unit_reply_quality, units_with_low_reply_quality
from liaison.stations.models import Station

__all__ = [
    "report_get_for_user",
    "reports_visible_to",
    "scope_allows",
    "unit_reply_quality",
    "units_with_low_reply_quality",
]

# Congress staff (OVERSEE_REGION) see their regions' reports and those of every station in them;
# station staff (RUN_STATION) see their station's (and sub-stations') reports. The system admin
# does not (三权分立).


def reports_visible_to(user: AnyUser) -> QuerySet[MonthlyReport]:
    """Reports whose scope lies inside the user's jurisdiction."""
    if not user.is_authenticated:
        return MonthlyReport.objects.none()
    regions = capability_scope(user, Capability.OVERSEE_REGION)
    stations = capability_scope(user, Capability.RUN_STATION)
    condition = (
        regions.q(region_field="region_id")
        | regions.q(region_field="station__region_id")
        | Scope(station_paths=stations.station_paths).q(
            region_field="station__region_id", station_path_field="station__path"
        )
    )
    return MonthlyReport.objects.filter(condition).select_related("region", "station")


def report_get_for_user(user: AnyUser, pk: int) -> MonthlyReport:
    """One report in the user's view, or Http404."""
    try:
        return reports_visible_to(user).get(pk=pk)
    except (MonthlyReport.DoesNotExist, ValueError, TypeError):
        raise Http404("report not in scope") from None


def scope_allows(
    user: AnyUser, *, region: Region | None = None, station: Station | None = None
) -> bool:
    """Whether the user may ask for a report of `region` or `station`."""
    regions = capability_scope(user, Capability.OVERSEE_REGION)
    if region is not None:
        return regions.covers_region(region.code)
    if station is not None:
        paths = capability_scope(user, Capability.RUN_STATION).station_paths
        return regions.covers_region(station.region_id) or any(
            station.path.startswith(p) for p in paths
        )
    return False
