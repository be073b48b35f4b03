"""Activities in any status, built directly (the walk and the selectors start from these)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from liaison.accounts.models import User
from liaison.accounts.tests.factories import UserFactory
from liaison.activities.models import (
    Activity,
    ActivityKind,
    CourseKind,
    Participation,
    Status,
    WorkPlan,
    WorkPlanItem,
)
from liaison.deputies.models import Deputy


def days_ago_this_year(days: float) -> datetime.datetime:
    """`days` ago, but kept inside the local year: the tests count these activities in this
    year's figures, and on the first days of January `days` ago is last year. Then the moment is
    1/(days + 1) of the year so far after New Year, so a longer ago still comes earlier."""
    now = timezone.localtime()
    new_year = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return max(now - datetime.timedelta(days=days), new_year + (now - new_year) / (days + 1))


def _past() -> datetime.datetime:
    return days_ago_this_year(2)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    station = factory.SubFactory("liaison.stations.tests.factories.StationFactory")
    region_id = factory.LazyAttribute(lambda o: o.station.region_id)
    kind = ActivityKind.RESEARCH
    title = factory.Sequence(lambda n: f"社区养老服务调研{n}")
    starts_at = factory.LazyFunction(_past)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "岳麓街道社区服务中心"
    organiser = "岳麓街道人大工委"
    created_by = factory.SubFactory(UserFactory)


def activity_in(
    status: str,
    *,
    invited: list[Deputy] = (),  # type: ignore[assignment]
    attended: list[Deputy] = (),  # type: ignore[assignment]
    recorded_by: User | None = None,
    **kwargs: Any,
) -> Activity:
    """An activity in `status`, with invitations and attendance confirmed by staff."""
    recorded = status not in (Status.PLANNED, Status.CANCELLED)
    if recorded:
        kwargs.setdefault("findings", "走访了 3 个小区，了解居家养老需求。")
        kwargs.setdefault("recorded_at", timezone.now())
        kwargs.setdefault("recorded_by", recorded_by or UserFactory())
    if status in (Status.SUBMITTED, Status.VERIFIED, Status.RETURNED):
        kwargs.setdefault("submitted_at", timezone.now())
    if status == Status.VERIFIED:
        kwargs.setdefault("verified_at", timezone.now())
    activity = ActivityFactory(status=status, **kwargs)
    for deputy in {*invited, *attended}:
        came = deputy in attended
        Participation.objects.create(
            activity=activity,
            deputy=deputy,
            invited=deputy in invited,
            attended=came,
            confirmed_via=Participation.Via.STAFF if came else "",
            confirmed_at=timezone.now() if came else None,
        )
    return activity


def training_in(
    status: str,
    *,
    hours: str = "4",
    attended: list[Deputy] = (),
    **kwargs: Any,  # type: ignore[assignment]
) -> Activity:
    return activity_in(
        status,
        kind=ActivityKind.TRAINING,
        hours=Decimal(hours),
        course_kind=CourseKind.LAW,
        title=kwargs.pop("title", "代表履职能力培训"),
        attended=attended,
        invited=attended,
        **kwargs,
    )


def plan_with_items(station: Any, year: int, *items: tuple[int, str, str], published: bool = True):  # type: ignore[no-untyped-def]
    plan = WorkPlan.objects.create(
        station=station, year=year, published_at=timezone.now() if published else None
    )
    made = [WorkPlanItem.objects.create(plan=plan, month=m, kind=k, title=t) for m, k, t in items]
    return plan, made
