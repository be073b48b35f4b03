"""The life of a suggestion as a pure transition table. No database access.

Actors are who a user is *to this suggestion* (`permissions.suggestion_actors`): its author
(the deputy who files it), a co-signer, station staff helping to draft, the congress staff of its
congress, the lead unit, a co-handling unit, and the system (the deadline job).

    draft ─submit─▶ submitted ─accept─▶ accepted ─assign─▶ assigned ─answer─▶ answered
      │  returned ◀─return─┘ └─merge─▶ merged    (reassign ⟲)                  │ rate
      └─withdraw─▶ withdrawn                       closed ◀─满意─┴─不满意─▶ rehandling
                                                                   rehandling ─answer─▶ answered
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from liaison.accounts.models import Role
from liaison.suggestions.models import Status
from liaison.workflow.table import TransitionNotAllowed

__all__ = ["TransitionNotAllowed"]

AUTHOR: Final = "author"
COSIGNER: Final = "cosigner"
HELPER: Final = "helper"
STAFF: Final = str(Role.CONGRESS_STAFF)
LEAD: Final = "lead_unit"
CO_UNIT: Final = "co_unit"
SYSTEM: Final = "system"

# The order in which an event records who acted when a user is several of these at once.
ACTOR_ORDER: Final = (AUTHOR, STAFF, LEAD, CO_UNIT, HELPER, COSIGNER, SYSTEM)
ALL_ACTORS: Final = frozenset(ACTOR_ORDER)

_AUTHOR = frozenset({AUTHOR})
_STAFF = frozenset({STAFF})
_LEAD = frozenset({LEAD})

TRANSITIONS: Final[Mapping[tuple[str, str], frozenset[str]]] = {
    # Only the deputy submits (station staff may help draft, never file in a deputy's name).
    (Status.DRAFT, Status.SUBMITTED): _AUTHOR,
    (Status.RETURNED, Status.SUBMITTED): _AUTHOR,
    # The deputy may withdraw until the congress has accepted it.
    (Status.DRAFT, Status.WITHDRAWN): _AUTHOR,
    (Status.RETURNED, Status.WITHDRAWN): _AUTHOR,
    (Status.SUBMITTED, Status.WITHDRAWN): _AUTHOR,
    # Review by the congress staff.
    (Status.SUBMITTED, Status.ACCEPTED): _STAFF,
    (Status.SUBMITTED, Status.RETURNED): _STAFF,
    (Status.SUBMITTED, Status.MERGED): _STAFF,
    (Status.ACCEPTED, Status.MERGED): _STAFF,
    # Assignment, and reassignment after a unit's justified return request.
    (Status.ACCEPTED, Status.ASSIGNED): _STAFF,
    (Status.ASSIGNED, Status.ASSIGNED): _STAFF,
    # The lead unit answers, again after 不满意.
    (Status.ASSIGNED, Status.ANSWERED): _LEAD,
    (Status.REHANDLING, Status.ANSWERED): _LEAD,
    # The deputy rates: 满意/基本满意 close it, 不满意 (the first time) sends it back.
    # The rating window passed without a rating: the worker closes it as 未评价 (decision 0040).
    (Status.ANSWERED, Status.CLOSED): frozenset({AUTHOR, SYSTEM}),
    (Status.ANSWERED, Status.REHANDLING): _AUTHOR,
}
