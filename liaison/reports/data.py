"""The numbers of a monthly report, as a JSON-ready snapshot (`report_data`).

The cohort follows docs/kpis.md: cases *submitted* in the month within the scope, merged duplicates
and withdrawn cases left out (merged ones are counted separately). Every breakdown is compared with
the previous month and the same month last year (change in %, None when the base is 0).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import Membership, Role, User
from liaison.cases.models import OPEN_STATUSES, Case, Channel, Kind, Rating, Status
from liaison.common.masking import mask_text
from liaison.regions.models import PREFIX_LENGTH, Level, Region
from liaison.reports.models import MonthlyReport
from liaison.taxonomy.categories import SUGGESTED, counted_category

_EXCLUDED = [Status.MERGED, Status.WITHDRAWN]
LIST_LIMIT = 50
_CHILD_LEVEL = {
    Level.PROVINCE: Level.CITY,
    Level.CITY: Level.COUNTY,
    Level.COUNTY: Level.TOWNSHIP,
    Level.TOWNSHIP: Level.VILLAGE,
}


def shift_month(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return shift_month(month, 1) - datetime.timedelta(days=1)


def change(current: int, base: int) -> float | None:
    """Percent change from `base` to `current`, one decimal; None when there is no base."""
    return round((current - base) * 100 / base, 1) if base else None


def scope_principal(report: MonthlyReport) -> User:
    """An unsaved user who sees exactly the report's scope, for `kpis_for` and the selectors.

    Scheduled reports have no requester, and a requester's own view may be wider than the scope.
    """
    principal = User(username="report-scope", is_active=True)
    station = report.station
    if station is not None:
        membership = Membership(
            role=Role.STATION_HEAD,
            kind=Membership.Kind.STATION,
            station_path=station.path,
            region_id=station.region_id,
        )
    else:
        membership = Membership(
            role=Role.CONGRESS_STAFF, kind=Membership.Kind.REGION, region=report.region
        )
    # The cache `memberships_of` reads first (accounts/scoping.py).
    vars(principal)["_liaison_memberships"] = [membership]
    return principal


def scope_cases(report: MonthlyReport) -> QuerySet[Case]:
    """Every case of the scope (any status, any date)."""
    if report.station is not None:
        return Case.objects.filter(station__path__startswith=report.station.path)
    assert report.region is not None  # a report has a station or a region (a constraint)
    low, high = report.region.bounds
    return Case.objects.filter(region_id__gte=low, region_id__lte=high)


def _in_month(cases: QuerySet[Case], month: datetime.date, field: str = "submitted_at") -> Any:
    return cases.filter(**{f"{field}__date__gte": month, f"{field}__date__lte": month_end(month)})


def _child_prefix_length(report: MonthlyReport) -> int:
    if report.station_id:
        return PREFIX_LENGTH[Level.VILLAGE]  # a station's cases, by the region they come from
    assert report.region is not None
    level = _CHILD_LEVEL.get(Level(report.region.level), Level.VILLAGE)
    return PREFIX_LENGTH[level]


def _counts(cases: QuerySet[Case], report: MonthlyReport) -> dict[str, Counter[str]]:
    """Counters by channel, kind, first-level category (and how many of those are only
    suggested) and child region, in one query."""
    rows = (
        cases.order_by()
        .values(
            "channel",
            "kind",
            "category__path",
            "hint_label",
            "hint_needs_review",
            "region_id",
        )
        .annotate(n=Count("pk"))
    )
    length = _child_prefix_length(report)
    result: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        n = row["n"]
        result["channel"][row["channel"]] += n
        result["kind"][row["kind"]] += n
        # A confident suggestion counts, marked (decision 0007): without it nearly every case
        # was 未分类 until someone clicked 采用.
        top, source = counted_category(
            path=row["category__path"],
            hint_label=row["hint_label"] or "",
            needs_review=row["hint_needs_review"],
        )
        result["category"][top] += n
        if source == SUGGESTED:
            result["category_suggested"][top] += n
        result["region"][row["region_id"][:length].ljust(12, "0")] += n
        result["total"]["all"] += n
    return result


def _rows(
    keys: Iterable[str], labels: dict[str, str], now: Counter[str], prev: Counter[str],
    year: Counter[str],
) -> list[dict[str, Any]]:  # fmt: skip
    rows = [
        {
            "key": key,
            "label": labels.get(key) or key or _("未分类（待人工分类）"),
            "current": now[key],
            "prev": prev[key],
            "last_year": year[key],
            "mom": change(now[key], prev[key]),
            "yoy": change(now[key], year[key]),
        }
        for key in keys
    ]
    rows = [r for r in rows if r["current"] or r["prev"] or r["last_year"]]
    return sorted(rows, key=lambda r: (-r["current"], -r["prev"], r["label"]))


def _volumes(report: MonthlyReport, month: datetime.date) -> dict[str, Any]:
    base = scope_cases(report).exclude(status__in=_EXCLUDED)
    now = _counts(_in_month(base, month), report)
    prev = _counts(_in_month(base, shift_month(month, -1)), report)
    year = _counts(_in_month(base, shift_month(month, -12)), report)
    region_keys = set(now["region"]) | set(prev["region"]) | set(year["region"])
    region_names = dict(Region.objects.filter(code__in=region_keys).values_list("code", "name"))
    dims: dict[str, tuple[Iterable[str], dict[str, str]]] = {
        "channel": (Channel.values, {k: str(v) for k, v in Channel.choices}),
        "kind": (Kind.values, {k: str(v) for k, v in Kind.choices}),
        "category": (set(now["category"]) | set(prev["category"]) | set(year["category"]), {}),
        "region": (region_keys, region_names),
    }
    result: dict[str, Any] = {
        name: _rows(keys, labels, now[name], prev[name], year[name])
        for name, (keys, labels) in dims.items()
    }
    total = now["total"]["all"], prev["total"]["all"], year["total"]["all"]
    for row in result["category"]:
        row["suggested"] = now["category_suggested"][row["key"]]
    result["total"] = {
        "current": total[0],
        "prev": total[1],
        "last_year": total[2],
        "mom": change(total[0], total[1]),
        "yoy": change(total[0], total[2]),
    }
    return result


def _case_row(case: Case) -> dict[str, Any]:
    return {
        "tracking_code": case.tracking_code,
        "title": mask_text(case.title),
        "unit": case.unit.name if case.unit is not None else "",
        "reply_due": case.reply_due.isoformat() if case.reply_due else "",
        "status": str(case.get_status_display()),
    }


def _overdue(report: MonthlyReport, month: datetime.date, today: datetime.date) -> dict[str, Any]:
    """Cases whose reply was overdue during the month: still open past the due date at the end
    of the month (or today), or replied in the month after the due date."""
    end = min(month_end(month), today)
    cases = scope_cases(report).filter(reply_due__isnull=False, reply_due__lt=end)
    still_open = Q(status__in=OPEN_STATUSES - {Status.REPLIED}, replied_at__isnull=True)
    late_in_month = Q(
        replied_at__date__gte=month,
        replied_at__date__lte=month_end(month),
        replied_at__date__gt=F("reply_due"),
    )
    overdue = cases.filter(still_open | late_in_month).select_related("unit")
    return {
        "count": overdue.count(),
        "rows": [_case_row(c) for c in overdue.order_by("reply_due", "id")[:LIST_LIMIT]],
    }


def _unsatisfied(report: MonthlyReport, month: datetime.date) -> dict[str, Any]:
    cases = _in_month(scope_cases(report), month, "rated_at").filter(rating=Rating.UNSATISFIED)
    cases = cases.select_related("unit")
    return {
        "count": cases.count(),
        "rows": [_case_row(c) for c in cases.order_by("rated_at", "id")[:LIST_LIMIT]],
    }


def _kpis(report: MonthlyReport, month: datetime.date, today: datetime.date) -> dict[str, Any]:
    from liaison.cases.kpis import kpis_for

    kpis = kpis_for(scope_principal(report), date_from=month, date_to=month_end(month), today=today)
    return {
        "total": kpis.total,
        "acceptance_rate": kpis.acceptance_rate,
        "on_time_reply_rate": kpis.on_time_reply_rate,
        "resolution_rate": kpis.resolution_rate,
        "satisfaction_rate": kpis.satisfaction_rate,
        "avg_reply_working_days": kpis.avg_reply_working_days,
        "rated": kpis.rated,
    }


def report_data(*, report: MonthlyReport, today: datetime.date | None = None) -> dict[str, Any]:
    """The whole snapshot of one report (without charts; see `liaison.reports.charts`)."""
    from liaison.reports import rules
    from liaison.reports.hot import hot_topics
    from liaison.reports.quality import quality_by_unit, thresholds

    today = today or timezone.localdate()
    month = report.month
    volumes = _volumes(report, month)
    merged = _in_month(scope_cases(report), month).filter(status=Status.MERGED).count()
    topics = hot_topics(report=report, month=month)
    units = quality_by_unit(cases=scope_cases(report), month=month)
    limits = thresholds(report)
    return {
        "scope": {
            "kind": "station" if report.station_id else "region",
            "name": report.scope_name,
        },
        "month": month.isoformat()[:7],
        "month_label": report.month_label,
        "prev_month": shift_month(month, -1).isoformat()[:7],
        "last_year_month": shift_month(month, -12).isoformat()[:7],
        **volumes,
        "merged": merged,
        "kpis": _kpis(report, month, today),
        "hot_topics": topics["topics"],
        "hot_topics_available": topics["available"],
        "overdue": _overdue(report, month, today),
        "unsatisfied": _unsatisfied(report, month),
        "reply_quality": units,
        "suggestions": rules.follow_ups(
            topics=topics["topics"],
            categories=volumes["category"],
            thresholds=limits,
        ),
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
