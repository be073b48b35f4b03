"""The training gaps (培训学时不足): the same deputies in the same order as the one query of
before (every deputy's hours summed in a subquery, filtered and sorted by it), read by the
paginator in a bounded number of queries, within the viewer's scope, from the indexes."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.activities import selectors
from liaison.activities.models import Activity, ActivityKind, Participation, Status
from liaison.activities.tests.factories import activity_in, training_in
from liaison.deputies.models import Deputy
from liaison.deputies.selectors import deputies_visible_to
from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
ZONE = ZoneInfo(settings.TIME_ZONE)


def _at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ZONE)


def _as_before(deputies: QuerySet[Deputy], *, year: int, required: int) -> list[Deputy]:
    """The reference: the single query the selector was before this change."""
    hours = selectors.deputies_with_training_hours(deputies.filter(is_active=True), year=year)
    below = hours.filter(training_hours__lt=required)  # type: ignore[misc]
    return list(below.order_by("training_hours", "name", "id"))  # type: ignore[misc]


def _rows(deputies: list[Deputy]) -> list[tuple[int, str, Decimal]]:
    return [(d.pk, d.name, Decimal(d.training_hours)) for d in deputies]  # type: ignore[attr-defined]


def _deputy(station: Any, name: str, **kwargs: Any) -> Deputy:
    deputy = DeputyFactory(name=name, **kwargs)
    StationDeputyFactory(station=station, deputy=deputy)
    return deputy


def _train(hours: str | None, *deputies: Deputy, **kwargs: Any) -> None:
    kwargs.setdefault("starts_at", _at(YEAR, 6, 1))
    kwargs.setdefault("ends_at", kwargs["starts_at"] + datetime.timedelta(hours=2))
    if hours is None:  # a course recorded without hours
        activity_in(
            Status.VERIFIED, kind=ActivityKind.TRAINING, hours=None,
            attended=list(deputies), **kwargs,
        )  # fmt: skip
    else:
        training_in(Status.VERIFIED, hours=hours, attended=list(deputies), **kwargs)


@pytest.fixture
def deputies(station: Any, other_station: Any) -> dict[str, Deputy]:
    """Deputies of the station's county in every case that decides a row or its place, and
    one of another county (outside the county staff's scope)."""
    d = {
        name: _deputy(station, name)
        for name in (
            "甲无培训", "乙正好", "丙多次", "丁未核实", "戊他年", "己无学时", "庚未出席",
            "辛超出", "壬同名", "壬同名2", "癸非培训", "子离任", "丑年初", "寅年末",
        )
    }  # fmt: skip
    d["壬同名2"].name = "壬同名"  # the same name and hours: the id decides
    d["壬同名2"].save(update_fields=["name"])
    d["子离任"].is_active = False
    d["子离任"].save(update_fields=["is_active"])
    d["外县"] = _deputy(other_station, "外县", home_region_id="430121000000")
    _train("8", d["乙正好"])
    _train("8", d["乙正好"], starts_at=_at(YEAR, 9, 1))
    _train("4", d["丙多次"], d["壬同名"], d["壬同名2"], d["外县"])
    _train("2.5", d["丙多次"], starts_at=_at(YEAR, 3, 1))
    _train("6", d["丙多次"], starts_at=_at(YEAR, 11, 1))
    training_in(
        Status.SUBMITTED, hours="16", attended=[d["丁未核实"]], starts_at=_at(YEAR, 6, 1),
        ends_at=_at(YEAR, 6, 1, 11),
    )  # fmt: skip
    _train("16", d["戊他年"], starts_at=_at(YEAR - 1, 6, 1))
    _train("16", d["戊他年"], starts_at=_at(YEAR + 1, 1, 1, 0, 0))
    _train(None, d["己无学时"])
    activity_in(
        Status.VERIFIED, kind=ActivityKind.TRAINING, hours=Decimal("16"),
        invited=[d["庚未出席"]], starts_at=_at(YEAR, 6, 1), ends_at=_at(YEAR, 6, 1, 11),
    )  # fmt: skip
    _train("20", d["辛超出"])
    activity_in(
        Status.VERIFIED, kind=ActivityKind.RESEARCH, hours=Decimal("16"),
        attended=[d["癸非培训"]], starts_at=_at(YEAR, 6, 1), ends_at=_at(YEAR, 6, 1, 11),
    )  # fmt: skip
    _train("4", d["子离任"])
    _train("1", d["丑年初"], starts_at=_at(YEAR, 1, 1, 0, 0))
    _train("16", d["寅年末"], starts_at=_at(YEAR - 1, 12, 31, 23, 0))
    _train("3", d["寅年末"], starts_at=_at(YEAR, 12, 31, 21, 0))
    return d


def test_the_reference_sees_each_case(deputies: dict[str, Deputy], county_staff: Any) -> None:
    """The cases above are what they say (read through the reference)."""
    rows = _as_before(deputies_visible_to(county_staff), year=YEAR, required=16)
    hours = {d.name: d.training_hours for d in rows}  # type: ignore[attr-defined]
    assert "乙正好" not in hours and "辛超出" not in hours  # 16 and 20 hours
    assert "子离任" not in hours and "外县" not in hours  # not active, not in scope
    assert hours["丙多次"] == Decimal("12.5") and hours["壬同名"] == Decimal("4")
    assert hours["丑年初"] == Decimal("1") and hours["寅年末"] == Decimal("3")
    for name in ("甲无培训", "丁未核实", "戊他年", "己无学时", "庚未出席", "癸非培训"):
        assert hours[name] == 0, name


@pytest.mark.parametrize("required", [0, 1, 3, 4, 5, 12, 13, 16, 17, 40])
def test_same_rows_in_the_same_order_as_before(
    deputies: dict[str, Deputy], county_staff: Any, other_county_staff: Any, required: int
) -> None:
    for user in (county_staff, other_county_staff):
        scope = deputies_visible_to(user)
        expected = _rows(_as_before(scope, year=YEAR, required=required))
        gaps = selectors.training_gaps(scope, year=YEAR, required=required)
        assert gaps.count() == len(expected)
        assert _rows(list(gaps)) == expected
        # Every window the paginator may ask for, across the deputies without hours and those
        # with some.
        for start in range(len(expected) + 2):
            for stop in range(start, len(expected) + 3):
                assert _rows(gaps[start:stop]) == expected[start:stop], (start, stop)


def test_no_training_at_all_lists_every_active_deputy_by_name(station: Any) -> None:
    names = ["丙", "甲", "乙"]
    made = [_deputy(station, name) for name in names]
    scope = Deputy.objects.filter(pk__in=[d.pk for d in made])
    gaps = selectors.training_gaps(scope, year=YEAR, required=16)
    assert (
        [d.name for d in gaps]
        == ["丙", "乙", "甲"]
        == [d.name for d in _as_before(scope, year=YEAR, required=16)]
    )
    assert all(d.training_hours == 0 for d in gaps)  # type: ignore[attr-defined]


def test_everyone_with_some_hours_are_paged_by_hours(station: Any) -> None:
    made = [_deputy(station, f"代表{i}") for i in range(5)]
    for i, deputy in enumerate(made):
        _train(str(5 - i), deputy)
    scope = Deputy.objects.filter(pk__in=[d.pk for d in made])
    gaps = selectors.training_gaps(scope, year=YEAR, required=4)
    expected = _rows(_as_before(scope, year=YEAR, required=4))
    assert [name for _pk, name, _h in expected] == ["代表4", "代表3", "代表2"]
    assert _rows(gaps[0:2]) == expected[0:2] and _rows(gaps[2:4]) == expected[2:]


# --- the page ---------------------------------------------------------------------------------


def _page(client: Any, page: int) -> tuple[Any, int]:
    url = reverse("activities:training")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"year": YEAR, "page": page})
    assert response.status_code == 200
    return response, len(queries)


