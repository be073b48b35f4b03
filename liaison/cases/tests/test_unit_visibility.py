"""A handling unit's cases: its own and the ones it co-handles, read with the co-handled ids
written out (decision 0047), exactly the cases of the former `pk IN (subquery)`."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from liaison.accounts.models import User
from liaison.cases import selectors
from liaison.cases.models import Case, CoHandling, Status
from liaison.cases.selectors import cases_visible_to
from liaison.cases.tests.factories import case_in, make_unit_staff

pytestmark = pytest.mark.django_db


def _old(unit_ids: list[int]) -> set[int]:
    co = CoHandling.objects.filter(unit_id__in=unit_ids).values("case_id")
    return set(
        Case.objects.filter(Q(unit_id__in=unit_ids) | Q(pk__in=co)).values_list("pk", flat=True)
    )


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # without the per-request memo


@pytest.fixture
def mixed(station: Any, unit: Any, co_unit: Any, other_unit: Any) -> dict[str, Case]:
    own = case_in(Status.ASSIGNED, station=station, unit=unit)
    co = case_in(Status.ASSIGNED, station=station, unit=other_unit)
    CoHandling.objects.create(case=co, unit=unit)
    both = case_in(Status.ASSIGNED, station=station, unit=unit)
    CoHandling.objects.create(case=both, unit=co_unit)
    neither = case_in(Status.ASSIGNED, station=station, unit=other_unit)
    return {"own": own, "co": co, "both": both, "neither": neither}


def test_a_unit_sees_its_own_and_co_handled_cases_as_before(
    mixed: dict[str, Case], unit: Any, co_unit: Any, other_unit: Any, monkeypatch: Any
) -> None:
    for handling in (unit, co_unit, other_unit):
        clerk = make_unit_staff(handling)
        expected = _old([handling.pk])
        assert (
            set(cases_visible_to(clerk, co_handled_ids=True).values_list("pk", flat=True))
            == expected
        )
        assert cases_visible_to(clerk, co_handled_ids=True).count() == len(expected)  # none twice
        # The default (a case page): the subquery, the same cases.
        assert set(cases_visible_to(clerk).values_list("pk", flat=True)) == expected
        # Beyond CO_HANDLED_MAX the subquery is kept, with the same cases.
        monkeypatch.setattr(selectors, "CO_HANDLED_MAX", 0)
        assert (
            set(cases_visible_to(_fresh(clerk), co_handled_ids=True).values_list("pk", flat=True))
            == expected
        )
        monkeypatch.undo()
    clerk = make_unit_staff(unit)
    seen = set(cases_visible_to(clerk, co_handled_ids=True).values_list("pk", flat=True))
    assert {name for name, case in mixed.items() if case.pk in seen} == {"own", "co", "both"}


def test_the_co_handled_ids_are_read_once_per_request(mixed: dict[str, Case], unit: Any) -> None:
    clerk = make_unit_staff(unit)
    cases_visible_to(
        clerk, co_handled_ids=True
    )  # memberships and co-handled ids, kept on the user object
    with CaptureQueriesContext(connection) as queries:
        cases_visible_to(clerk, co_handled_ids=True).count()
        cases_visible_to(clerk, co_handled_ids=True).count()
    assert len(queries) == 2  # the counts only


def test_a_unit_without_co_handled_cases_reads_by_unit_only(station: Any, unit: Any) -> None:
    case_in(Status.ASSIGNED, station=station, unit=unit)
    sql = str(cases_visible_to(make_unit_staff(unit), co_handled_ids=True).query)
    assert "cases_cohandling" not in sql and '"cases_case"."id" IN' not in sql
