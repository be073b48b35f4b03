"""The action table against one written out independently: every action × status × actor ×
facts. No database."""

from __future__ import annotations

import itertools

import pytest

from liaison.suggestions.actions import RULES, TABLE, SuggestionFacts
from liaison.suggestions.models import Status
from liaison.suggestions.workflow import (
    ALL_ACTORS,
    AUTHOR,
    CO_UNIT,
    COSIGNER,
    HELPER,
    LEAD,
    STAFF,
    SYSTEM,
    TRANSITIONS,
)
from liaison.workflow.table import ActionRefused, TransitionNotAllowed

S = Status
EDITABLE = {S.DRAFT, S.RETURNED}
# action → ({status: actors}, fact that must hold or None)
EXPECTED: dict[str, tuple[dict[str, set[str]], tuple[str, bool] | None]] = {
    "submit": ({S.DRAFT: {AUTHOR}, S.RETURNED: {AUTHOR}}, None),
    "withdraw": ({S.DRAFT: {AUTHOR}, S.RETURNED: {AUTHOR}, S.SUBMITTED: {AUTHOR}}, None),
    "accept": ({S.SUBMITTED: {STAFF}}, None),
    "return": ({S.SUBMITTED: {STAFF}}, None),
    "merge": ({S.SUBMITTED: {STAFF}, S.ACCEPTED: {STAFF}}, None),
    "assign": ({S.ACCEPTED: {STAFF}, S.ASSIGNED: {STAFF}}, None),
    "answer": ({S.ASSIGNED: {LEAD}, S.REHANDLING: {LEAD}}, ("contacted", True)),
    "rate": ({S.ANSWERED: {AUTHOR}}, None),
    "close_unrated": ({S.ANSWERED: {SYSTEM}}, None),
    "edit": ({s: {AUTHOR, HELPER} for s in EDITABLE}, None),
    "cosign": ({s: {COSIGNER} for s in EDITABLE}, None),
    "return_request": ({S.ASSIGNED: {LEAD, CO_UNIT}}, ("pending_return", False)),
    "return_refuse": ({S.ASSIGNED: {STAFF}}, ("pending_return", True)),
    "complex": ({S.ASSIGNED: {STAFF}}, ("is_complex", False)),
    "co_view": ({S.ASSIGNED: {CO_UNIT}}, None),
    "contact": ({S.ASSIGNED: {LEAD}, S.REHANDLING: {LEAD}}, None),
    "priority": ({s: {STAFF} for s in (S.ACCEPTED, S.ASSIGNED, S.ANSWERED, S.REHANDLING)}, None),
    "publish_deputy": ({S.ANSWERED: {AUTHOR}, S.CLOSED: {AUTHOR}}, None),
    "publish_congress": ({S.ANSWERED: {STAFF}, S.CLOSED: {STAFF}}, None),
}

FACTS = [
    SuggestionFacts(status=s, contacted=c, is_complex=x, pending_return=p)
    for s, c, x, p in itertools.product(S.values, (False, True), (False, True), (False, True))
]
ROWS = [
    pytest.param(action, actor, id=f"{action}:{actor}")
    for action in sorted(EXPECTED)
    for actor in sorted(ALL_ACTORS)
]


@pytest.mark.parametrize(("action", "actor"), ROWS)
def test_every_action_status_actor_and_fact(action: str, actor: str) -> None:
    for facts in FACTS:
        _check(action, actor, facts)


def _check(action: str, actor: str, facts: SuggestionFacts) -> None:
    allowed, needs = EXPECTED[action]
    permitted = actor in allowed.get(facts.status, set())
    holds = needs is None or getattr(facts, needs[0]) is needs[1]
    assert TABLE.may(action, {actor}, facts) is (permitted and holds)
    if permitted and holds:
        assert TABLE.ensure_action(action, [actor], facts) == actor
    elif facts.status not in allowed:
        with pytest.raises(TransitionNotAllowed):
            TABLE.ensure_action(action, [actor], facts)
    elif not permitted:
        with pytest.raises(Exception) as info:
            TABLE.ensure_action(action, [actor], facts)
        assert info.type.__name__ == "PermissionDenied"
    else:
        with pytest.raises(ActionRefused):
            TABLE.ensure_action(action, [actor], facts)


def test_the_table_names_exactly_these_actions() -> None:
    assert set(RULES) == set(EXPECTED)


def test_every_transition_is_exactly_one_move_row_per_actor() -> None:
    for (frm, to), actors in TRANSITIONS.items():
        for actor in actors:
            rows = [
                name
                for name, rule in RULES.items()
                if to in rule.targets and actor in rule.allowed.get(frm, frozenset())
            ]
            assert len(rows) == 1, (frm, to, actor, rows)


def test_refusals_are_in_chinese() -> None:
    facts = SuggestionFacts(status=S.ASSIGNED, contacted=False)
    with pytest.raises(ActionRefused) as info:
        TABLE.ensure_action("answer", [LEAD], facts)
    assert "沟通" in info.value.messages[0]