def test_the_page_shows_the_county_in_scope_only(
    deputies: dict[str, Deputy], county_staff: Any, other_county_staff: Any, as_user: Any
) -> None:
    ours, _n = _page(as_user(county_staff), 1)
    names = [d.name for d, _gap in ours.context["rows"]]
    expected = _as_before(deputies_visible_to(county_staff), year=YEAR, required=16)
    assert names == [d.name for d in expected]
    assert "外县" not in names and "甲无培训" in names
    theirs, _n = _page(as_user(other_county_staff), 1)
    assert [d.name for d, _gap in theirs.context["rows"]] == ["外县"]
    assert [gap for _d, gap in theirs.context["rows"]] == [Decimal("12")]


def test_the_page_reads_a_fixed_number_of_queries_whatever_its_size(
    station: Any, county_staff: Any, as_user: Any
) -> None:
    """A page of 3 deputies, a full page of 25 and the page past the deputies without hours
    (the rest with some) read the same queries: no query per deputy."""
    client = as_user(county_staff)
    for i in range(3):
        _deputy(station, f"无培训{i:02d}")
    client.get(reverse("activities:training"), {"year": YEAR})  # warm the session
    _response, few = _page(client, 1)
    for i in range(3, 27):
        _deputy(station, f"无培训{i:02d}")
    _train("2", *[_deputy(station, f"有学时{i:02d}") for i in range(40)])
    full, many = _page(client, 1)
    assert len(full.context["rows"]) == 25
    assert many == few == 9  # 7 of any staff page and its form, the count, the page
    crossing, past = _page(client, 2)
    rows = crossing.context["rows"]
    assert [d.name for d, _gap in rows][:2] == ["无培训25", "无培训26"]
    assert [gap for _d, gap in rows][2:] == [Decimal("14")] * 23
    # The page where the deputies without hours end also reads the short ones and those
    # deputies' rows; the page past them, the number of those without hours too.
    assert past == few + 2
    last, beyond = _page(client, 3)
    assert last.context["rows"][0][0].name == "有学时23"
    assert len(last.context["rows"]) == 17 and beyond == few + 3


