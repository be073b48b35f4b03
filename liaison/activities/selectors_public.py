"""Public reads: a station's published work plan with its fulfilment (for the station page) and
the verified activities the public API lists."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet

from liaison.activities.models import Activity, Status, WorkPlan, WorkPlanItem
from liaison.activities.rules import kind_label, kind_labels
from liaison.stations.models import Station, StationStatus
from liaison.stations.selectors import StationPlanItemRow, StationWorkPlanRow


def held_q() -> Exists:
    """An item is held when a verified activity is linked to it."""
    return Exists(Activity.objects.filter(plan_item_id=OuterRef("pk"), status=Status.VERIFIED))


def work_plan_items(plan: WorkPlan) -> QuerySet[WorkPlanItem]:
    """The plan's items by month, each with `held` (one query)."""
    return plan.items.annotate(held=held_q()).order_by("month", "id")


def station_work_plan_row(station: Station, today: datetime.date) -> StationWorkPlanRow | None:
    """The station's published plan of this year (two queries: the plan, its items), or None."""
    plan = WorkPlan.objects.filter(
        station=station, year=today.year, published_at__isnull=False
    ).first()
    if plan is None:
        return None
    labels = kind_labels(station.region_id)
    items = [
        StationPlanItemRow(
            month=item.month,
            kind_label=kind_label(item.kind, labels),
            title=item.title,
            held=bool(item.held),  # type: ignore[attr-defined]
        )
        for item in work_plan_items(plan)
    ]
    due = [i for i in items if i.month <= today.month]
    return StationWorkPlanRow(
        year=plan.year, items=items, due=len(due), held=sum(1 for i in due if i.held)
    )


def activities_public() -> QuerySet[Activity]:
    """Verified activities of active stations: what the public may read (no participants)."""
    return Activity.objects.filter(
        status=Status.VERIFIED, station__status=StationStatus.ACTIVE
    ).select_related("station")
