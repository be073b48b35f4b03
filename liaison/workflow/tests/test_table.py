"""The kernel's pure tables on a toy workflow (the case loop's rows have their own tests)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied

from liaison.workflow.table import (
    ActionRefused,
    ActionTable,
    Condition,
    TransitionNotAllowed,
    moves,
    staying,
    transition_allowed,
    transition_ensure,
)

TRANSITIONS = {
    ("draft", "filed"): frozenset({"author"}),
    ("filed", "answered"): frozenset({"clerk"}),
    ("filed", "draft"): frozenset({"author", "clerk"}),
}


@dataclass(frozen=True)
class Facts:
    status: str
    signed: bool | None = None


SIGNED = Condition("signed", True, "请先签名")
TABLE = ActionTable(
    {
        "file": moves(TRANSITIONS, "filed"),
        "answer": moves(TRANSITIONS, "answered"),
        "recall": moves(TRANSITIONS, "draft", only_from={"filed"}),
        "sign": staying({"draft"}, frozenset({"author"})),
        "stamp": staying({"filed"}, frozenset({"clerk"}), SIGNED),
    }
)


def test_move_rows_are_derived_from_the_transition_table() -> None:
    assert TABLE.rule("file").allowed == {"draft": frozenset({"author"})}
    assert TABLE.rule("file").targets == frozenset({"filed"})
    assert TABLE.rule("recall").actors == frozenset({"author", "clerk"})
    assert TABLE.rule("sign").targets == frozenset()


def test_transition_checks() -> None:
    assert transition_allowed(TRANSITIONS, "draft", "filed", "author")
    assert not transition_allowed(TRANSITIONS, "draft", "filed", "clerk")
    transition_ensure(TRANSITIONS, "filed", "answered", "clerk")
    with pytest.raises(TransitionNotAllowed):
        transition_ensure(TRANSITIONS, "answered", "draft", "clerk")


def test_ensure_action_returns_the_first_allowed_actor_in_the_callers_order() -> None:
    assert TABLE.ensure_action("recall", ["clerk", "author"], Facts("filed")) == "clerk"
    assert TABLE.ensure_action("recall", ["visitor", "author"], Facts("filed")) == "author"


def test_refusals_say_why() -> None:
    with pytest.raises(TransitionNotAllowed):
        TABLE.ensure_action("answer", ["clerk"], Facts("draft"))
    with pytest.raises(PermissionDenied):
        TABLE.ensure_action("answer", ["author"], Facts("filed"))
    with pytest.raises(ActionRefused, match="请先签名"):
        TABLE.ensure_action("stamp", ["clerk"], Facts("filed", signed=False))


def test_a_fact_nobody_looked_up_fails_loudly() -> None:
    with pytest.raises(ValueError, match="signed"):
        TABLE.may("stamp", ["clerk"], Facts("filed"))


def test_available_is_what_may_allows() -> None:
    assert TABLE.available({"author"}, Facts("draft")) == {"file", "sign"}
    assert TABLE.available({"clerk"}, Facts("filed", signed=True)) == {
        "answer",
        "recall",
        "stamp",
    }
    assert TABLE.available({"clerk"}, Facts("filed", signed=False)) == {"answer", "recall"}
    assert TABLE.statuses_for("author") == frozenset({"draft", "filed"})
