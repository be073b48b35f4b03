"""The transition table, exhaustively: every (from, to) pair × every actor. No database."""

from __future__ import annotations

import itertools

import pytest

from liaison.accounts.models import Role
from liaison.cases.models import FINAL_STATUSES, Status
from liaison.cases.workflow import (
    ALL_ACTORS,
    CONSTITUENT,
    SYSTEM,
    TRANSITIONS,
    TransitionNotAllowed,
    allowed,
    ensure_transition,
)

STATION = {Role.LIAISON_OFFICER, Role.STATION_HEAD, Role.CONGRESS_STAFF}
# The table as the design states it, written out independently of workflow.py.
EXPECTED: dict[tuple[str, str], set[str]] = {
    (Status.SUBMITTED, Status.ACCEPTED): STATION,
    (Status.SUBMITTED, Status.DECLINED): STATION,
    (Status.SUBMITTED, Status.MERGED): STATION,
    (Status.ACCEPTED, Status.MERGED): STATION,
    (Status.ACCEPTED, Status.REPLIED): STATION | {Role.DEPUTY},
    (Status.ACCEPTED, Status.ASSIGNED): STATION,
    (Status.ACCEPTED, Status.FORWARDED): STATION,
    (Status.FORWARDED, Status.ACCEPTED): {Role.CONGRESS_STAFF},
    (Status.FORWARDED, Status.DECLINED): {Role.CONGRESS_STAFF},
    (Status.ASSIGNED, Status.ASSIGNED): STATION,
    (Status.ASSIGNED, Status.REPLIED): {Role.HANDLING_UNIT, Role.DEPUTY, Role.CONGRESS_STAFF},
    (Status.REPLIED, Status.EVALUATED): STATION | {CONSTITUENT},
    (Status.EVALUATED, Status.ASSIGNED): STATION | {SYSTEM},
    (Status.EVALUATED, Status.CLOSED): STATION | {SYSTEM},
    (Status.REPLIED, Status.CLOSED): STATION | {SYSTEM},
    (Status.SUBMITTED, Status.WITHDRAWN): {CONSTITUENT},
    (Status.ACCEPTED, Status.WITHDRAWN): {CONSTITUENT},
    (Status.ASSIGNED, Status.WITHDRAWN): {CONSTITUENT},
    # 撤销合并: back to the status the case had before the merge, by those who may merge.
    (Status.MERGED, Status.SUBMITTED): STATION,
    (Status.MERGED, Status.ACCEPTED): STATION,
}

CASES = [
    pytest.param(frm, to, actor, id=f"{frm}->{to}:{actor}")
    for frm, to, actor in itertools.product(Status.values, Status.values, sorted(ALL_ACTORS))
]


@pytest.mark.parametrize(("current", "target", "actor"), CASES)
def test_every_pair_for_every_actor(current: str, target: str, actor: str) -> None:
    expected = actor in EXPECTED.get((current, target), set())
    assert allowed(current, target, actor) is expected
    if expected:
        ensure_transition(current, target, actor)
    else:
        with pytest.raises(TransitionNotAllowed) as info:
            ensure_transition(current, target, actor)
        assert (info.value.current, info.value.target, info.value.actor) == (
            current,
            target,
            actor,
        )


def test_table_has_no_pairs_beyond_the_design() -> None:
    assert {k: set(v) for k, v in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize("final", sorted(FINAL_STATUSES - {Status.MERGED}))
def test_nothing_leaves_a_final_status(final: str) -> None:
    assert targets_from(final, ALL_ACTORS) == []


def test_a_merged_case_leaves_only_by_unmerging_to_where_merging_starts() -> None:
    merge_from = {frm for (frm, to) in TRANSITIONS if to == Status.MERGED}
    assert set(targets_from(Status.MERGED, ALL_ACTORS)) == merge_from
    for before in merge_from:
        assert TRANSITIONS[(Status.MERGED, before)] == TRANSITIONS[(before, Status.MERGED)]


@pytest.mark.parametrize("admin", [Role.AUDITOR, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN])
def test_separated_admin_powers_never_move_a_case(admin: str) -> None:
    assert not any(admin in roles for roles in TRANSITIONS.values())


def test_constituent_cannot_withdraw_after_the_reply() -> None:
    for status in (Status.REPLIED, Status.EVALUATED, Status.CLOSED):
        assert not allowed(status, Status.WITHDRAWN, CONSTITUENT)


def targets_from(current: str, actors: set[str] | frozenset[str]) -> list[str]:
    """The statuses any of `actors` may move a case to from `current`."""
    return [to for (frm, to), roles in TRANSITIONS.items() if frm == current and roles & actors]


def test_targets_from_lists_the_moves_of_the_given_actors() -> None:
    assert set(targets_from(Status.ASSIGNED, {Role.HANDLING_UNIT})) == {Status.REPLIED}
    assert set(targets_from(Status.REPLIED, {CONSTITUENT})) == {Status.EVALUATED}
