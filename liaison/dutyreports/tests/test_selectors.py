"""What other apps read: held reports per deputy in a period (duty points), a deputy's reports of
a year (the deputy's file); and the term rule."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.deputies.models import Deputy
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.dutyreports.models import DutyReport, Status
from liaison.dutyreports.selectors import (
    DutyReportSummary,
    deputy_duty_reports,
    duty_reports_held,
    not_reported,
)
from liaison.dutyreports.services import duty_report_rate
from liaison.dutyreports.tests.factories import codes_of, report_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(station_officer: Any, deputy: Any, station: Any) -> dict[str, DutyReport]:
    made = {
        status: report_in(status, actor=station_officer, deputy=deputy, station=station)
        for status in (Status.SCHEDULED, Status.HELD, Status.PUBLISHED, Status.CANCELLED)
    }
    published = made[Status.PUBLISHED]
    for code, verdict in zip(codes_of(published, 3), ["satisfied", "basic", "basic"], strict=True):
        duty_report_rate(report=published, code=code, verdict=verdict)
    return made


def test_held_reports_per_deputy_in_a_period(reports: Any, deputy: Deputy) -> None:
    today = timezone.localdate()
    others = [DeputyFactory() for _ in range(5)]
    with CaptureQueriesContext(connection) as ctx:
        held = duty_reports_held(deputies=[deputy, *others], start=today, end=today)
    assert len(ctx.captured_queries) == 1
    assert set(held) == {deputy.pk}
    rows = held[deputy.pk]
    assert {r.report_id for r in rows} == {
        reports[Status.HELD].pk,
        reports[Status.PUBLISHED].pk,
    }
    published = next(r for r in rows if r.report_id == reports[Status.PUBLISHED].pk)
    assert (published.satisfied, published.basic, published.unsatisfied) == (1, 2, 0)
    assert published.ratings == 3 and published.station == "岳麓街道人大代表联络站"
    tomorrow = today + datetime.timedelta(days=1)
    assert duty_reports_held(deputies=[deputy.pk], start=tomorrow, end=tomorrow) == {}


def test_a_deputys_reports_of_a_year(reports: Any, deputy: Deputy) -> None:
    year = timezone.localdate().year
    rows = deputy_duty_reports(deputy=deputy, year=year)
    assert all(isinstance(r, DutyReportSummary) for r in rows)
    assert [r.status for r in rows] == [Status.HELD, Status.PUBLISHED]
    assert rows[0].date == timezone.localdate()
    assert deputy_duty_reports(deputy=deputy.pk, year=year - 1) == []


def test_not_reported_reads_the_current_term(
    station_officer: Any, deputy: Deputy, station: Any
) -> None:
    today = timezone.localdate()
    township = DeputyFactory(name="乡镇代表")
    SeatFactory(deputy=township, level="township", congress_id="430104002000")
    StationDeputyFactory(deputy=township, station=station)
    ended = DeputyFactory(name="上届代表")
    SeatFactory(
        deputy=ended, ends_on=datetime.date(2021, 11, 30), starts_on=datetime.date(2016, 12, 1)
    )
    names = set(not_reported(Deputy.objects.all(), today=today).values_list("name", flat=True))
    assert names == {"张代表", "乡镇代表"}
    # A report in this term takes the deputy off; a cancelled or merely scheduled one does not.
    report_in(Status.CANCELLED, actor=station_officer, deputy=township, station=station)
    report_in(Status.SCHEDULED, actor=station_officer, deputy=deputy, station=station)
    report_in(Status.HELD, actor=station_officer, deputy=deputy, station=station)
    names = set(not_reported(Deputy.objects.all(), today=today).values_list("name", flat=True))
    assert names == {"乡镇代表"}


def test_a_report_of_the_previous_term_does_not_count(
    station_officer: Any, deputy: Deputy, station: Any
) -> None:
    term_start = datetime.date(2021, 12, 1)  # the factory's seat
    old = report_in(Status.HELD, actor=station_officer, deputy=deputy, station=station)
    # Moved to the eve of the term (six years back reached into the term from December 2027 on).
    eve = timezone.make_aware(datetime.datetime(2021, 11, 30, 10))
    DutyReport.objects.filter(pk=old.pk).update(
        starts_at=eve, rating_closes_at=eve + (old.rating_closes_at - old.starts_at)
    )
    rows = not_reported(Deputy.objects.filter(pk=deputy.pk), today=timezone.localdate())
    assert [d.term_start for d in rows] == [term_start]
