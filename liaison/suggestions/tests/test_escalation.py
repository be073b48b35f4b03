"""The deadline job: yellow and red once, late co-handling views, passed B promises."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from liaison.accounts.models import User
from liaison.notifications.models import Notification
from liaison.suggestions.models import EventKind, Grade, Status, SuggestionEvent, SuggestionUnit
from liaison.suggestions.services.escalation import escalate_due_suggestions
from liaison.suggestions.tasks import escalate_due_suggestions_task
from liaison.suggestions.tests.factories import suggestion_in

pytestmark = pytest.mark.django_db

D = datetime.date


def test_yellow_then_red_once_and_people_are_told(
    session: Any, county_staff: User, lead_unit: Any, lead_clerk: User
) -> None:
    today = D(2026, 3, 2)
    near = suggestion_in(Status.ASSIGNED, session=session, lead=lead_unit, due_on=D(2026, 3, 5))
    late = suggestion_in(Status.SUBMITTED, session=session, due_on=D(2026, 2, 27))
    far = suggestion_in(Status.ASSIGNED, session=session, lead=lead_unit, due_on=D(2026, 5, 29))
    result = escalate_due_suggestions(today=today)
    assert (result.yellow, result.red) == (1, 1)
    for row, state in ((near, "yellow"), (late, "red"), (far, "")):
        row.refresh_from_db()
        assert row.due_state == state
    assert SuggestionEvent.objects.filter(suggestion=late, kind=EventKind.RED).count() == 1
    assert Notification.objects.filter(user=county_staff).count() == 2
    assert Notification.objects.filter(user=lead_clerk).count() == 1
    again = escalate_due_suggestions(today=today)
    assert (again.yellow, again.red) == (0, 0)
    later = escalate_due_suggestions(today=D(2026, 3, 6))
    assert later.red == 1  # the yellow one is now overdue


def test_late_co_view_and_passed_promise(
    session: Any, county_staff: User, lead_unit: Any, co_unit: Any, co_clerk: User
) -> None:
    today = timezone.localdate()
    s = suggestion_in(Status.ASSIGNED, session=session, lead=lead_unit, co=[co_unit])
    SuggestionUnit.objects.filter(suggestion=s, is_lead=False).update(
        view_due=today - datetime.timedelta(days=1)
    )
    b = suggestion_in(
        Status.CLOSED,
        session=session,
        grade=Grade.B,
        promised_on=today - datetime.timedelta(days=1),
    )
    result = escalate_due_suggestions_task.call(today=today.isoformat())
    assert result["views"] == 1 and result["promises"] == 1
    b.refresh_from_db()
    assert b.promise_overdue
    assert Notification.objects.filter(user=co_clerk).exists()
    assert escalate_due_suggestions(today=today).promises == 0
