"""The action table, exhaustively: every action × status × actor × facts. No database."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from liaison.accounts.capabilities import Capability, roles_with
from liaison.accounts.models import Role
from liaison.cases.actions import (
    CO_UNIT,
    RULES,
    ActionRefused,
    CaseFacts,
    available,
    ensure_action,
    may,
    statuses_for,
)
from liaison.cases.models import OPEN_STATUSES, Status
from liaison.cases.workflow import (
    ALL_ACTORS,
    CONSTITUENT,
    SYSTEM,
    TRANSITIONS,
    TransitionNotAllowed,
)

S = Status
STATION = {Role.LIAISON_OFFICER, Role.STATION_HEAD, Role.CONGRESS_STAFF}
HANDLERS = {Role.HANDLING_UNIT, Role.DEPUTY}
CONGRESS = {Role.CONGRESS_STAFF}
EVERY = set(Status.values)

# The table as the design states it, written out independently of actions.py:
# action → {from-status: actors}.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "accept": {S.SUBMITTED: STATION, S.FORWARDED: CONGRESS},
    "decline": {S.SUBMITTED: STATION, S.FORWARDED: CONGRESS},
    "answer": {S.ACCEPTED: STATION | {Role.DEPUTY}},
    "assign": {S.ACCEPTED: STATION, S.ASSIGNED: STATION, S.EVALUATED: STATION | {SYSTEM}},
    "forward": {S.ACCEPTED: STATION},
    "reply": {S.ASSIGNED: HANDLERS | CONGRESS},
    "rate": {S.REPLIED: STATION | {CONSTITUENT}},
    "close": {S.REPLIED: STATION | {SYSTEM}, S.EVALUATED: STATION | {SYSTEM}},
    "merge": {S.SUBMITTED: STATION, S.ACCEPTED: STATION},
    "unmerge": {S.MERGED: STATION},
    "withdraw": {s: {CONSTITUENT} for s in (S.SUBMITTED, S.ACCEPTED, S.ASSIGNED)},
    # Told once, after a reply; never offered on an evaluated case (issue 12).
    "relay": {S.REPLIED: STATION},
    "category": {s: STATION for s in OPEN_STATUSES},
    # Only while a deadline runs; never on a replied case (issue 12).
    "supervise": {s: STATION for s in (S.SUBMITTED, S.ACCEPTED, S.FORWARDED, S.ASSIGNED)},
    "pin_reset": {s: STATION for s in EVERY},
    "extension_request": {S.ASSIGNED: HANDLERS},
    "extension_decide": {s: CONGRESS for s in EVERY},
    "co_opinion": {S.ASSIGNED: {CO_UNIT}},
}
# action → the facts and the values they must have.
CONDITIONS: dict[str, tuple[tuple[str, bool], ...]] = {
    "relay": (("relayed", False),),
    "pin_reset": (("has_pin", True),),
    "extension_request": (("pending_extension", False), ("extension_left", True)),
    "extension_decide": (("pending_extension", True),),
}
ACTORS = sorted(ALL_ACTORS | {CO_UNIT})
FACTS = [
    CaseFacts(
        status=status,
        relayed=relayed,
        has_pin=has_pin,
        pending_extension=pending,
        extension_left=left,
    )
    for status, relayed, has_pin, pending, left in itertools.product(
        Status.values, (False, True), (False, True), (False, True), (False, True)
    )
]


def _expected(action: str, actor: str, facts: CaseFacts) -> bool:
    if actor not in EXPECTED[action].get(facts.status, set()):
        return False
    return all(getattr(facts, fact) == value for fact, value in CONDITIONS.get(action, ()))


def test_the_table_has_exactly_the_expected_actions() -> None:
    assert set(RULES) == set(EXPECTED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_every_status_actor_and_fact(action: str) -> None:
    wrong = [
        f"{facts} {actor}"
        for facts, actor in itertools.product(FACTS, ACTORS)
        if may(action, {actor}, facts) is not _expected(action, actor, facts)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "facts",
    FACTS,
    ids=lambda f: (
        f"{f.status}-r{f.relayed:d}-p{f.has_pin:d}-x{f.pending_extension:d}-l{f.extension_left:d}"
    ),
)
def test_available_is_what_may_allows(facts: CaseFacts) -> None:
    for actor in ACTORS:
        assert available({actor}, facts) == {a for a in RULES if may(a, {actor}, facts)}


def test_moves_are_the_transition_table() -> None:
    """Every (from, to) of the transition table is one action's row, with the same actors."""
    for (frm, to), actors in TRANSITIONS.items():
        rows = [name for name, row in RULES.items() if to in row.targets and frm in row.allowed]
        assert len(rows) == 1, (frm, to, rows)
        assert RULES[rows[0]].allowed[frm] == actors, (frm, to)
    for name, row in RULES.items():
        for frm in row.allowed if row.targets else ():
            assert any((frm, to) in TRANSITIONS for to in row.targets), (name, frm)


