"""Case events are append-only by construction: the ORM refuses to change or remove one, the
database refuses raw UPDATE and DELETE (and TRUNCATE on PostgreSQL), and a case with events
cannot be deleted (decision 0012)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from liaison.cases.models import Case, CaseEvent, EventKind, Status
from liaison.cases.services.common import add_event
from liaison.cases.tests.factories import case_in
from liaison.common.append_only import AppendOnlyError, triggers_of

pytestmark = pytest.mark.django_db

TABLE = CaseEvent._meta.db_table


@pytest.fixture
def production_triggers() -> None:
    """Every trigger, as the migration leaves a production database (the test database lacks
    the one that would stop Django's flush; this test's transaction rolls it back)."""
    triggers_of(CaseEvent).install(connection)


@pytest.fixture
def event(station: Any) -> CaseEvent:
    case = case_in(Status.SUBMITTED, station=station)
    return add_event(case, EventKind.NOTE, actor=None, role="system", note="原文")


def test_the_orm_refuses_to_change_or_remove_an_event(event: CaseEvent) -> None:
    event.note = "改过"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).update(note="改过")
    # bulk_update opens an atomic block without a savepoint: give it one of its own.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        CaseEvent.objects.bulk_update([event], ["note"])
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.all().delete()
    assert CaseEvent.objects.get(pk=event.pk).note == "原文"


def test_a_case_with_events_cannot_be_deleted(event: CaseEvent) -> None:
    with pytest.raises(ProtectedError):
        Case.objects.get(pk=event.case_id).delete()
    with pytest.raises(ProtectedError):
        Case.objects.filter(pk=event.case_id).delete()
    assert Case.objects.filter(pk=event.case_id).exists()


def test_events_are_still_appended_one_by_one_and_in_bulk(event: CaseEvent) -> None:
    CaseEvent.objects.bulk_create(
        [CaseEvent(case_id=event.case_id, kind=EventKind.NOTE, actor_role="system")]
    )
    assert CaseEvent.objects.filter(case_id=event.case_id).count() == 2


def test_raw_sql_cannot_change_or_remove_events(
    production_triggers: None, event: CaseEvent
) -> None:
    for sql, params in [
        (f"UPDATE {TABLE} SET note = 'x' WHERE id = %s", [event.pk]),
        (f"DELETE FROM {TABLE} WHERE id = %s", [event.pk]),
        (f"DELETE FROM {TABLE}", []),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert CaseEvent.objects.get(pk=event.pk).note == "原文"


def test_the_raw_delete_of_a_queryset_is_refused(
    production_triggers: None, event: CaseEvent
) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias)
    assert CaseEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused_on_postgresql(production_triggers: None, event: CaseEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE} CASCADE")
    assert CaseEvent.objects.filter(pk=event.pk).exists()


def test_the_test_database_lacks_only_the_flush_blocker() -> None:
    triggers = triggers_of(CaseEvent)
    assert triggers.missing(connection) == [triggers.flush_blocker(connection.vendor)]
    assert triggers.name == "case_event"
