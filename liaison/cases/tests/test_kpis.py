"""KPIs: the definitions of docs/kpis.md on a small, hand-counted cohort."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.cases.kpis import kpis_for
from liaison.cases.models import Status
from liaison.cases.tests.factories import CaseFactory, case_in

pytestmark = pytest.mark.django_db

TZ_NOON = datetime.time(12, 0)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, TZ_NOON))


def test_kpis_on_a_known_cohort(
    station: Any, other_station: Any, county_staff: Any, django_assert_max_num_queries: Any
) -> None:
    monday = datetime.date(2026, 3, 2)
    assigned = _at(monday)
    # Replied on Friday (4 working days), on time.
    case_in(
        Status.EVALUATED,
        station=station,
        assigned_at=assigned,
        reply_due=monday + datetime.timedelta(days=21),
        replied_at=_at(monday + datetime.timedelta(days=4)),
        rating="satisfied",
    )
    # Replied next Monday (5 working days), late; rated basically satisfied.
    case_in(
        Status.CLOSED,
        station=station,
        assigned_at=assigned,
        reply_due=monday + datetime.timedelta(days=2),
        replied_at=_at(monday + datetime.timedelta(days=7)),
        rating="basic",
    )
    # Replied, rated unsatisfied and reopened: on time.
    case_in(
        Status.ASSIGNED,
        station=station,
        assigned_at=assigned,
        reply_due=monday + datetime.timedelta(days=30),
        replied_at=_at(monday + datetime.timedelta(days=1)),
        rating="unsatisfied",
        reopen_count=1,
    )
    # Not replied and already overdue: counts against the on-time rate.
    case_in(
        Status.ASSIGNED,
        station=station,
        assigned_at=assigned,
        reply_due=timezone.localdate() - datetime.timedelta(days=1),
    )
    case_in(Status.DECLINED, station=station)
    CaseFactory(station=station)  # submitted, not yet decided
    case_in(Status.MERGED, station=station)  # left out
    CaseFactory(station=other_station, region_id=other_station.region_id)  # other county
    # Counted live (no rollup built yet): the empty rollup's sums and the mark are read first.
    with django_assert_max_num_queries(7):
        k = kpis_for(county_staff)
    assert k.total == 6
    assert (k.accepted, k.declined) == (4, 1)
    assert k.acceptance_rate == 80.0
    assert (k.replied_on_time, k.due_or_replied) == (2, 4)
    assert k.on_time_reply_rate == 50.0
    assert (k.rated, k.satisfied, k.basic) == (3, 1, 1)
    assert k.resolution_rate == 66.7
    assert k.satisfaction_rate == 33.3
    # (4 + 5 + 1) / 3 working days.
    assert k.replied_with_days == 3
    assert k.avg_reply_working_days == 3.3


def test_period_filter(station: Any, county_staff: Any) -> None:
    CaseFactory(station=station, submitted_at=timezone.now() - datetime.timedelta(days=60))
    CaseFactory(station=station)
    since = timezone.localdate() - datetime.timedelta(days=7)
    assert kpis_for(county_staff, date_from=since).total == 1
    empty = kpis_for(county_staff, date_to=since - datetime.timedelta(days=90))
    assert empty.total == 0
    assert empty.acceptance_rate is None


def test_kpi_page(as_user: Any, station: Any, county_staff: Any, station_officer: Any) -> None:
    case_in(Status.EVALUATED, station=station)
    page = as_user(county_staff).get(reverse("cases:kpis")).content.decode()
    assert "满意率" in page
    assert "100%" in page
    assert as_user(station_officer).get(reverse("cases:kpis")).status_code == 200


def test_kpi_region_is_a_select_of_the_users_scope(
    as_user: Any, station: Any, other_station: Any, county_staff: Any
) -> None:
    case_in(Status.EVALUATED, station=station)
    page = as_user(county_staff).get(reverse("cases:kpis")).content.decode()
    assert re.search(r'<select[^>]* name="region"', page)
    assert "岳麓区" in page
    # A township is named with its county (a name alone is ambiguous across counties).
    assert re.search(r'<option value="430104\d{6}">岳麓区 · 岳麓街道</option>', page)
    assert '<option value="430104000000">岳麓区</option>' in page
    assert "长沙县" not in page
    assert "星沙街道" not in page


def test_kpi_region_outside_scope_is_refused_and_nothing_computed(
    as_user: Any, station: Any, other_station: Any, county_staff: Any
) -> None:
    case_in(Status.EVALUATED, station=station)
    url = reverse("cases:kpis")
    for bad in ("430121000000", "岳麓区"):
        response = as_user(county_staff).get(url, {"region": bad})
        page = response.content.decode()
        assert response.status_code == 200
        assert "请选择您辖区内的区划" in page, bad
        assert response.context["k"] is None, bad
        assert "kpi-cards" not in page, bad


def test_kpi_region_narrows_the_cohort(
    as_user: Any, station: Any, county_staff: Any, yuelu: Any
) -> None:
    case_in(Status.EVALUATED, station=station)
    url = reverse("cases:kpis")
    inside = as_user(county_staff).get(url, {"region": "430104002000"}).context["k"]
    outside = as_user(county_staff).get(url, {"region": "430104001000"}).context["k"]
    assert (inside.total, outside.total) == (1, 0)


def test_kpi_start_after_end_is_an_error_not_zero(
    as_user: Any, station: Any, county_staff: Any
) -> None:
    case_in(Status.EVALUATED, station=station)
    url = reverse("cases:kpis")
    response = as_user(county_staff).get(url, {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    page = response.content.decode()
    assert "结束日期不能早于开始日期" in page
    assert response.context["k"] is None
    assert "kpi-cards" not in page


def test_kpi_bad_date_is_an_error(as_user: Any, station: Any, county_staff: Any) -> None:
    response = as_user(county_staff).get(reverse("cases:kpis"), {"date_from": "2026-13-45"})
    page = response.content.decode()
    assert "请输入" in page or "日期" in page
    assert response.context["k"] is None
    assert "kpi-cards" not in page


def test_kpi_page_for_station_staff_has_no_region_field(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    page = as_user(station_officer).get(reverse("cases:kpis")).content.decode()
    assert 'name="region"' not in page
    assert "kpi-cards" in page
