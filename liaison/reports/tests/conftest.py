"""A seeded month for the report tests: March 2025 in 岳麓区, with February and March 2024."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from liaison.cases.models import Channel, Kind, Rating, Status
from liaison.cases.tests.factories import CaseFactory, HandlingUnitFactory, case_in
from liaison.taxonomy.models import Category

MONTH = datetime.date(2025, 3, 1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def seeded_month(yuelu: Any, station: Any) -> dict[str, Any]:
    """March 2025: 6 cases (4 城乡建设 by QR, 2 环境保护 by hotline) + 1 merged + 1 withdrawn;
    February 2025: 2 cases; March 2024: 3 cases. One overdue, one unsatisfied, one stock reply."""
    build, _ = Category.objects.get_or_create(
        path="城乡建设", defaults={"name": "城乡建设", "level": 1}
    )
    env, _ = Category.objects.get_or_create(
        path="环境保护", defaults={"name": "环境保护", "level": 1}
    )
    unit = HandlingUnitFactory(name="岳麓区城市管理和综合执法局")
    march = [MONTH + datetime.timedelta(days=d) for d in (2, 4, 6, 9)]
    for day in march:
        CaseFactory(submitted_at=at(day), category=build, channel=Channel.QR, station=station)
    for day in march[:2]:
        CaseFactory(submitted_at=at(day), category=env, channel=Channel.HOTLINE,
                    kind=Kind.COMPLAINT, region_id="430104003000")  # fmt: skip
    CaseFactory(submitted_at=at(march[0]), status=Status.MERGED, category=build)
    CaseFactory(submitted_at=at(march[0]), status=Status.WITHDRAWN, category=build)
    for day in (datetime.date(2025, 2, 3), datetime.date(2025, 2, 4)):
        CaseFactory(submitted_at=at(day), category=build, channel=Channel.QR)
    for day in (datetime.date(2024, 3, 4), datetime.date(2024, 3, 5), datetime.date(2024, 3, 6)):
        CaseFactory(submitted_at=at(day), category=env, channel=Channel.HOTLINE)
    # Overdue: assigned in February, due 2025-03-10, still not answered.
    overdue = case_in(Status.ASSIGNED, unit=unit, submitted_at=at(datetime.date(2025, 2, 3)),
                      assigned_at=at(datetime.date(2025, 2, 4)),
                      reply_due=datetime.date(2025, 3, 10), title="桃花小区路灯不亮")  # fmt: skip
    # Unsatisfied, rated in March; its reply was a stock acknowledgement given in March.
    case_in(Status.EVALUATED, unit=unit, submitted_at=at(datetime.date(2025, 2, 4)),
            assigned_at=at(datetime.date(2025, 2, 5)), reply_due=datetime.date(2025, 3, 20),
            replied_at=at(datetime.date(2025, 3, 3)), reply="已收悉",
            rating=Rating.UNSATISFIED, rated_at=at(datetime.date(2025, 3, 5)),
            title="垃圾站臭味扰民")  # fmt: skip
    return {"unit": unit, "overdue": overdue, "station": station}
