"""The steps every write of a status workflow takes, once: lock, version, role, table, save,
event, audit, notify on commit.

An app describes its workflow once as a `Workflow` (its model and event model, its transition
and action tables, how to read facts and actors, the conflict error) and each service does::

    with transaction.atomic():
        step = workflow_begin(CASES, row=case, action="accept", actor=actor,
                              expected_version=v, target=Status.ACCEPTED)
        step.row.accepted_at = now                                 # the service's own fields
        step.finish(fields=["accepted_at"], kind=EventKind.ACCEPTED, note=_("已受理"),
                    notify=[lambda: ...])

`workflow_begin` locks the row (select_for_update), checks the version the person saw, resolves
the actor's role through the action table (a refusal on a row that changed since the person
looked at it is the app's conflict error) and, for a move, the transition. `Step.finish` sets the
new status, bumps the version, saves only the fields named, appends the event through the one
event builder, writes the audit row for a staff actor and schedules the notifications for after
the commit. The parts are there one by one (`save`, `event`, `audit`, `notify`) for services
that interleave their own work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.workflow.events import event_append, event_build
from liaison.workflow.models import WorkflowEvent
from liaison.workflow.table import (
    ActionRefused,
    ActionTable,
    Facts,
    TransitionNotAllowed,
    Transitions,
    transition_ensure,
)


@dataclass(frozen=True, kw_only=True)
class Workflow[M: models.Model]:
    """What the kernel needs to know about one workflow.

    - `facts(row, needed, given)`: the row's facts. Facts stored on the row are read from it;
      a fact that costs a query is taken from `given` when the caller knows it, else looked up
      only when `needed` (the facts the action's conditions read) names it.
    - `actors(user, row)`: the roles `user` holds on the row, in the order the event records the
      first allowed one; empty means the row is none of their business (PermissionDenied).
    - `conflict(row)`: the error telling the person the row changed under them.
    - `label(kind)`: the audit note of an event kind when the service gives none.
    """

    model: type[M]
    event_model: type[WorkflowEvent]
    transitions: Transitions
    table: ActionTable
    facts: Callable[[M, frozenset[str], Mapping[str, Any]], Facts]
    actors: Callable[[User, M], Sequence[str]]
    conflict: Callable[[M], Exception]
    label: Callable[[str], str]
    region: Callable[[M], str] = lambda row: ""
    nobody: str = "system"
    status_field: str = "status"
    version_field: str = "version"

    def status_of(self, row: M) -> str:
        return str(getattr(row, self.status_field))

    def lock(self, row: M | int) -> M:
        """The row, locked until the end of the transaction."""
        pk = row if isinstance(row, int) else row.pk
        return self.model._default_manager.select_for_update().get(pk=pk)

    def check_version(self, row: M, expected_version: int | None) -> None:
        """The conflict error unless the row still has the version the person saw."""
        if expected_version is not None and getattr(row, self.version_field) != expected_version:
            raise self.conflict(row)

    def check_action(
        self,
        row: M,
        action: str,
        actor: User | None,
        *,
        seen: M | None = None,
        nobody: str | None = None,
        facts: Mapping[str, Any] | None = None,
    ) -> str:
        """The role (or pseudo-actor) in which `actor` may take `action` on the locked `row`.

        `actor=None` acts as `nobody` (the constituent, the system). When the table refuses but
        would have allowed the action on `seen` (the copy the caller looked at), the row changed
        under the caller: the conflict error. Otherwise the table's refusal is raised.
        """
        needed = self.table.rule(action).facts_needed
        given = dict(facts or {})
        if actor is None:
            actors = [nobody or self.nobody]
        else:
            actors = list(self.actors(actor, row))
            if not actors:
                raise PermissionDenied
        now = self.facts(row, needed, given)
        try:
            return self.table.ensure_action(action, actors, now)
        except (PermissionDenied, TransitionNotAllowed, ActionRefused):
            if seen is not None:
                # The looked-up facts as found for the locked row: only the row's change counts.
                before = self.facts(seen, needed, {**given, **_values(now, needed)})
                if before != now and self.table.may(action, actors, before):
                    raise self.conflict(row) from None
            raise


def _values(facts: Facts, needed: frozenset[str]) -> dict[str, Any]:
    return {name: getattr(facts, name) for name in needed}


@dataclass(kw_only=True)
class Step[M: models.Model]:
    """One write in progress on a locked row (made by `workflow_begin`)."""

    flow: Workflow[M]
    row: M
    role: str
    actor: User | None
    action: str
    # The status when the step began, and where a move leads ("" for other actions).
    from_status: str
    target: str = ""
    saved: list[str] = field(default_factory=list)

    def move_to(self, target: str, *, role: str | None = None) -> None:
        """Make the step a move to `target` (or another move after the first: 不满意 reopens),
        checked against the transition table for `role` (default: the step's)."""
        current = self.target or self.from_status
        transition_ensure(self.flow.transitions, current, target, role or self.role)
        self.target = target

    def save(self, *, fields: Iterable[str]) -> None:
        """Apply the move (the target status), bump the version and save only these fields."""
        names = {*fields, self.flow.version_field}
        if self.target:
            setattr(self.row, self.flow.status_field, self.target)
            names.add(self.flow.status_field)
        version = self.flow.version_field
        setattr(self.row, version, getattr(self.row, version) + 1)
        self.row.save(update_fields=sorted(names))
        self.saved = sorted(names)

    def event(
        self,
        kind: str,
        *,
        note: str = "",
        data: Mapping[str, Any] | None = None,
        subject: M | None = None,
        move: bool | None = None,
    ) -> WorkflowEvent:
        """Append the event of this step (on `subject` when it is about another row: then, by
        default, without statuses). A move records from and to status."""
        on = self.row if subject is None else subject
        recorded = (subject is None) if move is None else move
        recorded = recorded and bool(self.target)
        return event_append(
            event_build(
                model=self.flow.event_model,
                subject=on,
                kind=kind,
                actor=self.actor,
                role=self.role,
                from_status=self.from_status if recorded else "",
                to_status=self.target if recorded else "",
                note=note,
                data=data,
            )
        )

    def audit(
        self,
        kind: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
        note: str = "",
    ) -> None:
        """The audit row of a staff action (the constituent and the system leave the event only).

        By default a move records the status before and the status and version after."""
        if self.actor is None:
            return
        flow = self.flow
        audit_record(
            actor=self.actor,
            action=AuditAction.UPDATE,
            obj=self.row,
            region_code=flow.region(self.row),
            before=before if before is not None else {flow.status_field: self.from_status},
            after=after
            if after is not None
            else {
                flow.status_field: flow.status_of(self.row),
                flow.version_field: getattr(self.row, flow.version_field),
            },
            note=(note or flow.label(kind))[:500],
        )

    def notify(self, *callbacks: Callable[[], Any]) -> None:
        """Run each callback once the transaction commits; a failure is logged (robust), it
        never undoes the write."""
        for callback in callbacks:
            transaction.on_commit(callback, robust=True)

    def finish(
        self,
        *,
        fields: Iterable[str] = (),
        kind: str,
        note: str = "",
        data: Mapping[str, Any] | None = None,
        audit_before: Mapping[str, Any] | None = None,
        audit_after: Mapping[str, Any] | None = None,
        audit_note: str = "",
        notify: Iterable[Callable[[], Any]] = (),
    ) -> WorkflowEvent:
        """Save, append the event, audit, and notify after commit: the end of most services."""
        self.save(fields=fields)
        event = self.event(kind, note=note, data=data)
        self.audit(kind, before=audit_before, after=audit_after, note=audit_note)
        self.notify(*notify)
        return event


def workflow_begin[M: models.Model](
    flow: Workflow[M],
    *,
    row: M,
    action: str,
    actor: User | None,
    expected_version: int | None = None,
    target: str = "",
    nobody: str | None = None,
    facts: Mapping[str, Any] | None = None,
) -> Step[M]:
    """Lock `row`, check the version the person saw and the action table; `target` is where a
    move leads from the current status (checked against the transition table). Call inside
    `transaction.atomic()`."""
    locked = flow.lock(row)
    flow.check_version(locked, expected_version)
    role = flow.check_action(locked, action, actor, seen=row, nobody=nobody, facts=facts)
    return workflow_step(flow, row=locked, role=role, actor=actor, action=action, target=target)


def workflow_step[M: models.Model](
    flow: Workflow[M], *, row: M, role: str, actor: User | None, action: str, target: str = ""
) -> Step[M]:
    """A step on a row the caller locked and checked itself (a merge locks two rows)."""
    step = Step(
        flow=flow, row=row, role=role, actor=actor, action=action, from_status=flow.status_of(row)
    )
    if target:
        step.move_to(target)
    return step
