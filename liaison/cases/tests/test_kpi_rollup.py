"""The KPI rollup (decision 0045): over random moves of cases and time passing, the KPIs read
from the rollup after the worker's sweep (run at random moments too, each counting only the days
that moved) equal the KPIs counted live from the cases, for every scope and filter; the rebuild
command."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from liaison.accounts.models import Role, User
from liaison.accounts.tests.factories import make_member
from liaison.cases import services
from liaison.cases.actions import ActionRefused
from liaison.cases.kpis import kpi_cases, kpis_for, kpis_live
from liaison.cases.models import Case, KpiDay, KpiRollupMark, Rating, Status
from liaison.cases.services import CaseConflict
from liaison.cases.services.kpi_rollup import kpi_rollup_rebuild, kpi_rollup_sweep
from liaison.cases.tests.factories import case_in, make_unit_staff
from liaison.cases.workflow import TransitionNotAllowed
from liaison.regions.tests.factories import region
from liaison.units.models import HandlingUnit

pytestmark = pytest.mark.django_db

REFUSED = (PermissionDenied, TransitionNotAllowed, ActionRefused, CaseConflict, ValidationError)
START = datetime.datetime(2026, 3, 2, 9, 0)
ANY = ("accept", "decline", "assign", "reply", "rate", "merge", "withdraw", "close")
NEXT = {
    Status.SUBMITTED: ("accept", "accept", "accept", "decline", "withdraw", "merge"),
    Status.ACCEPTED: ("assign", "assign", "withdraw"),
    Status.ASSIGNED: ("reply", "reply", "assign"),
    Status.REPLIED: ("rate", "rate", "close"),
    Status.EVALUATED: ("close", "assign"),
}


class County:
    """A station of one county with its officer, its congress staff and a handling unit."""

    def __init__(self, station: Any, staff: User) -> None:
        self.station, self.staff = station, staff
        self.officer = make_member(Role.LIAISON_OFFICER, station=station)
        county = station.region.parent
        self.unit = HandlingUnit.objects.create(region=county, name=f"{county.name}住建局")
        self.clerk = make_unit_staff(self.unit)

    def new_case(self) -> Case:
        return case_in(Status.SUBMITTED, station=self.station, region_id=self.station.region_id)


def _try(*attempts: Callable[[], Any]) -> None:
    for attempt in attempts:
        try:
            attempt()
            return
        except REFUSED:
            continue


def _move(rng: random.Random, county: County, cases: list[Case]) -> None:
    """One random move on one of the county's cases, through the services."""
    case = Case.objects.get(pk=rng.choice(cases).pk)
    # Mostly a move the case's status allows, sometimes any (which the services may refuse).
    action = rng.choice(NEXT.get(case.status, ANY) if rng.random() < 0.85 else ANY)
    staff = (county.officer, county.staff)
    if action == "accept":
        _try(*(lambda a=a: services.case_accept(case=case, actor=a) for a in staff))
    elif action == "decline":
        _try(
            *(
                lambda a=a: services.case_decline(
                    case=case, actor=a, reason="outside_remit", note="不属于受理范围"
                )
                for a in staff
            )
        )
    elif action == "assign":
        _try(
            *(lambda a=a: services.case_assign(case=case, actor=a, unit=county.unit) for a in staff)
        )
    elif action == "reply":
        _try(lambda: services.case_reply(case=case, actor=county.clerk, reply="已办理，情况如下。"))
    elif action == "rate":
        rating = rng.choice([Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED])
        _try(lambda: services.case_evaluate(case=case, rating=rating))
    elif action == "merge":
        primary = Case.objects.get(pk=rng.choice(cases).pk)
        _try(*(lambda a=a: services.case_merge(case=case, primary=primary, actor=a) for a in staff))
    elif action == "withdraw":
        _try(lambda: services.case_withdraw(case=case, reason="已自行解决"))
    else:
        _try(*(lambda a=a: services.case_close(case=case, actor=a) for a in staff))


