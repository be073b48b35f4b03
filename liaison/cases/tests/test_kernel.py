"""The workflow kernel (liaison/workflow/flow.py), tested through the case loop: lock, version,
role, table, save, event, audit, notification after commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent
from liaison.cases.models import Case, CaseEvent, EventKind, Status
from liaison.cases.services import CaseConflict
from liaison.cases.services.flow import CASES, case_begin
from liaison.cases.tests.factories import case_in
from liaison.cases.workflow import CONSTITUENT
from liaison.workflow.events import event_build
from liaison.workflow.table import ActionRefused, TransitionNotAllowed

pytestmark = pytest.mark.django_db


def _accept(case: Case, actor: Any, *, finish: Any = None, **kw: Any) -> Case:
    with transaction.atomic():
        step = case_begin(case=case, action="accept", target=Status.ACCEPTED, actor=actor, **kw)
        step.finish(fields=[], kind=EventKind.ACCEPTED, note="已受理", **(finish or {}))
    return step.row


def _nothing_written(case: Case) -> None:
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (case.status, case.version)
    assert not CaseEvent.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).exists()


def test_a_move_saves_status_and_version_appends_the_event_and_audits(
    station: Any, station_officer: Any
) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    moved = _accept(case, station_officer, expected_version=case.version)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (Status.ACCEPTED, case.version + 1)
    assert moved.status == Status.ACCEPTED
    event = CaseEvent.objects.get(case=case)
    assert (event.kind, event.from_status, event.to_status) == (
        EventKind.ACCEPTED,
        Status.SUBMITTED,
        Status.ACCEPTED,
    )
    assert (event.actor, event.actor_role, event.is_public) == (
        station_officer,
        Role.LIAISON_OFFICER,
        True,
    )
    audit = AuditEvent.objects.get(object_type="cases.case", object_id=str(case.pk))
    assert audit.action == AuditAction.UPDATE
    assert audit.actor == station_officer
    assert audit.before == {"status": Status.SUBMITTED}
    assert audit.after == {"status": Status.ACCEPTED, "version": case.version + 1}
    assert audit.region_code == case.region_id
    assert audit.note == str(EventKind.ACCEPTED.label)


def test_only_the_named_fields_are_saved(station: Any, station_officer: Any) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    with transaction.atomic():
        step = case_begin(case=case, action="accept", target=Status.ACCEPTED, actor=station_officer)
        step.row.title = "不该保存的标题"
        step.save(fields=[])
    assert step.saved == ["status", "version"]
    assert Case.objects.get(pk=case.pk).title == case.title


def test_a_stale_version_is_a_conflict_and_changes_nothing(
    station: Any, station_officer: Any
) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    with pytest.raises(CaseConflict, match="已被他人处理"):
        _accept(case, station_officer, expected_version=case.version - 1)
    _nothing_written(case)


def test_an_action_allowed_on_the_copy_seen_but_not_now_is_a_conflict(
    station: Any, station_officer: Any
) -> None:
    seen = case_in(Status.SUBMITTED, station=station)
    Case.objects.filter(pk=seen.pk).update(status=Status.ACCEPTED)  # someone else accepted it
    with pytest.raises(CaseConflict):
        _accept(seen, station_officer)
    assert not CaseEvent.objects.filter(case=seen).exists()


def test_refusals_of_the_table_change_nothing(
    station: Any, station_officer: Any, other_county_staff: Any
) -> None:
    submitted = case_in(Status.SUBMITTED, station=station)
    with pytest.raises(PermissionDenied):  # none of their business
        _accept(submitted, other_county_staff)
    _nothing_written(submitted)
    closed = case_in(Status.CLOSED, station=station)
    with pytest.raises(TransitionNotAllowed):  # not from this status
        _accept(closed, station_officer)
    _nothing_written(closed)
    replied = case_in(Status.REPLIED, station=station, relayed_at=closed.closed_at)
    with pytest.raises(ActionRefused), transaction.atomic():  # a condition does not hold
        case_begin(case=replied, action="relay", actor=station_officer)
    _nothing_written(replied)


def test_the_transition_is_checked_for_the_target_asked(station: Any, station_officer: Any) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    with pytest.raises(TransitionNotAllowed), transaction.atomic():
        # "accept" is allowed from submitted, but it never leads to closed.
        case_begin(case=case, action="accept", target=Status.CLOSED, actor=station_officer)
    _nothing_written(case)


def test_without_a_person_the_pseudo_actor_acts_and_nothing_is_audited(station: Any) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    with transaction.atomic():
        step = case_begin(
            case=case, action="withdraw", target=Status.WITHDRAWN, actor=None, nobody=CONSTITUENT
        )
        step.finish(kind=EventKind.WITHDRAWN, note="群众已撤回")
    event = CaseEvent.objects.get(case=case)
    assert (event.actor_role, event.actor) == (CONSTITUENT, None)
    assert not AuditEvent.objects.filter(object_id=str(case.pk)).exists()


def test_notifications_run_only_after_the_commit(
    station: Any, station_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    sent: list[int] = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _accept(case, station_officer, finish={"notify": [lambda: sent.append(case.pk)]})
        assert sent == []  # still inside the transaction
    assert len(callbacks) == 1
    assert sent == [case.pk]


def test_a_rolled_back_step_notifies_nobody(
    station: Any, station_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    sent: list[int] = []
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        step = case_begin(case=case, action="accept", target=Status.ACCEPTED, actor=station_officer)
        step.finish(kind=EventKind.ACCEPTED, notify=[lambda: sent.append(case.pk)])
        raise RuntimeError("the service fails after the step")
    assert sent == []
    _nothing_written(case)


def test_the_event_builder_stores_json_and_derives_public(station: Any) -> None:
    import datetime

    case = case_in(Status.SUBMITTED, station=station)
    event = event_build(
        model=CaseEvent,
        subject=case.pk,
        kind=EventKind.NOTE,
        actor=None,
        role="system",
        data={"due": datetime.date(2026, 3, 2)},
    )
    assert event.case_id == case.pk
    assert event.data == {"due": "2026-03-02"}
    assert event.is_public is False  # a note is internal unless said otherwise
    assert event_build(
        model=CaseEvent, subject=case, kind=EventKind.CLOSED, actor=None, role="system"
    ).is_public


def test_the_lock_reads_the_row_fresh(station: Any) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    Case.objects.filter(pk=case.pk).update(version=7)
    with transaction.atomic():
        assert CASES.lock(case).version == 7
        assert CASES.lock(case.pk).version == 7
