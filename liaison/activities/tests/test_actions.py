"""The pure tables: every action × status × actor × facts against a table written out here."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from liaison.accounts.models import Role
from liaison.activities.actions import RULES, TABLE, ActivityFacts
from liaison.activities.models import Status
from liaison.activities.workflow import ALL_ACTORS, INVITEE, ORGANISER, TRANSITIONS
from liaison.workflow.table import ActionRefused, TransitionNotAllowed

P = {Role.LIAISON_OFFICER, Role.STATION_HEAD, ORGANISER}
V = {Role.CONGRESS_STAFF}
S = Status

# action → {status: actors}, written out independently of workflow.py.
EXPECTED = {
    "record": {S.PLANNED: P, S.DRAFT: P, S.RETURNED: P},
    "submit": {S.DRAFT: P},
    "verify": {S.SUBMITTED: V},
    "return": {S.SUBMITTED: V},
    "cancel": {S.PLANNED: P},
    "edit": {S.PLANNED: P},
    "confirm": {S.PLANNED: {INVITEE}, S.DRAFT: {INVITEE}, S.RETURNED: {INVITEE}},
}

# The facts under which every condition holds.
GOOD = {"started": True, "has_attendance": True, "by_author": False, "self_confirmed": False}


def test_every_action_is_written_out() -> None:
    assert set(RULES) == set(EXPECTED)


def test_every_transition_is_exactly_one_move() -> None:
    for (frm, to), _actors in TRANSITIONS.items():
        movers = [n for n, r in RULES.items() if to in r.targets and frm in r.allowed]
        assert len(movers) == 1, (frm, to, movers)


@pytest.mark.parametrize(
    ("action", "status", "actor"),
    list(itertools.product(sorted(EXPECTED), Status.values, sorted(ALL_ACTORS))),
)
def test_who_may_do_what(action: str, status: str, actor: str) -> None:
    facts = ActivityFacts(status=status, **GOOD)
    allowed = actor in EXPECTED[action].get(status, set())
    assert TABLE.may(action, [actor], facts) is allowed
    if allowed:
        assert TABLE.ensure_action(action, [actor], facts) == actor
    elif status not in EXPECTED[action]:
        with pytest.raises(TransitionNotAllowed):
            TABLE.ensure_action(action, [actor], facts)
    else:
        with pytest.raises(PermissionDenied):
            TABLE.ensure_action(action, [actor], facts)


@pytest.mark.parametrize(
    ("action", "status", "actor", "fact", "value", "message"),
    [
        ("record", S.PLANNED, Role.LIAISON_OFFICER, "started", False, "尚未开始"),
        ("confirm", S.PLANNED, INVITEE, "started", False, "尚未开始"),
        ("submit", S.DRAFT, ORGANISER, "has_attendance", False, "实际参加的代表"),
        ("verify", S.SUBMITTED, Role.CONGRESS_STAFF, "by_author", True, "不能核实自己"),
        ("return", S.SUBMITTED, Role.CONGRESS_STAFF, "by_author", True, "不能核实自己"),
        ("confirm", S.DRAFT, INVITEE, "self_confirmed", True, "已确认出席"),
    ],
)
def test_conditions_refuse_with_a_chinese_reason(
    action: str, status: str, actor: str, fact: str, value: bool, message: str
) -> None:
    facts = ActivityFacts(status=status, **{**GOOD, fact: value})
    assert not TABLE.may(action, [actor], facts)
    with pytest.raises(ActionRefused, match=message):
        TABLE.ensure_action(action, [actor], facts)


def test_a_fact_nobody_looked_up_fails_loudly() -> None:
    with pytest.raises(ValueError, match="by_author"):
        TABLE.may("verify", [Role.CONGRESS_STAFF], ActivityFacts(status=S.SUBMITTED))


def test_the_administrators_and_units_have_no_action() -> None:
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR, Role.HANDLING_UNIT):
        assert not TABLE.statuses_for(role)