# --- the plans ------------------------------------------------------------------------------


def _queries(scope: QuerySet[Deputy]) -> list[Any]:
    """The page's queries: its count, a page of deputies without hours, a page of the short."""
    gaps = selectors.training_gaps(scope, year=YEAR, required=16)
    return [
        gaps.below.values("pk"),
        gaps.untrained.values("pk")[:25],
        gaps.short.order_by("total", "deputy__name", "deputy_id")[:25],
    ]


def _plan(query: Any) -> str:
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    explain = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql, params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_the_year_of_training_is_read_from_its_indexes(
    deputies: dict[str, Deputy], county_staff: Any
) -> None:
    """SQLite: the page's three queries read the year's verified training from (kind, status,
    starts_at, hours) and its participants from (activity, attended, deputy), each index alone:
    never every participation or activity, nor their rows."""
    for plan in map(_plan, _queries(deputies_visible_to(county_staff))):
        assert "COVERING INDEX activity_kind_status_idx" in plan, plan
        assert "COVERING INDEX participation_attendance_idx" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
@pytest.mark.django_db(transaction=True)
def test_postgresql_reads_the_year_of_training_from_its_indexes(
    deputies: dict[str, Deputy], county_staff: Any, station: Any
) -> None:
    """PostgreSQL plans by statistics: with a year's training a small part of many duties,
    analysed (with a vacuum, outside a transaction, hence this test's own), each query reads
    the year's verified training and its participants through the two indexes (a test's
    tables are still small: their sequential scan is ruled out)."""
    # Other duties in the numbers where a kind and a year are a small part of them.
    other = deputies["甲无培训"]
    made = Activity.objects.bulk_create(
        Activity(
            station_id=station.pk, region_id=station.region_id, kind=ActivityKind.RESEARCH,
            title=f"调研{i}", starts_at=_at(YEAR - 1 - i % 3, 1 + i % 12, 1),
            ends_at=_at(YEAR - 1 - i % 3, 1 + i % 12, 1, 11), place="联络站", organiser="人大工委",
            status=Status.VERIFIED, created_by=county_staff,
        )
        for i in range(3000)
    )  # fmt: skip
    Participation.objects.bulk_create(
        Participation(activity=activity, deputy=other, attended=True) for activity in made
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE activities_activity, activities_participation")
    queries = _queries(deputies_visible_to(county_staff))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = [_plan(query) for query in queries]
    # The participants by an index that leads with the activity: the covering one or, with the
    # test's few rows where the two cost the same, the foreign key's (seen under xdist).
    by_activity = re.compile(
        r"Scan using (participation_attendance_idx|activities_participation_activity_id_\w+) "
        r"on activities_participation"
    )
    for plan in plans:
        assert "using activity_kind_status_idx" in plan, plan
        assert by_activity.search(plan), plan
