"""The pure part of every workflow: a transition table and an action table. No database access.

A workflow's moves are a transition table, (from, to) → the actors allowed. Everything a person
can do is an action table: for each action name a `Rule`, the actors allowed from each status,
the conditions that must hold and the statuses the action leads to (empty: the status stays).
The rows that move the status are derived from the transition table (`moves`), the others are
written out (`staying`). Conditions read facts: a frozen dataclass of plain values taken from the
row by the app, with a `status` field; a fact the caller did not look up is None, and a rule that
needs it raises instead of guessing.

A page offers exactly `available(...)`; a service starts with `ensure_action(...)` on the locked
row (the kernel does it, `flow.workflow_begin`), so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise

Transitions = Mapping[tuple[str, str], frozenset[str]]


class Facts(Protocol):
    """What an action table reads about a row (apps use a frozen dataclass)."""

    @property
    def status(self) -> str: ...


class TransitionNotAllowed(Exception):
    def __init__(self, current: str, target: str, actor: str) -> None:
        super().__init__(f"{actor} may not move from {current} to {target}")
        self.current, self.target, self.actor = current, target, actor


class ActionRefused(ValidationError):
    """A condition of the action does not hold (the message says which)."""


def transition_allowed(transitions: Transitions, current: str, target: str, actor: str) -> bool:
    return actor in transitions.get((current, target), frozenset())


def transition_ensure(transitions: Transitions, current: str, target: str, actor: str) -> None:
    """Raise TransitionNotAllowed unless `actor` may move from `current` to `target`."""
    if not transition_allowed(transitions, current, target, actor):
        raise TransitionNotAllowed(current, target, actor)


@dataclass(frozen=True)
class Condition:
    """A fact that must have `value`, and what the person is told when it has not."""

    fact: str
    value: bool
    refusal: str | Promise

    def holds(self, facts: Facts) -> bool:
        actual = getattr(facts, self.fact)
        if actual is None:
            raise ValueError(f"the rule needs the fact {self.fact!r}, which was not given")
        return bool(actual) is self.value


@dataclass(frozen=True)
class Rule:
    """One action: the actors allowed from each status, the conditions, the statuses it leads to
    (empty: the status stays)."""

    allowed: Mapping[str, frozenset[str]]
    conditions: tuple[Condition, ...] = ()
    targets: frozenset[str] = frozenset()

    @property
    def actors(self) -> frozenset[str]:
        return frozenset().union(*self.allowed.values())

    @property
    def facts_needed(self) -> frozenset[str]:
        return frozenset(c.fact for c in self.conditions)


def moves(
    transitions: Transitions,
    *targets: str,
    only_from: Collection[str] = (),
    never_from: Collection[str] = (),
) -> Rule:
    """A status-changing row: the transition table's (from → one of `targets`) entries."""
    allowed: dict[str, frozenset[str]] = {}
    reached: set[str] = set()
    for (frm, to), actors in transitions.items():
        if to not in targets or frm in never_from or (only_from and frm not in only_from):
            continue
        allowed[frm] = allowed.get(frm, frozenset()) | actors
        reached.add(to)
    return Rule(allowed=allowed, targets=frozenset(reached))


def staying(statuses: Iterable[str], actors: frozenset[str], *conditions: Condition) -> Rule:
    """A row that leaves the status alone."""
    return Rule(allowed={s: actors for s in statuses}, conditions=conditions)


@dataclass(frozen=True)
class ActionTable:
    """Every action of one workflow, by name."""

    rules: Mapping[str, Rule]

    def rule(self, action: str) -> Rule:
        """The row of `action` (KeyError for a name that is not an action: a programming error)."""
        return self.rules[action]

    def may(self, action: str, actors: Collection[str], facts: Facts) -> bool:
        """Whether any of `actors` may take `action` on a row with `facts`."""
        row = self.rules[action]
        if not row.allowed.get(facts.status, frozenset()) & set(actors):
            return False
        return all(c.holds(facts) for c in row.conditions)

    def available(self, actors: Collection[str], facts: Facts) -> set[str]:
        """The names of the actions any of `actors` may take now (what a page offers)."""
        return {name for name in self.rules if self.may(name, actors, facts)}

    def statuses_for(self, actor: str) -> frozenset[str]:
        """The statuses in which `actor` has some action."""
        return frozenset(
            s for row in self.rules.values() for s, who in row.allowed.items() if actor in who
        )

    def ensure_action(self, action: str, actors: Iterable[str], facts: Facts) -> str:
        """The first of `actors` (in the caller's order) allowed to take `action`, or a refusal.

        TransitionNotAllowed: not from this status, for anybody; PermissionDenied: not for these
        actors; ActionRefused: a condition does not hold.
        """
        row = self.rules[action]
        ordered = list(actors)
        allowed = row.allowed.get(facts.status)
        if allowed is None:
            raise TransitionNotAllowed(facts.status, action, ordered[0] if ordered else "-")
        usable = [a for a in ordered if a in allowed]
        if not usable:
            raise PermissionDenied
        for condition in row.conditions:
            if not condition.holds(facts):
                raise ActionRefused(str(condition.refusal))
        return usable[0]
