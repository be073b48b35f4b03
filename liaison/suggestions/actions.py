"""Everything a person can do to a suggestion, as one pure table (the kernel's types).

The moving rows come from `workflow.TRANSITIONS`; the others (edit, co-sign, return request,
complex, co-handling view, contact, priority, publication) are written out here. The page offers
`TABLE.available(actors, facts)`, every service starts with `ensure_action` through
`services/flow.suggestion_begin`, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext_lazy as _

from liaison.suggestions.models import Status, Suggestion
from liaison.suggestions.workflow import (
    AUTHOR,
    CO_UNIT,
    COSIGNER,
    HELPER,
    LEAD,
    STAFF,
    SYSTEM,
    TRANSITIONS,
)
from liaison.workflow.table import ActionTable, Condition, Rule, moves, staying


@dataclass(frozen=True)
class SuggestionFacts:
    """What the rules read. `pending_return` costs a query: None when the caller did not look."""

    status: str
    contacted: bool = False
    is_complex: bool = False
    pending_return: bool | None = None


def facts_of(suggestion: Suggestion, *, pending_return: bool | None = None) -> SuggestionFacts:
    return SuggestionFacts(
        status=suggestion.status,
        contacted=bool(suggestion.contact_method),
        is_complex=suggestion.is_complex,
        pending_return=pending_return,
    )


def _by(rule: Rule, actors: frozenset[str]) -> Rule:
    """The same move, for `actors` only (the system closes unrated answers; only the deputy
    rates)."""
    allowed = {s: a & actors for s, a in rule.allowed.items() if a & actors}
    return Rule(allowed=allowed, conditions=rule.conditions, targets=rule.targets)


_EDITABLE: Final = (Status.DRAFT, Status.RETURNED)
_HANDLING: Final = (Status.ASSIGNED, Status.REHANDLING)
_PRESSABLE: Final = (Status.ACCEPTED, Status.ASSIGNED, Status.ANSWERED, Status.REHANDLING)
_ANSWERED: Final = (Status.ANSWERED, Status.CLOSED)

_CONTACTED = Condition("contacted", True, _("答复前须先记录与代表的沟通情况（面商、电话或走访）"))
_NOT_COMPLEX = Condition("is_complex", False, _("该建议已批准为复杂建议"))
_NO_PENDING = Condition("pending_return", False, _("已有待处理的退回申请，请等待人大处理"))
_PENDING = Condition("pending_return", True, _("该建议没有待处理的退回申请"))

RULES: Final[Mapping[str, Rule]] = {
    "submit": moves(TRANSITIONS, Status.SUBMITTED),
    "withdraw": moves(TRANSITIONS, Status.WITHDRAWN),
    "accept": moves(TRANSITIONS, Status.ACCEPTED),
    "return": moves(TRANSITIONS, Status.RETURNED),
    "merge": moves(TRANSITIONS, Status.MERGED),
    "assign": moves(TRANSITIONS, Status.ASSIGNED),  # also reassign
    "answer": Rule(
        allowed=moves(TRANSITIONS, Status.ANSWERED).allowed,
        conditions=(_CONTACTED,),
        targets=frozenset({Status.ANSWERED}),
    ),
    "rate": _by(moves(TRANSITIONS, Status.CLOSED, Status.REHANDLING), frozenset({AUTHOR})),
    "close_unrated": _by(moves(TRANSITIONS, Status.CLOSED), frozenset({SYSTEM})),
    # Actions that leave the status alone.
    "edit": staying(_EDITABLE, frozenset({AUTHOR, HELPER})),
    "cosign": staying(_EDITABLE, frozenset({COSIGNER})),
    "return_request": staying({Status.ASSIGNED}, frozenset({LEAD, CO_UNIT}), _NO_PENDING),
    "return_refuse": staying({Status.ASSIGNED}, frozenset({STAFF}), _PENDING),
    "complex": staying({Status.ASSIGNED}, frozenset({STAFF}), _NOT_COMPLEX),
    "co_view": staying({Status.ASSIGNED}, frozenset({CO_UNIT})),
    "contact": staying(_HANDLING, frozenset({LEAD})),
    "priority": staying(_PRESSABLE, frozenset({STAFF})),
    "publish_deputy": staying(_ANSWERED, frozenset({AUTHOR})),
    "publish_congress": staying(_ANSWERED, frozenset({STAFF})),
}

TABLE: Final = ActionTable(RULES)
