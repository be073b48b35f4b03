"""Queues: which case waits where, filters, countdowns and a constant number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.cases import queues
from liaison.cases.deadlines import working_days_left
from liaison.cases.models import Channel, CoHandling, DueState, Status
from liaison.cases.selectors import visible_ways
from liaison.cases.services.intake import new_tracking_code, tracking_code_in
from liaison.cases.tests.factories import CaseFactory, HandlingUnitFactory, case_in, make_unit_staff
from liaison.jurisdiction.models import CalendarOverride
from liaison.taxonomy.models import Category

pytestmark = pytest.mark.django_db


def _keys(user: Any, key: str, **filters: Any) -> set[int]:
    queue = queues.QUEUE_BY_KEY[key]
    f = queues.CaseFilters(**filters) if filters else None
    return set(queues.queue_cases(user, queue=queue, filters=f).values_list("pk", flat=True))


def test_queue_membership(station: Any, county_staff: Any) -> None:
    submitted = CaseFactory(station=station)
    forwarded = case_in(Status.FORWARDED, station=station)
    accepted = case_in(Status.ACCEPTED, station=station)
    assigned = case_in(Status.ASSIGNED, station=station, due_state=DueState.YELLOW)
    late = case_in(Status.ASSIGNED, station=station, due_state=DueState.RED, reopen_count=1)
    replied = case_in(Status.REPLIED, station=station)
    relayed = case_in(Status.REPLIED, station=station, relayed_at=timezone.now())
    closed = case_in(Status.CLOSED, station=station, reopen_count=1)
    assert _keys(county_staff, "to_accept") == {submitted.pk, forwarded.pk}
    assert _keys(county_staff, "to_assign") == {accepted.pk}
    assert _keys(county_staff, "handling") == {assigned.pk, late.pk}
    assert _keys(county_staff, "due_soon") == {assigned.pk}
    assert _keys(county_staff, "overdue") == {late.pk}
    assert _keys(county_staff, "callback") == {replied.pk}
    assert _keys(county_staff, "reopened") == {late.pk}
    assert closed.pk not in _keys(county_staff, "open")
    assert len(_keys(county_staff, "all")) == 8
    assert relayed.pk in _keys(county_staff, "all")


def test_unit_queue_includes_co_handling(station: Any) -> None:
    ours, other = HandlingUnitFactory(), HandlingUnitFactory()
    clerk = make_unit_staff(ours)
    lead = case_in(Status.ASSIGNED, station=station, unit=ours)
    co = case_in(Status.ASSIGNED, station=station, unit=other)
    CoHandling.objects.create(case=co, unit=ours)
    case_in(Status.ASSIGNED, station=station, unit=other)
    assert _keys(clerk, "handling") == {lead.pk, co.pk}
    assert next(q.key for q in queues.queues_for(clerk)) == "handling"
    assert queues.default_queue(clerk).key == "handling"


def test_filters(station: Any, county_staff: Any, other_station: Any) -> None:
    top = Category.objects.create(name="城乡建设", level=1, path="城乡建设")
    leaf = Category.objects.create(name="物业", level=2, path="城乡建设/物业", parent=top)
    unit = HandlingUnitFactory()
    a = CaseFactory(station=station, title="小区电梯坏了", channel=Channel.HOTLINE, category=leaf)
    b = CaseFactory(station=station, content="路灯不亮", kind="suggestion", unit=unit)
    old = CaseFactory(station=station, submitted_at=timezone.now() - datetime.timedelta(days=40))
    assert _keys(county_staff, "all", text="电梯") == {a.pk}
    assert _keys(county_staff, "all", text="路灯") >= {b.pk}
    assert _keys(county_staff, "all", channel=Channel.HOTLINE) == {a.pk}
    assert _keys(county_staff, "all", kind="suggestion") == {b.pk}
    assert _keys(county_staff, "all", category_path="城乡建设") == {a.pk}
    assert _keys(county_staff, "all", unit_id=unit.pk) == {b.pk}
    since = timezone.localdate() - datetime.timedelta(days=10)
    assert old.pk not in _keys(county_staff, "all", date_from=since)
    assert _keys(county_staff, "all", station_id=station.pk) == {a.pk, b.pk, old.pk}


def test_search_by_tracking_code(station: Any, county_staff: Any, other_station: Any) -> None:
    """Staff on the phone type the code the person reads off the SMS, as they type it."""
    case = CaseFactory(station=station, title="小区电梯坏了", tracking_code=new_tracking_code())
    CaseFactory(station=station, title="小区电梯又坏了")
    typed = f"{case.tracking_code[:4].lower()}-{case.tracking_code[4:]} "
    assert _keys(county_staff, "all", text=typed) == {case.pk}
    outside = CaseFactory(
        station=other_station,
        region_id=other_station.region_id,
        tracking_code=new_tracking_code("A"),
    )
    assert _keys(county_staff, "all", text=outside.tracking_code) == set()  # scope still holds


def test_a_word_shaped_like_a_code_still_searches_text(station: Any, county_staff: Any) -> None:
    case = CaseFactory(station=station, title="ASSESSMENT 结果公示")
    assert tracking_code_in("ASSESSMENT") == "ASSESSMENT"
    assert _keys(county_staff, "all", text="assessment") == {case.pk}


def test_sorted_by_deadline(station: Any, county_staff: Any) -> None:
    today = timezone.localdate()
    later = CaseFactory(station=station, accept_due=today + datetime.timedelta(days=5))
    sooner = CaseFactory(station=station, accept_due=today + datetime.timedelta(days=1))
    queue = queues.QUEUE_BY_KEY["to_accept"]
    ordered = list(queues.queue_cases(county_staff, queue=queue).values_list("pk", flat=True))
    assert ordered == [sooner.pk, later.pk]


def test_the_whole_history_is_newest_first_and_has_no_deadline_order(
    station: Any, county_staff: Any
) -> None:
    now = timezone.now()
    old = case_in(Status.CLOSED, station=station, submitted_at=now - datetime.timedelta(days=30))
    mid = CaseFactory(station=station, submitted_at=now - datetime.timedelta(days=3))
    new = CaseFactory(station=station, submitted_at=now - datetime.timedelta(hours=1))
    mid.accept_due = timezone.localdate()  # the nearest deadline does not lead on 全部
    mid.save(update_fields=["accept_due"])
    queue = queues.QUEUE_BY_KEY["all"]

    def ordered(sort: str) -> list[int]:
        return list(queues.queue_rows(county_staff, queue=queue, sort=sort)[0:10])

    assert [c.pk for c in ordered("")] == [new.pk, mid.pk, old.pk]
    assert [c.pk for c in ordered("due")] == [new.pk, mid.pk, old.pk]
    assert [c.pk for c in ordered("old")] == [old.pk, mid.pk, new.pk]
    # Every other tab keeps the deadline order first.
    assert all(q.sorts[0] == "due" for q in queues.QUEUES if q.key != "all")


def test_the_whole_history_page_offers_its_orders_and_keeps_the_filters(
    as_user: Any, station: Any, county_staff: Any
) -> None:
    CaseFactory(station=station, title="甲号楼外墙脱落", content="外墙")
    CaseFactory(station=station, title="乙号楼停水", content="停水")
    client = as_user(county_staff)
    url = reverse("cases:queue")
    history = client.get(url + "?queue=all").content.decode()
    assert 'value="new"' in history and 'value="old"' in history
    assert 'value="due"' not in history
    assert 'value="due"' in client.get(url + "?queue=open").content.decode()
    # A deadline order carried over from another tab: the history's own order, the search kept.
    page = client.get(url + "?queue=all&sort=due&q=外墙")
    assert page.status_code == 200
    text = page.content.decode()
    assert "甲号楼外墙脱落" in text and "乙号楼停水" not in text


def test_countdown_matches_loop_deadlines(station: Any) -> None:
    today = datetime.date(2026, 9, 28)  # before the National Day holiday
    CalendarOverride.objects.create(
        region_id="430104000000", date=datetime.date(2026, 9, 29), is_working_day=False
    )
    cases = [
        case_in(Status.ASSIGNED, station=station, reply_due=today + datetime.timedelta(days=d))
        for d in (-9, -1, 0, 3, 12)
    ]
    queues.attach_countdowns(cases, today=today)
    for case in cases:
        expected = working_days_left(due=case.reply_due, region=case.region_id, today=today)
        assert case.countdown.days_left == expected  # type: ignore[attr-defined]
    assert cases[0].countdown.label.startswith("逾期")  # type: ignore[attr-defined]
    assert cases[-1].countdown.label.startswith("剩")  # type: ignore[attr-defined]


def _seed(station: Any, n: int) -> None:
    unit = HandlingUnitFactory()
    for i in range(n):
        status = [Status.SUBMITTED, Status.ASSIGNED][i % 2]
        region = ["430104002000", "430104003000", "430104004000"][i % 3]
        kwargs: dict[str, Any] = {"station": station, "region_id": region}
        if status == Status.ASSIGNED:
            kwargs["unit"] = unit
        case_in(status, **kwargs)


@pytest.mark.parametrize("key", ["to_accept", "handling", "all"])
def test_queue_page_query_count_is_constant(
    key: str, as_user: Any, station: Any, county_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(county_staff)
    url = reverse("cases:queue") + f"?queue={key}"
    _seed(station, 5)
    client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _seed(station, 35)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "个工作日" in response.content.decode()


def test_unit_queue_page_query_count(
    as_user: Any, station: Any, django_assert_max_num_queries: Any
) -> None:
    unit = HandlingUnitFactory()
    clerk = as_user(make_unit_staff(unit))
    for _ in range(5):
        case_in(Status.ASSIGNED, station=station, unit=unit)
    clerk.get(reverse("cases:queue"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        clerk.get(reverse("cases:queue"))
    for _ in range(35):
        case_in(Status.ASSIGNED, station=station, unit=unit)
    with django_assert_max_num_queries(len(small.captured_queries)):
        clerk.get(reverse("cases:queue"))


def test_deputy_sees_cases_addressed_to_them(as_user: Any, station: Any, deputy_user: Any) -> None:
    deputy = deputy_user.deputy
    mine = CaseFactory(station=station, deputy=deputy, title="给张代表的件")
    other = CaseFactory(station=station, title="别的件")
    page = as_user(deputy_user).get(reverse("cases:queue") + "?queue=all").content.decode()
    assert mine.title in page
    assert other.title not in page


def test_kpi_cards_for_station_staff(station: Any, county_staff: Any) -> None:
    from liaison.cases.kpis import kpi_cards

    CaseFactory(station=station)
    cards = kpi_cards(county_staff)
    assert cards[0]["value"] == 1
    assert len(cards) == 3
    auditor = make_member(Role.AUDITOR, region=station.region)
    assert kpi_cards(auditor) == []


def test_kpi_cards_cap_the_queue_counts_as_the_tabs(
    station: Any, county_staff: Any, monkeypatch: Any
) -> None:
    from liaison.cases.kpis import kpi_cards

    monkeypatch.setattr(queues, "COUNT_CAP", 2)
    for _ in range(3):
        CaseFactory(station=station)
    assert kpi_cards(county_staff)[0]["value"] == "2+"


def test_tab_counts_read_open_cases_only(station: Any, county_staff: Any) -> None:
    case_in(Status.SUBMITTED, station=station)
    case_in(Status.ASSIGNED, station=station, reopen_count=1)
    case_in(Status.CLOSED, station=station)
    counts = queues.queue_counts(county_staff, queues.QUEUES)
    assert counts["to_accept"] == 1
    assert counts["handling"] == 1
    assert counts["reopened"] == 1
    assert counts["open"] == 2
    # "全部" would read the whole history on every page view: shown without a number.
    assert counts["all"] is None


def test_tab_counts_stop_at_the_cap_and_the_page_says_so(
    station: Any, county_staff: Any, as_user: Any, monkeypatch: Any
) -> None:
    for _ in range(3):
        case_in(Status.SUBMITTED, station=station)
    assert queues.queue_counts(county_staff, queues.QUEUES, cap=2)["to_accept"] == 2
    assert queues.queue_counts(county_staff, queues.QUEUES, cap=None)["to_accept"] == 3
    monkeypatch.setattr(queues, "COUNT_CAP", 2)
    page = as_user(county_staff).get(reverse("cases:queue")).content.decode()
    # the tab is capped, the list is not
    assert "待受理（2+）" in page
    assert "共 3 件" in page


def test_the_all_tab_pages_without_a_total(station: Any, county_staff: Any, as_user: Any) -> None:
    case_in(Status.CLOSED, station=station)
    page = as_user(county_staff).get(reverse("cases:queue") + "?queue=all").content.decode()
    assert "共 1 件" not in page
    assert "全部" in page


def test_station_staff_count_their_deadline_tabs_from_the_station_index(
    station: Any, station_officer: Any
) -> None:
    """The 临期/逾期 counts of station staff read their station's entries, not every yellow or
    red case of the jurisdiction (SQLite's plan; PostgreSQL plans with statistics)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    overdue = queues.QUEUE_BY_KEY["overdue"]
    cases = queues.visible_cases(station_officer).filter(
        queues.queue_condition(station_officer, overdue)
    )
    sql, params = cases.values("pk").query.get_compiler(using=cases.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "case_station_due_idx" in plan


def _or_counts(user: Any) -> dict[str, int | None]:
    """The tab counts as the plain OR of cases_visible_to gives them (the reference)."""
    from liaison.common.counting import counts_at_once

    tabs = [q for q in queues.queues_for(user) if q.key not in queues.UNCOUNTED]
    cases = queues.visible_cases(user)
    counts = counts_at_once([cases.filter(queues.queue_condition(user, q)) for q in tabs])
    return dict(zip([q.key for q in tabs], counts, strict=True))


def test_tab_counts_over_several_ways_of_seeing_equal_the_or(
    station: Any, other_station: Any, deputy_user: Any
) -> None:
    """A deputy (sender and assignee) and a unit (own and co-handled) are counted over the union
    of one index read per way; the numbers are those of the OR, a case seen two ways once."""
    from liaison.cases.permissions import deputy_id_of

    deputy_id = deputy_id_of(deputy_user)
    ours, other = HandlingUnitFactory(), HandlingUnitFactory()
    clerk = make_unit_staff(ours)
    both = case_in(Status.ASSIGNED, station=station, unit=ours, deputy_id=deputy_id)
    both.assigned_deputy_id = deputy_id
    both.save(update_fields=["assigned_deputy"])
    case_in(Status.ASSIGNED, station=station, assigned_deputy_id=deputy_id)
    case_in(Status.SUBMITTED, station=station, deputy_id=deputy_id)
    co = case_in(Status.ASSIGNED, station=other_station, unit=other, reopen_count=1)
    CoHandling.objects.create(case=co, unit=ours)
    case_in(Status.ASSIGNED, station=station, unit=other)  # seen by neither
    for user in (deputy_user, clerk):
        expected = _or_counts(user)
        counts = queues.queue_counts(user, queues.queues_for(user))
        assert {k: v for k, v in counts.items() if v is not None} == expected
    assert queues.queue_counts(deputy_user, [queues.QUEUE_BY_KEY["handling"]])["handling"] == 2
    assert queues.queue_counts(clerk, [queues.QUEUE_BY_KEY["handling"]])["handling"] == 2


def test_a_deputys_tab_count_reads_the_deputy_indexes(deputy_user: Any) -> None:
    """Not the status index with the deputy tested on every case of the status (SQLite)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    ways = visible_ways(deputy_user)
    cases = queues._tab_cases(deputy_user, queues.QUEUE_BY_KEY["handling"], ways).values("pk")
    sql, params = cases.query.get_compiler(using=cases.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "deputy_id=?" in plan and "assigned_deputy_id=?" in plan
    assert "(status=?)" not in plan


def _seen_several_ways(station: Any, other_station: Any, deputy_user: Any) -> list[Any]:
    """A deputy who sent some cases, was handed others and both for a few; a unit with its own and
    co-handled cases; deadlines in ties, missing and apart, so that every sort key decides some
    order. Returns the users: the deputy, the unit's clerk, and the deputy as also an officer of
    another station (three ways)."""
    from liaison.cases.permissions import deputy_id_of

    deputy_id = deputy_id_of(deputy_user)
    ours, other = HandlingUnitFactory(), HandlingUnitFactory()
    clerk = make_unit_staff(ours)
    today = timezone.localdate()
    days = [3, None, 1, 3, 7, None, 1, 2, 3, 5, 1, 4]
    statuses = [Status.SUBMITTED, Status.ASSIGNED, Status.ACCEPTED, Status.CLOSED]
    for i, day in enumerate(days):
        due = None if day is None else today + datetime.timedelta(days=day)
        status = statuses[i % len(statuses)]
        fields: dict[str, Any] = {
            "station": station if i % 3 else other_station,
            "kind": "suggestion" if i % 2 else "help",
            "due_state": DueState.RED if i % 5 == 0 else DueState.NONE,
            "reopen_count": i % 4 == 1,
            "submitted_at": timezone.now() - datetime.timedelta(days=i % 4),
            "accept_due": due,
        }
        if status != Status.SUBMITTED:
            fields["reply_due"] = today + datetime.timedelta(days=days[-1 - i] or 9)
        if i % 3 != 2:
            fields["deputy_id"] = deputy_id  # sent to the deputy
        if i % 3 != 0:
            fields["assigned_deputy_id"] = deputy_id  # handed to the deputy (both: i % 3 == 1)
        fields["unit"] = ours if i % 4 < 2 else other
        case = case_in(status, **fields)
        if i % 4 == 2:
            CoHandling.objects.create(case=case, unit=ours)
    case_in(Status.ASSIGNED, station=station, unit=other)  # seen by none of them
    officer = make_member(Role.LIAISON_OFFICER, station=other_station, user=deputy_user)
    return [deputy_user, clerk, officer]


@pytest.mark.parametrize("co_handled_max", [500, 0])
@pytest.mark.parametrize("sort", sorted(queues.SORTS))
def test_rows_over_several_ways_of_seeing_equal_the_or(
    station: Any,
    other_station: Any,
    deputy_user: Any,
    sort: str,
    co_handled_max: int,
    monkeypatch: Any,
) -> None:
    """A page of a user who sees cases several ways is read one index read per way; its ids,
    their order, every page of them and the total are those of the OR (`queue_cases`), and a
    case seen two ways (sent to and handed to the deputy) is listed once. Also for a unit whose
    co-handled cases are too many to write out (`CO_HANDLED_MAX`: a subquery, read sorted)."""
    from liaison.cases import selectors

    monkeypatch.setattr(selectors, "CO_HANDLED_MAX", co_handled_max)
    users = _seen_several_ways(station, other_station, deputy_user)
    for user in users:
        assert len(visible_ways(user)) > 1
    filter_sets = [None, queues.CaseFilters(kind="suggestion"), queues.CaseFilters(text="路灯")]
    compared = 0
    for user in users:
        for queue in queues.queues_for(user):
            for filters in filter_sets:
                rows = queues.queue_rows(user, queue=queue, filters=filters, sort=sort)
                assert isinstance(rows.ids, queues.WaysIds)
                expected = list(
                    queues.queue_cases(user, queue=queue, filters=filters, sort=sort).values_list(
                        "pk", flat=True
                    )
                )
                assert rows.count() == len(expected), (queue.key, filters)
                for start in range(0, len(expected) + 3, 3):
                    page = [case.pk for case in rows[start : start + 3]]
                    assert page == expected[start : start + 3], (queue.key, filters, start)
                compared += len(expected)
    assert compared > 0


def test_a_deputys_page_reads_the_deputy_indexes(
    station: Any, other_station: Any, deputy_user: Any
) -> None:
    """The page's ids and its total: each way read through its own index (SQLite), not the status
    index with both deputy columns tested on every case of the status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    _seen_several_ways(station, other_station, deputy_user)
    deputy_only = type(deputy_user).objects.get(pk=deputy_user.pk)
    deputy_only.memberships.exclude(role=Role.DEPUTY).delete()
    deputy_only = type(deputy_user).objects.get(pk=deputy_user.pk)
    rows = queues.queue_rows(deputy_only, queue=queues.QUEUE_BY_KEY["handling"])
    with CaptureQueriesContext(connection) as ctx:
        assert rows.count() > 0
        assert rows[0:25]
    statements = [q["sql"] for q in ctx.captured_queries if "cases_case" in q["sql"]]
    assert len(statements) == 3  # the total, the page's ids, the page's rows
    for sql in statements[:2]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "deputy_id=?" in plan and "assigned_deputy_id=?" in plan, plan
        assert "(status=?)" not in plan, plan


def _a_history_to_weigh(station: Any) -> None:
    """PostgreSQL plans by statistics, and an almost empty test table's are whatever the tests
    before it in the worker's database left (its pages grow with rows rolled back): the plan
    changed with the order of the tests. So: 200 stations of 20 cases each, analysed in the
    test's transaction (ANALYZE counts the rows the transaction inserted; the column statistics
    are rolled back with them, the table's row estimate stays, and no other test reads a plan
    of this table)."""
    from django.db import connection

    from liaison.cases.models import Case
    from liaison.stations.tests.factories import StationFactory

    others = [StationFactory(region_id=station.region_id) for _ in range(200)]
    start = timezone.now() - datetime.timedelta(days=400)
    Case.objects.bulk_create(
        CaseFactory.build(
            station=station if i % 200 == 0 else others[i % 200],
            pin_digest="-",
            submitted_at=start + datetime.timedelta(hours=i),
        )
        for i in range(4000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case, stations_station")


def test_a_stations_history_reads_the_station_history_index(
    station: Any, station_officer: Any
) -> None:
    """The 全部 tab of station staff, newest first, is read from case_station_history_idx alone
    (both databases): not by fetching every case row of the station to sort it."""
    from django.db import connection

    if connection.vendor != "sqlite":
        _a_history_to_weigh(station)
    queue = queues.QUEUE_BY_KEY["all"]
    ids = queues.queue_cases(station_officer, queue=queue, sort="new").values("pk")[:26]
    sql, params = ids.query.get_compiler(using=ids.db).as_sql()
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is a page or two
        cursor.execute(explain + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "case_station_history_idx" in plan, plan


@pytest.mark.parametrize("key", ["due_soon", "overdue", "reopened", "open"])
def test_a_units_tabs_read_the_unit_queue_index(key: str) -> None:
    """The unit's deadline and reopened tabs, counted and paged from case_unit_queue_idx alone
    (SQLite): not through (unit, status, reply_due) with a look at every open case's row."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    clerk = make_unit_staff(HandlingUnitFactory())
    queue = queues.QUEUE_BY_KEY[key]
    cases = queues.visible_cases(clerk).filter(queues.queue_condition(clerk, queue))
    ids = queues.queue_cases(clerk, queue=queue).values("pk")[:25]
    for query in (cases.values("pk")[:1000], ids):
        sql, params = query.query.get_compiler(using=query.db).as_sql()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "COVERING INDEX case_unit_queue_idx" in plan, plan
