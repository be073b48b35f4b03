"""The suggestion loop as a workflow of the kernel: every suggestion service begins here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from liaison.accounts.models import User
from liaison.suggestions import actions
from liaison.suggestions.models import EventKind, ReturnRequest, Status, Suggestion, SuggestionEvent
from liaison.suggestions.permissions import suggestion_actors
from liaison.suggestions.services.errors import SuggestionConflict
from liaison.suggestions.workflow import SYSTEM, TRANSITIONS
from liaison.workflow.flow import Step, Workflow, workflow_begin


def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


def _facts(row: Suggestion, needed: frozenset[str], given: Mapping[str, Any]) -> Any:
    pending = given.get("pending_return")
    if pending is None and "pending_return" in needed:
        pending = ReturnRequest.objects.filter(
            suggestion_id=row.pk, decision=ReturnRequest.Decision.PENDING
        ).exists()
    return actions.facts_of(row, pending_return=pending)


def _label(kind: str) -> str:
    try:
        return str(EventKind(kind).label)
    except ValueError:
        return kind


SUGGESTIONS: Final = Workflow[Suggestion](
    model=Suggestion,
    event_model=SuggestionEvent,
    transitions=TRANSITIONS,
    table=actions.TABLE,
    facts=_facts,
    actors=suggestion_actors,
    conflict=lambda row: SuggestionConflict(status_label=status_label(row.status)),
    label=_label,
    region=lambda row: row.congress_id,
    nobody=SYSTEM,
)


def suggestion_begin(
    *,
    suggestion: Suggestion,
    action: str,
    actor: User | None,
    expected_version: int | None = None,
    target: str = "",
) -> Step[Suggestion]:
    """Lock the row, check the version, the action table and (for a move) the transitions."""
    return workflow_begin(
        SUGGESTIONS,
        row=suggestion,
        action=action,
        actor=actor,
        expected_version=expected_version,
        target=target,
    )
