"""KPIs of the closed loop for a scope and a period; definitions in docs/kpis.md.

The cohort is the cases *submitted* in the period within the user's view (merged duplicates and
withdrawn cases left out). Its components are read from the rollup (`KpiDay`, one row per
submitted local day, region and station; decision 0045): the rows in the user's scope, as of the
worker's last sweep (`Kpis.as_of`, shown as 数据截至), plus the one component that depends on
today (assigned cases still unanswered past their deadline), counted live through a partial
index of the unanswered assigned cases. Before the rollup's first build, and for a user who also
sees a unit's or a deputy's own cases (no place describes them), the whole cohort is counted live.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import CharField, IntegerField, Max, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.cases import queues
from liaison.cases.kpi_counts import (
    ASSIGNED,
    COMPONENTS,
    EXCLUDED,
    add_up,
    component_counts,
    current_mark,
)
from liaison.cases.models import Case, KpiDay, KpiRollupMark
from liaison.cases.selectors import cases_visible_by_place, cases_visible_to
from liaison.common.hotcache import HotCache
from liaison.regions.models import Level, Region
from liaison.regions.selectors import region_subtree_q


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
    # When the rollup was last swept (the figures but the overdue count are as of then); None
    # when counted live. Not part of the figures: equal counts are equal KPIs.
    as_of: datetime.datetime | None = field(default=None, compare=False)

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


def _in_period(
    rows: QuerySet[Any],
    *,
    day: str,
    region_field: str,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    region: Any,
) -> QuerySet[Any]:
    """`rows` narrowed to the period (by their `day` lookup) and to `region`'s subtree: the same
    cohort for the cases, the rollup's rows and the overdue count."""
    if date_from:
        rows = rows.filter(**{f"{day}__gte": date_from})
    if date_to:
        rows = rows.filter(**{f"{day}__lte": date_to})
    if region is not None:
        rows = rows.filter(region_subtree_q(region, region_field))
    return rows


def kpi_cases(
    user: Any,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    region: Any = None,
) -> QuerySet[Case]:
    """The cohort: cases submitted in the period, in the user's view (and `region`)."""

    cases = cases_visible_to(user).exclude(status__in=EXCLUDED)
    return _in_period(
        cases,
        day="submitted_at__date",
        region_field="region_id",
        date_from=date_from,
        date_to=date_to,
        region=region,
    )


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


def kpis_for(
    user: Any,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    region: Any = None,
    today: datetime.date | None = None,
) -> Kpis:
    """The KPIs of the cohort (see docs/kpis.md), from the rollup where the user's view is a
    set of places, remembered per process for HOT_CACHE_SECONDS."""
    today = today or timezone.localdate()
    cases = kpi_cases(user, date_from=date_from, date_to=date_to, region=region)
    try:
        sql, params = cases.query.get_compiler(using=cases.db).as_sql()
    except EmptyResultSet:
        return kpis_live(cases, today)
    places = cases_visible_by_place(user)

    def compute() -> Kpis:
        if places is None:
            return kpis_live(cases, today)
        rows = _in_period(
            KpiDay.objects.filter(places),
            day="day",
            region_field="region_id",
            date_from=date_from,
            date_to=date_to,
            region=region,
        )
        # The mark's time comes with the sums (one query less on pages at their budget); it
        # is also what says the rollup was built: until then, and on a scope without rows,
        # the mark is read on its own.
        swept = KpiRollupMark.objects.filter(pk=1, swept_at__isnull=False).values("swept_at")
        stored = rows.aggregate(
            as_of=Max(Subquery(swept[:1])), **{name: Sum(name) for name in COMPONENTS}
        )
        as_of = stored.pop("as_of")
        if as_of is None:
            mark = current_mark()
            if mark is None:
                return kpis_live(cases, today)
            as_of = mark.swept_at
        total = {name: int(value or 0) for name, value in stored.items()}
        overdue = _overdue_in_places(
            user, date_from=date_from, date_to=date_to, region=region, today=today
        )
        return _kpis_of(total, overdue=overdue, as_of=as_of)

    # Keyed by the cohort's SQL, which holds the user's scope (as the option lists, decision
    # 0029): two scopes never share an entry.
    key = (cases.db, sql, tuple(map(str, params)), today)
    return _kpis.get(key, compute)


# The year's KPIs are most of the staff home page and the KPI page; a figure a few seconds old
# is as good.
_kpis: HotCache[Kpis] = HotCache("kpis", max_entries=1_000)


# Assigned cases not answered by their deadline: the part of due_or_replied that depends on today.
def _overdue_q(today: datetime.date) -> Q:
    return Q(ASSIGNED, replied_at__isnull=True, reply_due__lt=today)


def _overdue_in_places(
    user: Any,
    *,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    region: Any,
    today: datetime.date,
) -> int:
    """The cohort's overdue unanswered cases, read from the partial index case_unanswered_idx
    alone (open cases, few at any size; the index holds every column read here)."""
    # The scope's region and station read through a cast: given the columns themselves,
    # SQLite's planner (no statistics) walks the scope's region index, every case of the scope,
    # rather than the partial index.
    cases = Case.objects.annotate(
        place_region=Cast("region_id", CharField()),
        place_station=Cast("station_id", IntegerField()),
    )
    places = cases_visible_by_place(
        user, region_field="place_region", station_field="place_station"
    )
    assert places is not None  # the caller checked with the same memberships
    cases = cases.filter(places, _overdue_q(today)).exclude(status__in=EXCLUDED)
    return _in_period(
        cases,
        day="submitted_at__date",
        region_field="place_region",
        date_from=date_from,
        date_to=date_to,
        region=region,
    ).count()


def kpis_live(cases: QuerySet[Case], today: datetime.date) -> Kpis:
    """The KPIs counted from the cohort's cases themselves (linear in the cohort)."""
    total = add_up(component_counts(cases).values())
    return _kpis_of(total, overdue=cases.filter(_overdue_q(today)).count())


def _kpis_of(
    total: dict[str, int], *, overdue: int, as_of: datetime.datetime | None = None
) -> Kpis:
    replied = total["replied_with_days"]
    return Kpis(
        total=total["total"],
        accepted=total["accepted"],
        declined=total["declined"],
        due_or_replied=total["assigned_replied"] + overdue,
        replied_on_time=total["replied_on_time"],
        rated=total["rated"],
        satisfied=total["satisfied"],
        basic=total["basic"],
        replied_with_days=replied,
        avg_reply_working_days=round(total["reply_days_sum"] / replied, 1) if replied else None,
        as_of=as_of,
    )


def _capped(count: int | None) -> int | str:
    if count is None:
        return "—"
    return f"{queues.COUNT_CAP}+" if count >= queues.COUNT_CAP else count


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
    # Capped as the queue's tabs ("1000+"): an exact count of a long queue reads all of it.
    counts = queues.queue_counts(user, [mine, overdue], cap=queues.COUNT_CAP)
    base = reverse("cases:queue")
    cards: list[dict[str, Any]] = [
        {
            "label": str(mine.label),
            "value": _capped(counts[mine.key]),
            "help": _("待我处理"),
            "url": f"{base}?queue={mine.key}",
        },
        {
            "label": _("逾期"),
            "value": _capped(counts[overdue.key]),
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
