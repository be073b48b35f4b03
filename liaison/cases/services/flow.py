"""The case loop as a workflow of the kernel (liaison/workflow/flow.py): its tables, facts and
actors, and the conflict message. Every case service begins with `case_begin`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.cases import actions
from liaison.cases.deadlines import extension_days_available
from liaison.cases.models import Case, CaseEvent, EventKind, ExtensionRequest, Status
from liaison.cases.permissions import case_actors, ordered_roles
from liaison.cases.services.errors import CaseConflict
from liaison.cases.workflow import SYSTEM, TRANSITIONS
from liaison.workflow.flow import Step, Workflow, workflow_begin


def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


def _facts(case: Case, needed: frozenset[str], given: Mapping[str, Any]) -> actions.CaseFacts:
    pending = given.get("pending_extension")
    if pending is None and "pending_extension" in needed:
        pending = ExtensionRequest.objects.filter(
            case_id=case.pk, decision=ExtensionRequest.Decision.PENDING
        ).exists()
    left = given.get("extension_left")
    if left is None and "extension_left" in needed:
        left = extension_days_available(case) >= 1
    return actions.facts_of(case, pending_extension=pending, extension_left=left)


def _actors(user: User, case: Case) -> list[str]:
    return ordered_roles(case_actors(user, case))


def _conflict(case: Case) -> Exception:
    return CaseConflict(current_status_label=status_label(case.status))


def _label(kind: str) -> str:
    try:
        return str(EventKind(kind).label)
    except ValueError:
        return _(kind)


CASES: Final = Workflow[Case](
    model=Case,
    event_model=CaseEvent,
    transitions=TRANSITIONS,
    table=actions.TABLE,
    facts=_facts,
    actors=_actors,
    conflict=_conflict,
    label=_label,
    region=lambda case: case.region_id,
    nobody=SYSTEM,
)


def case_begin(
    *,
    case: Case,
    action: str,
    actor: User | None,
    expected_version: int | None = None,
    target: str = "",
    nobody: str = SYSTEM,
    pending_extension: bool | None = None,
) -> Step[Case]:
    """Lock the case, check the version and the action table (and, for a move to `target`, the
    transition table); the step then saves, appends the event, audits and notifies."""
    return workflow_begin(
        CASES,
        row=case,
        action=action,
        actor=actor,
        expected_version=expected_version,
        target=target,
        nobody=nobody,
        facts={} if pending_extension is None else {"pending_extension": pending_extension},
    )
