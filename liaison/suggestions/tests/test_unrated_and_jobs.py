"""Answers never rated close as 未评价; two submissions at once get consecutive numbers (the report
and register jobs are in test_file_jobs.py)."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import User
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.suggestions import services
from liaison.suggestions import settings_defs as keys
from liaison.suggestions.models import (
    EventKind,
    Rating,
    Status,
    Suggestion,
    SuggestionEvent,
)
from liaison.suggestions.services.escalation import escalate_due_suggestions
from liaison.suggestions.stats import handling_table
from liaison.suggestions.tests.factories import CongressSessionFactory, deputy_member
from liaison.suggestions.tests.helpers import answered, assigned, drafted

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(
    deputy: User, session: Any, county_staff: User, lead_unit: Any, lead_clerk: User
) -> Suggestion:
    return answered(assigned(deputy, session, county_staff, lead_unit), lead_clerk)


def test_an_answer_never_rated_closes_as_unrated_after_the_window(
    as_user: Any, deputy: User, waiting: Suggestion, county_staff: User
) -> None:
    answered_on = timezone.localdate(waiting.answered_at)
    # The last day of the window: nothing happens.
    result = escalate_due_suggestions(today=answered_on + datetime.timedelta(days=30))
    assert result.unrated == 0
    assert Suggestion.objects.get(pk=waiting.pk).status == Status.ANSWERED
    result = escalate_due_suggestions(today=answered_on + datetime.timedelta(days=31))
    assert result.unrated == 1
    row = Suggestion.objects.get(pk=waiting.pk)
    assert (row.status, row.rating, row.rated_at) == (Status.CLOSED, Rating.UNRATED, None)
    event = SuggestionEvent.objects.get(suggestion=row, kind=EventKind.UNRATED)
    assert event.actor is None and event.actor_role == "system"
    # Twice changes nothing.
    assert escalate_due_suggestions(today=answered_on + datetime.timedelta(days=32)).unrated == 0
    # Shown as such; the deputy may no longer rate, with a clear message.
    client = as_user(deputy)
    page = client.get(reverse("suggestions:detail", args=[row.pk])).content.decode()
    assert "未评价" in page and "逾期未评价办结" in page and "action-rate" not in page
    refused = client.post(
        reverse("suggestions:act", args=[row.pk, "rate"]), {"rate-rating": Rating.SATISFIED}
    )
    assert "已超过评价期限" in refused.content.decode()
    assert Suggestion.objects.get(pk=row.pk).rating == Rating.UNRATED
    # The handling table counts it as answered, not as rated.
    (unit_row,) = handling_table(Suggestion.objects.filter(pk=row.pk))
    assert unit_row.answered == 1 and unit_row.rated == 0


def test_the_window_is_a_setting_of_the_congress(waiting: Suggestion, yuelu: Any) -> None:
    JurisdictionSetting.objects.create(region=yuelu, key=keys.RATING_DAYS, value=60)
    answered_on = timezone.localdate(waiting.answered_at)
    assert escalate_due_suggestions(today=answered_on + datetime.timedelta(days=31)).unrated == 0
    assert escalate_due_suggestions(today=answered_on + datetime.timedelta(days=61)).unrated == 1


def test_a_rated_answer_is_left_alone(waiting: Suggestion, deputy: User) -> None:
    services.suggestion_rate(suggestion=waiting, actor=deputy, rating=Rating.SATISFIED)
    later = timezone.localdate() + datetime.timedelta(days=90)
    assert escalate_due_suggestions(today=later).unrated == 0
    assert Suggestion.objects.get(pk=waiting.pk).rating == Rating.SATISFIED


def test_nobody_chooses_unrated(waiting: Suggestion, deputy: User) -> None:
    with pytest.raises(Exception) as info:
        services.suggestion_rate(suggestion=waiting, actor=deputy, rating=Rating.UNRATED)
    assert "请选择评价" in str(info.value)


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_get_consecutive_numbers(hunan: None, station: Any) -> None:
    """Real threads on PostgreSQL: the session row lock hands out 1 and 2, no gap, no clash."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL=postgres://…)")
    session = CongressSessionFactory()
    authors = [deputy_member(station=station, username=f"dep_race{i}") for i in range(2)]
    drafts = [drafted(a, session, title=f"同时提交的建议{i}") for i, a in enumerate(authors)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def submit(user: User, draft: Suggestion) -> None:
        try:
            barrier.wait()
            services.suggestion_submit(suggestion=draft, actor=user)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=submit, args=pair) for pair in zip(authors, drafts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Suggestion.objects.filter(session=session).values_list("number", flat=True))
    assert numbers == [1, 2]
    session.refresh_from_db()
    assert session.last_number == 2


def test_numbers_are_consecutive_per_session(deputy: User, session: Any, station: Any) -> None:
    """The same rule without threads (the SQLite run): each submission takes the next number."""
    other = CongressSessionFactory()
    first = services.suggestion_submit(suggestion=drafted(deputy, session), actor=deputy)
    elsewhere = services.suggestion_submit(suggestion=drafted(deputy, other), actor=deputy)
    second = services.suggestion_submit(suggestion=drafted(deputy, session), actor=deputy)
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
