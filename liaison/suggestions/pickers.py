"""What the draft page offers to add as sources, and whom station staff may draft for: each
list is one query and capped, so the page's cost does not grow with the scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser
from liaison.cases.models import Case
from liaison.cases.selectors import cases_visible_to
from liaison.reports.models import MonthlyReport, ReportStatus
from liaison.reports.selectors import reports_visible_to
from liaison.stations.models import Station
from liaison.suggestions.models import SourceKind, Suggestion
from liaison.suggestions.source_kinds import linkable_rows

CASE_CHOICES = 30
REPORT_CHOICES = 3  # the latest monthly reports whose hot topics are offered
ROW_CHOICES = 30


def cases_offered(user: AnyUser) -> QuerySet[Case]:
    """The newest cases the user may see (the picker's options)."""
    visible = cases_visible_to(user).order_by("-submitted_at")
    ids = list(visible.values_list("pk", flat=True)[:CASE_CHOICES])
    return Case.objects.filter(pk__in=ids).order_by("-submitted_at")


def hot_topics_offered(user: AnyUser) -> list[tuple[str, str]]:
    """("report:rank", label) of the hot topics of the latest finished monthly reports the user
    may see (one query)."""
    reports: list[MonthlyReport] = list(
        reports_visible_to(user)
        .filter(status=ReportStatus.DONE)
        .order_by("-month", "-pk")[:REPORT_CHOICES]
    )
    options: list[tuple[str, str]] = []
    for report in reports:
        scope = (
            report.station.name if report.station else report.region.name if report.region else ""
        )
        for topic in (report.data or {}).get("hot_topics") or []:
            label = _("%(month)s %(scope)s 热点%(rank)s：%(label)s") % {
                "month": report.month.strftime("%Y-%m"),
                "scope": scope,
                "rank": topic.get("rank"),
                "label": topic.get("label", ""),
            }
            options.append((f"{report.pk}:{topic.get('rank')}", label))
    return options


def linked_offered(user: AnyUser) -> dict[str, list[tuple[int, str]]]:
    """Reception records and verified activities the user may link (through `source_kinds`)."""
    return {
        kind: linkable_rows(kind, user, limit=ROW_CHOICES)
        for kind in (SourceKind.RECEPTION, SourceKind.ACTIVITY)
    }


def helper_stations(user: AnyUser) -> QuerySet[Station]:
    """Stations whose staff the user is (HELP_SUGGESTIONS): they may draft for its deputies."""
    scope = capability_scope(user, Capability.HELP_SUGGESTIONS)
    if scope.is_empty:
        return Station.objects.none()
    return Station.objects.filter(scope.q(region_field="region_id", station_path_field="path"))


def helped_suggestions(user: AnyUser) -> QuerySet[Suggestion]:
    """Suggestions drafted with the help of the user's stations, newest first."""
    scope = capability_scope(user, Capability.HELP_SUGGESTIONS)
    if scope.is_empty:
        return Suggestion.objects.none()
    return (
        Suggestion.objects.filter(
            scope.q(region_field="station__region_id", station_path_field="station__path")
        )
        .select_related("author", "lead_unit", "session__congress", "congress", "category")
        .order_by("-updated_at", "-pk")
    )
