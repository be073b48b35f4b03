"""Everything a person can do to an activity, as one pure table (the kernel's types, see
liaison/workflow/table.py). The moving rows come from `workflow.TRANSITIONS`; the rows that
keep the status (edit the plan, a deputy's own confirmation) are written out here.

Facts the conditions read: `started` (the activity began: nothing is recorded or confirmed for
the future), `has_attendance` (a deputy is marked as present: nothing empty is sent), and two
facts about the person acting, which the caller gives: `by_author` (they planned or recorded it:
they may not verify it) and `self_confirmed` (the deputy already confirmed).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext_lazy as _

from liaison.activities.models import Status
from liaison.activities.workflow import INVITEE, PLANNERS, TRANSITIONS
from liaison.workflow.table import ActionTable, Condition, Rule, moves, staying


@dataclass(frozen=True)
class ActivityFacts:
    status: str
    started: bool = False
    has_attendance: bool | None = None
    by_author: bool | None = None
    self_confirmed: bool | None = None


_STARTED = Condition("started", True, _("活动尚未开始，不能登记或确认出席"))
_ATTENDANCE = Condition("has_attendance", True, _("请先登记实际参加的代表"))
_NOT_AUTHOR = Condition("by_author", False, _("活动的计划人或记录人不能核实自己的记录"))
_NOT_CONFIRMED = Condition("self_confirmed", False, _("您已确认出席"))


def _moves(*targets: str, only_from: Collection[str] = ()) -> Rule:
    return moves(TRANSITIONS, *targets, only_from=only_from)


def _with(rule: Rule, *conditions: Condition) -> Rule:
    return Rule(allowed=rule.allowed, conditions=conditions, targets=rule.targets)


RULES: Final = {
    "record": _with(_moves(Status.DRAFT), _STARTED),
    "submit": _with(_moves(Status.SUBMITTED), _ATTENDANCE),
    "verify": _with(_moves(Status.VERIFIED), _NOT_AUTHOR),
    "return": _with(_moves(Status.RETURNED), _NOT_AUTHOR),
    "cancel": _moves(Status.CANCELLED),
    "edit": staying({Status.PLANNED}, PLANNERS),
    "confirm": staying(
        {Status.PLANNED, Status.DRAFT, Status.RETURNED},
        frozenset({INVITEE}),
        _STARTED,
        _NOT_CONFIRMED,
    ),
}

TABLE: Final = ActionTable(RULES)
