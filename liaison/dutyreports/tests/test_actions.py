"""The action table against one written out independently, every status × actor × action."""

from __future__ import annotations

import itertools

import pytest

from liaison.accounts.models import Role
from liaison.dutyreports.actions import TABLE, ReportFacts
from liaison.dutyreports.models import Status
from liaison.dutyreports.workflow import ALL_ACTORS, REPORTER

STAFF = {Role.LIAISON_OFFICER, Role.STATION_HEAD, Role.CONGRESS_STAFF}
EXPECTED = {
    ("hold", Status.SCHEDULED): {*STAFF, REPORTER},
    ("cancel", Status.SCHEDULED): {*STAFF, REPORTER},
    ("publish", Status.HELD): STAFF,
    ("sheet", Status.SCHEDULED): {*STAFF, REPORTER},
    ("sheet", Status.HELD): {*STAFF, REPORTER},
    ("sheet", Status.PUBLISHED): {*STAFF, REPORTER},
}


@pytest.mark.parametrize(
    ("action", "status", "actor"),
    list(itertools.product(TABLE.rules, Status.values, sorted(ALL_ACTORS))),
)
def test_table_matches_the_written_out_one(action: str, status: str, actor: str) -> None:
    facts = ReportFacts(status=status, started=True, has_text=True)
    assert TABLE.may(action, [actor], facts) == (actor in EXPECTED.get((action, status), set()))


def test_conditions() -> None:
    assert not TABLE.may("hold", [Role.LIAISON_OFFICER], ReportFacts(status=Status.SCHEDULED))
    held = ReportFacts(status=Status.HELD, started=True, has_text=False)
    assert not TABLE.may("publish", [Role.LIAISON_OFFICER], held)