def test_every_action_of_the_case_page_has_a_row() -> None:
    from liaison.cases.views_staff.actions import ACTIONS

    # Withdrawing is the constituent's alone (the H5 page asks the same row).
    assert set(ACTIONS) == set(RULES) - {"withdraw"}


def test_triage_roles_are_the_tables() -> None:
    assert roles_with(Capability.WORK_CASES) == STATION


def test_co_units_act_only_on_assigned_cases() -> None:
    assert statuses_for(CO_UNIT) == {Status.ASSIGNED}


# --- refusals ---------------------------------------------------------------------------------


def test_wrong_status_is_a_transition_refusal() -> None:
    with pytest.raises(TransitionNotAllowed):
        ensure_action("relay", [Role.LIAISON_OFFICER], CaseFacts(status=Status.EVALUATED))
    with pytest.raises(TransitionNotAllowed):
        ensure_action("supervise", [Role.CONGRESS_STAFF], CaseFacts(status=Status.REPLIED))


def test_wrong_actor_is_a_permission_refusal() -> None:
    with pytest.raises(PermissionDenied):
        ensure_action("relay", [Role.HANDLING_UNIT], CaseFacts(status=Status.REPLIED))
    with pytest.raises(PermissionDenied):
        ensure_action("co_opinion", [], CaseFacts(status=Status.ASSIGNED))


def test_a_condition_refuses_with_its_reason() -> None:
    facts = CaseFacts(status=Status.ASSIGNED, pending_extension=True)
    with pytest.raises(ActionRefused) as refused:
        ensure_action("extension_request", [Role.HANDLING_UNIT], facts)
    assert refused.value.messages == ["已有待审批的延期申请，请等待审批结果"]
    with pytest.raises(ActionRefused):
        ensure_action("relay", [Role.STATION_HEAD], CaseFacts(status="replied", relayed=True))
    used_up = CaseFacts(status=Status.ASSIGNED, pending_extension=False, extension_left=False)
    with pytest.raises(ActionRefused) as refused:
        ensure_action("extension_request", [Role.HANDLING_UNIT], used_up)
    assert refused.value.messages == ["本次办理已无可延长的期限"]


def test_the_first_allowed_actor_in_the_callers_order_is_recorded() -> None:
    facts = CaseFacts(status=Status.FORWARDED)
    order = [Role.LIAISON_OFFICER, Role.CONGRESS_STAFF]
    assert ensure_action("accept", order, facts) == Role.CONGRESS_STAFF
    assert ensure_action("supervise", order, facts) == Role.LIAISON_OFFICER


def test_a_fact_not_looked_up_is_never_guessed() -> None:
    facts = CaseFacts(status=Status.ASSIGNED)  # pending_extension unknown
    with pytest.raises(ValueError, match="pending_extension"):
        may("extension_request", {Role.HANDLING_UNIT}, facts)
    # Rules that do not read it are fine (the public page never looks it up).
    assert may("withdraw", {CONSTITUENT}, facts)
