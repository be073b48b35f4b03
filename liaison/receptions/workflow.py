"""The swap request (调班) as a workflow of the kernel: the pure tables (decision 0017).

A deputy on duty asks (the service creates the row, pending); station staff approve or reject;
the deputy may withdraw while it is pending. Nothing moves once the reception day has begun.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from django.utils.translation import gettext_lazy as _

from liaison.receptions.models import SwapRequest, SwapStatus
from liaison.workflow.table import ActionTable, Condition, Transitions, moves

REQUESTER: Final = "requester"  # the deputy who asked
STAFF: Final = "station_staff"  # holds SCHEDULE_RECEPTIONS over the station

_P, _A, _R, _W = SwapStatus.PENDING, SwapStatus.APPROVED, SwapStatus.REJECTED, SwapStatus.WITHDRAWN

TRANSITIONS: Final[Transitions] = {
    (_P, _A): frozenset({STAFF}),
    (_P, _R): frozenset({STAFF}),
    (_P, _W): frozenset({REQUESTER}),
}


@dataclass(frozen=True)
class SwapFacts:
    status: str
    day_ahead: bool  # the reception day has not begun


def facts_of(swap: SwapRequest, *, day_ahead: bool) -> SwapFacts:
    return SwapFacts(status=swap.status, day_ahead=day_ahead)


_AHEAD = Condition("day_ahead", True, _("接待日已开始，不能再调班"))

TABLE: Final = ActionTable(
    {
        # Approving changes who is on duty: only before the day begins.
        "approve": replace(moves(TRANSITIONS, _A), conditions=(_AHEAD,)),
        "reject": moves(TRANSITIONS, _R),
        "withdraw": moves(TRANSITIONS, _W),
    }
)
