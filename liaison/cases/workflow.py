"""The closed loop of a case as a pure transition table (DESIGN.md §4). No database access.

Actors are staff roles (liaison.accounts.models.Role values) plus two non-staff actors: the
constituent (identified by tracking code + PIN) and the system (the scheduled deadline job).
What people may do on a case, moves and the rest, is the action table (`cases.actions`), whose
status-changing rows are derived from this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from liaison.accounts.capabilities import Capability, roles_with
from liaison.accounts.models import Role
from liaison.cases.models import Status
from liaison.workflow.table import TransitionNotAllowed, transition_allowed

__all__ = ["TransitionNotAllowed"]

CONSTITUENT: Final = "constituent"
SYSTEM: Final = "system"

_STATION = roles_with(Capability.WORK_CASES)
_HANDLER = roles_with(Capability.HANDLE_CASES)

TRANSITIONS: Final[Mapping[tuple[str, str], frozenset[str]]] = {
    # Triage at the station: accept, decline, merge into a primary, or answer on the spot.
    (Status.SUBMITTED, Status.ACCEPTED): _STATION,
    (Status.SUBMITTED, Status.DECLINED): _STATION,
    (Status.SUBMITTED, Status.MERGED): _STATION,
    (Status.ACCEPTED, Status.MERGED): _STATION,
    # 撤销合并: a wrong merge is undone by the same roles, back to where the merge started
    # (the merge event records it); a merged case has no other way out.
    (Status.MERGED, Status.SUBMITTED): _STATION,
    (Status.MERGED, Status.ACCEPTED): _STATION,
    (Status.ACCEPTED, Status.REPLIED): _STATION | {Role.DEPUTY},  # 当场答复
    # Hand it on: to a unit or a deputy, or up to a higher congress.
    (Status.ACCEPTED, Status.ASSIGNED): _STATION,
    (Status.ACCEPTED, Status.FORWARDED): _STATION,
    (Status.FORWARDED, Status.ACCEPTED): frozenset({Role.CONGRESS_STAFF}),
    (Status.FORWARDED, Status.DECLINED): frozenset({Role.CONGRESS_STAFF}),
    (Status.ASSIGNED, Status.ASSIGNED): _STATION,  # reassign to another unit
    # The handler answers.
    (Status.ASSIGNED, Status.REPLIED): _HANDLER | {Role.CONGRESS_STAFF},
    # The person rates; staff may record a rating taken on the phone (回访).
    (Status.REPLIED, Status.EVALUATED): _STATION | {CONSTITUENT},
    # 不满意 reopens the case for re-handling by the same or another unit.
    (Status.EVALUATED, Status.ASSIGNED): _STATION | {SYSTEM},
    (Status.EVALUATED, Status.CLOSED): _STATION | {SYSTEM},
    # No rating within the waiting period: staff or the job close it.
    (Status.REPLIED, Status.CLOSED): _STATION | {SYSTEM},
    # The person may withdraw while nothing has been answered.
    (Status.SUBMITTED, Status.WITHDRAWN): frozenset({CONSTITUENT}),
    (Status.ACCEPTED, Status.WITHDRAWN): frozenset({CONSTITUENT}),
    (Status.ASSIGNED, Status.WITHDRAWN): frozenset({CONSTITUENT}),
}

ALL_ACTORS: Final = frozenset({*Role.values, CONSTITUENT, SYSTEM})


def allowed(current: str, target: str, actor: str) -> bool:
    return transition_allowed(TRANSITIONS, current, target, actor)


def ensure_transition(current: str, target: str, actor: str) -> None:
    """Raise TransitionNotAllowed unless `actor` may move a case from `current` to `target`."""
    if not allowed(current, target, actor):
        raise TransitionNotAllowed(current, target, actor)
