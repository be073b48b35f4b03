"""Everything a person can do to a duty report, as one pure table (the kernel's types, see
liaison/workflow/table.py). Moving rows come from `workflow.TRANSITIONS`; printing the sign-in
sheet keeps the status.

Facts: `started` (the meeting began: nothing is recorded for the future) and `has_text` (a
report without its text is not published).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext_lazy as _

from liaison.dutyreports.models import Status
from liaison.dutyreports.workflow import ORGANISERS, TRANSITIONS
from liaison.workflow.table import ActionTable, Condition, Rule, moves, staying


@dataclass(frozen=True)
class ReportFacts:
    status: str
    started: bool = False
    has_text: bool = False


_STARTED = Condition("started", True, _("述职会尚未开始，不能登记述职情况"))
_TEXT = Condition("has_text", True, _("请先登记述职报告全文"))


def _with(rule: Rule, *conditions: Condition) -> Rule:
    return Rule(allowed=rule.allowed, conditions=conditions, targets=rule.targets)


RULES: Final = {
    "hold": _with(moves(TRANSITIONS, Status.HELD), _STARTED),
    "publish": _with(moves(TRANSITIONS, Status.PUBLISHED), _TEXT),
    "cancel": moves(TRANSITIONS, Status.CANCELLED),
    "sheet": staying({Status.SCHEDULED, Status.HELD, Status.PUBLISHED}, ORGANISERS),
}

TABLE: Final = ActionTable(RULES)