def _assert_rollup_equals_live(people: list[User], filters: list[dict[str, Any]]) -> None:
    today = timezone.localdate()
    for user in people:
        for kw in filters:
            rolled = kpis_for(user, today=today, **kw)
            live = kpis_live(kpi_cases(user, **kw), today)
            assert rolled == live, (user.username, kw)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollup_equals_live_over_random_moves(
    seed: int,
    station: Any,
    other_station: Any,
    county_staff: User,
    other_county_staff: User,
    yuelu: Any,
    time_machine: Any,
) -> None:
    rng = random.Random(seed)
    time_machine.move_to(timezone.make_aware(START), tick=False)
    counties = [County(station, county_staff), County(other_station, other_county_staff)]
    province = make_member(Role.CONGRESS_STAFF, region=region("430000000000"))
    people = [county_staff, other_county_staff, counties[0].officer, province]
    filters: list[dict[str, Any]] = [
        {},
        {"date_from": START.date() + datetime.timedelta(days=5)},
        {"date_to": START.date() + datetime.timedelta(days=12)},
        {"region": yuelu},
    ]
    cases: dict[int, list[Case]] = {0: [], 1: []}
    for step in range(120):
        which = rng.randrange(2)
        roll = rng.random()
        if roll < 0.12 or not cases[which]:
            cases[which].append(counties[which].new_case())
        elif roll < 0.88:
            _move(rng, counties[which], cases[which])
        elif roll < 0.96:
            # Time passes: deadlines go by, so unanswered cases become overdue.
            time_machine.shift(datetime.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 9)))
        else:
            kpi_rollup_sweep()
        if step % 7 == 6:
            kpi_rollup_sweep()
            _assert_rollup_equals_live(people, filters)
    kpi_rollup_sweep()
    assert KpiDay.objects.exists()
    # The walk went round the loop: answers and ratings, not only intake.
    assert Case.objects.filter(replied_at__isnull=False).exclude(rating="").exists()
    _assert_rollup_equals_live(people, filters)
    kpi_rollup_rebuild()
    _assert_rollup_equals_live(people, filters)


def test_sweep_recounts_only_the_days_that_moved(
    station: Any, county_staff: User, time_machine: Any
) -> None:
    time_machine.move_to(timezone.make_aware(START), tick=False)
    county = County(station, county_staff)
    first = county.new_case()
    time_machine.shift(datetime.timedelta(days=3))
    second = county.new_case()
    assert kpi_rollup_sweep() == 0  # the first sweep builds everything
    assert KpiDay.objects.count() == 2
    assert kpi_rollup_sweep() == 0  # nothing moved
    services.case_accept(case=first, actor=county.officer)
    before = kpis_for(county_staff)
    assert before.accepted == 0 and before.as_of == timezone.now()  # as of the last sweep
    assert kpi_rollup_sweep() == 1
    assert kpis_for(county_staff).accepted == 1
    row = KpiDay.objects.get(day=timezone.localdate(first.submitted_at))
    assert (row.total, row.accepted) == (1, 1)
    assert KpiDay.objects.get(day=timezone.localdate(second.submitted_at)).accepted == 0
    mark = KpiRollupMark.objects.get()
    assert mark.case_id == second.pk and mark.event_id > mark.event_id_before


def test_a_case_moved_to_another_region_leaves_its_old_row(
    station: Any, county_staff: User, yuelu: Any, time_machine: Any
) -> None:
    time_machine.move_to(timezone.make_aware(START), tick=False)
    county = County(station, county_staff)
    case = county.new_case()
    services.case_accept(case=case, actor=county.officer)
    kpi_rollup_sweep()
    city_staff = make_member(Role.CONGRESS_STAFF, region=yuelu.parent)
    services.case_forward(case=case, actor=county.officer, to_region=yuelu.parent, note="转市级")
    kpi_rollup_sweep()
    assert list(KpiDay.objects.values_list("region_id", "total")) == [(yuelu.parent.code, 1)]
    assert kpis_for(county_staff).total == 0
    assert kpis_for(city_staff).total == 1


def test_rebuild_command_counts_every_day_again(station: Any, county_staff: User) -> None:
    for days in (0, 0, 40, 90):
        case_in(
            Status.ASSIGNED,
            station=station,
            region_id=station.region_id,
            submitted_at=timezone.now() - datetime.timedelta(days=days),
        )
    KpiDay.objects.create(day=datetime.date(2020, 1, 1), region_id=station.region_id, total=9)
    call_command("kpi_rollup")
    assert KpiDay.objects.count() == 3
    assert sum(KpiDay.objects.values_list("total", flat=True)) == 4
    assert KpiRollupMark.objects.get().swept_at is not None
    call_command("kpi_rollup", "--sweep")
    assert kpis_for(county_staff).total == 4


def test_without_a_built_rollup_the_figures_are_counted_live(
    station: Any, county_staff: User
) -> None:
    case_in(Status.ACCEPTED, station=station, region_id=station.region_id)
    assert not KpiRollupMark.objects.exists()
    assert kpis_for(county_staff).accepted == 1
