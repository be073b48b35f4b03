"""The life of a duty activity as a pure transition table. No database access.

planned ──record──▶ draft ──submit──▶ submitted ──verify──▶ verified
   │                 ▲  └─record─┘        └──return──▶ returned ──record──┘
   └─cancel──▶ cancelled

Actors are staff roles (liaison.accounts.models.Role values) and two relations of a deputy to
the activity: the deputy who organised it (ORGANISER, plans and records it like station staff)
and a deputy invited to it (INVITEE, confirms their own attendance). Who may verify is congress
staff of the region; never the author of the record (a condition of the action table).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from liaison.accounts.capabilities import Capability, roles_with
from liaison.activities.models import Status
from liaison.workflow.table import TransitionNotAllowed, transition_allowed

__all__ = ["TransitionNotAllowed"]

ORGANISER: Final = "organiser"
INVITEE: Final = "invitee"

PLANNERS: Final = frozenset({*roles_with(Capability.PLAN_ACTIVITIES), ORGANISER})
VERIFIERS: Final = frozenset(roles_with(Capability.VERIFY_ACTIVITIES))

TRANSITIONS: Final[Mapping[tuple[str, str], frozenset[str]]] = {
    # Recorded after it was held (who came, the outcome); a draft or a returned record is
    # recorded again before it is sent.
    (Status.PLANNED, Status.DRAFT): PLANNERS,
    (Status.DRAFT, Status.DRAFT): PLANNERS,
    (Status.RETURNED, Status.DRAFT): PLANNERS,
    (Status.DRAFT, Status.SUBMITTED): PLANNERS,
    # A planned activity that did not happen.
    (Status.PLANNED, Status.CANCELLED): PLANNERS,
    # Congress staff check the record.
    (Status.SUBMITTED, Status.VERIFIED): VERIFIERS,
    (Status.SUBMITTED, Status.RETURNED): VERIFIERS,
}

ALL_ACTORS: Final = frozenset({*roles_with(*Capability), ORGANISER, INVITEE})


def allowed(current: str, target: str, actor: str) -> bool:
    return transition_allowed(TRANSITIONS, current, target, actor)
