"""The transition table, exhaustively: every (from, to) pair × every actor. No database."""

from __future__ import annotations

import itertools

import pytest

from liaison.suggestions.models import Status
from liaison.suggestions.workflow import (
    ALL_ACTORS,
    AUTHOR,
    LEAD,
    STAFF,
    SYSTEM,
    TRANSITIONS,
)
from liaison.workflow.table import TransitionNotAllowed, transition_allowed, transition_ensure

S = Status
# The loop as issue 15 states it, written out independently of workflow.py.
EXPECTED: dict[tuple[str, str], set[str]] = {
    (S.DRAFT, S.SUBMITTED): {AUTHOR},
    (S.RETURNED, S.SUBMITTED): {AUTHOR},
    (S.DRAFT, S.WITHDRAWN): {AUTHOR},
    (S.RETURNED, S.WITHDRAWN): {AUTHOR},
    (S.SUBMITTED, S.WITHDRAWN): {AUTHOR},
    (S.SUBMITTED, S.ACCEPTED): {STAFF},
    (S.SUBMITTED, S.RETURNED): {STAFF},
    (S.SUBMITTED, S.MERGED): {STAFF},
    (S.ACCEPTED, S.MERGED): {STAFF},
    (S.ACCEPTED, S.ASSIGNED): {STAFF},
    (S.ASSIGNED, S.ASSIGNED): {STAFF},
    (S.ASSIGNED, S.ANSWERED): {LEAD},
    (S.REHANDLING, S.ANSWERED): {LEAD},
    (S.ANSWERED, S.CLOSED): {AUTHOR, SYSTEM},
    (S.ANSWERED, S.REHANDLING): {AUTHOR},
}

PAIRS = [
    pytest.param(frm, to, actor, id=f"{frm}->{to}:{actor}")
    for frm, to, actor in itertools.product(S.values, S.values, sorted(ALL_ACTORS))
]


@pytest.mark.parametrize(("current", "target", "actor"), PAIRS)
def test_every_pair_for_every_actor(current: str, target: str, actor: str) -> None:
    expected = actor in EXPECTED.get((current, target), set())
    assert transition_allowed(TRANSITIONS, current, target, actor) is expected
    if expected:
        transition_ensure(TRANSITIONS, current, target, actor)
    else:
        with pytest.raises(TransitionNotAllowed):
            transition_ensure(TRANSITIONS, current, target, actor)


def test_table_has_no_pairs_beyond_the_design() -> None:
    assert {k: set(v) for k, v in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize("final", [S.CLOSED, S.MERGED, S.WITHDRAWN])
def test_nothing_leaves_a_final_status(final: str) -> None:
    assert not [pair for pair in TRANSITIONS if pair[0] == final]


def test_statuses_fit_the_event_columns() -> None:
    # WorkflowEvent.from_status / to_status hold 12 characters.
    assert max(len(s) for s in S.values) <= 12
