"""KPIs of the closed loop for a scope and a period; definitions in docs/kpis.md.

The cohort is the cases *submitted* in the period within the user's view (merged duplicates and
withdrawn cases left out). Counts come from one aggregate query; the average working days to reply
loads (region, assigned_at, replied_at) of the cohort's replied cases in one more query and counts
working days in Python with calendars built from one query of overrides.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.cases import queues
from liaison.cases.models import Case, Rating, Status
from liaison.cases.queues import PageCalendars
from liaison.cases.selectors import cases_visible_to
from liaison.common.hotcache import HotCache
from liaison.regions.models import Level, Region
from liaison.regions.selectors import region_subtree_q

_EXCLUDED = [Status.MERGED, Status.WITHDRAWN]


@dataclass(frozen=True)
class Kpis:
    total: int
    accepted: int
    declined: int
    due_or_replied: int  # assigned cases whose reply was due by today or has been given
    replied_on_time: int
    rated: int
    satisfied: int
    basic: int
    replied_with_days: int
    avg_reply_working_days: float | None

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part * 100 / whole, 1) if whole else None

    @property
    def acceptance_rate(self) -> float | None:
        return self._rate(self.accepted, self.accepted + self.declined)

    @property
    def on_time_reply_rate(self) -> float | None:
        return self._rate(self.replied_on_time, self.due_or_replied)

    @property
    def resolution_rate(self) -> float | None:
        return self._rate(self.satisfied + self.basic, self.rated)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.rated)


def kpi_cases(
    user: Any,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    region: Any = None,
) -> QuerySet[Case]:
    """The cohort: cases submitted in the period, in the user's view (and `region`)."""

    cases = cases_visible_to(user).exclude(status__in=_EXCLUDED)
    if date_from:
        cases = cases.filter(submitted_at__date__gte=date_from)
    if date_to:
        cases = cases.filter(submitted_at__date__lte=date_to)
    if region is not None:
        cases = cases.filter(region_subtree_q(region, "region_id"))
    return cases


def kpi_region_choices(user: Any) -> QuerySet[Region]:
    """Regions the KPI page may narrow to: the user's regional scope, down to townships.

    Station staff (scoped to stations, not regions) get none: their cohort is already their
    stations. Villages are left out, as no case is filed against a village alone.
    """

    scope = capability_scope(user, Capability.OVERSEE_REGION)
    if not scope.regions:
        return Region.objects.none()
    return (
        Region.objects.filter(scope.q(region_field="code"))
        .exclude(level=Level.VILLAGE)
        .select_related("parent")
        .order_by("code")
    )


def _avg_reply_days(cases: QuerySet[Case]) -> tuple[int, float | None]:

    rows = list(
        cases.filter(assigned_at__isnull=False, replied_at__isnull=False)
        .order_by()
        .values_list("region_id", "assigned_at", "replied_at")
    )
    if not rows:
        return 0, None
    days = [
        (region, timezone.localdate(assigned), timezone.localdate(replied))
        for region, assigned, replied in rows
    ]
    years = [d.year for _r, a, b in days for d in (a, b)]
    calendars = PageCalendars({r for r, _a, _b in days}, start=min(years), end=max(years))
    total = sum(
        max(0, calendars.for_region(region).working_days_between(start, end))
        for region, start, end in days
    )
    return len(days), round(total / len(days), 1)


def kpis_for(
    user: Any,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    region: Any = None,
    today: datetime.date | None = None,
) -> Kpis:
    """The KPIs of the cohort (see docs/kpis.md): one aggregate plus the reply-days query,
    remembered per process for HOT_CACHE_SECONDS."""
    today = today or timezone.localdate()
    cases = kpi_cases(user, date_from=date_from, date_to=date_to, region=region)
    try:
        sql, params = cases.query.get_compiler(using=cases.db).as_sql()
    except EmptyResultSet:
        return _kpis_compute(cases, today)
    # Keyed by the cohort's SQL, which holds the user's scope (as the option lists, decision
    # 0029): two scopes never share an entry.
    key = (cases.db, sql, tuple(map(str, params)), today)
    return _kpis.get(key, lambda: _kpis_compute(cases, today))


# The year's KPIs are most of the staff home page and the KPI page (an aggregate over every case
# of the period, then working days counted in Python); a figure a few seconds old is as good.
_kpis: HotCache[Kpis] = HotCache("kpis", max_entries=1_000)


def _kpis_compute(cases: QuerySet[Case], today: datetime.date) -> Kpis:
    assigned = Q(reply_due__isnull=False, assigned_at__isnull=False)
    replied = Q(replied_at__isnull=False)
    counts = (
        cases.order_by()
        .annotate(replied_day=TruncDate("replied_at"))
        .aggregate(
            total=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
            declined=Count("pk", filter=Q(status=Status.DECLINED)),
            due_or_replied=Count("pk", filter=assigned & (replied | Q(reply_due__lt=today))),
            replied_on_time=Count(
                "pk", filter=assigned & replied & Q(replied_day__lte=F("reply_due"))
            ),
            rated=Count("pk", filter=~Q(rating="")),
            satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
            basic=Count("pk", filter=Q(rating=Rating.BASIC)),
        )
    )
    replied_count, average = _avg_reply_days(cases)
    return Kpis(
        **{k: int(v or 0) for k, v in counts.items()},
        replied_with_days=replied_count,
        avg_reply_working_days=average,
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def kpi_cards(user: Any) -> list[dict[str, Any]]:
    """Cards for the workbench home: what waits for the user, overdue, and this year's ratings.

    Returns [] for users who do not work on cases. Same shape as liaison.workbench.dashboard cards.
    """

    if not has_capability(user, Capability.SEE_CASES):
        return []
    mine = queues.default_queue(user)
    overdue = queues.QUEUE_BY_KEY["overdue"]
    counts = queues.queue_counts(user, [mine, overdue], cap=None)
    base = reverse("cases:queue")
    cards: list[dict[str, Any]] = [
        {
            "label": str(mine.label),
            "value": counts[mine.key],
            "help": _("待我处理"),
            "url": f"{base}?queue={mine.key}",
        },
        {
            "label": _("逾期"),
            "value": counts[overdue.key],
            "help": _("已超过期限的在办件"),
            "url": f"{base}?queue=overdue",
        },
    ]
    if has_capability(user, Capability.WORK_CASES):
        start = timezone.localdate().replace(month=1, day=1)
        kpis = kpis_for(user, date_from=start)
        cards.append(
            {
                "label": _("本年满意率"),
                "value": _percent(kpis.satisfaction_rate),
                "help": _("按期答复率 %(r)s") % {"r": _percent(kpis.on_time_reply_rate)},
                "url": reverse("cases:kpis"),
            }
        )
    return cards
