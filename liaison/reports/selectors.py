"""Scoped reads of monthly reports, and the reply-quality selectors for supervision."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from liaison.accounts.scoping import AnyUser, Scope, scope_for
from liaison.cases.permissions import REGION_ROLES, STATION_ROLES
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

# Congress staff see their regions' reports and those of every station in them; station staff see
# their station's (and sub-stations') reports. The system admin does not (三权分立).
REPORT_ROLES = REGION_ROLES | STATION_ROLES


def reports_visible_to(user: AnyUser) -> QuerySet[MonthlyReport]:
    """Reports whose scope lies inside the user's jurisdiction."""
    if not user.is_authenticated:
        return MonthlyReport.objects.none()
    regions = scope_for(user, REGION_ROLES)
    stations = scope_for(user, STATION_ROLES)
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
    if region is not None:
        return scope_for(user, REGION_ROLES).covers_region(region.code)
    if station is not None:
        return scope_for(user, REGION_ROLES).covers_region(station.region_id) or any(
            station.path.startswith(p) for p in scope_for(user, STATION_ROLES).station_paths
        )
    return False
