"""督办总览 shows the deputies' suggestions flagged red or yellow beside the cases, in scope, within
the staff pages' query budget whatever their number (test_page_budgets.py)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.common.hotcache import clear_all
from liaison.suggestions.models import DueState, Status
from liaison.suggestions.tests.factories import (
    CHANGSHA_COUNTY,
    CongressSessionFactory,
    suggestion_in,
)
from liaison.workbench.tests.test_page_budgets import STAFF_BUDGET

pytestmark = pytest.mark.django_db

URL = reverse("workbench:supervision")


def _flagged(state: str, title: str, **kw: Any) -> Any:
    late = timezone.localdate() - datetime.timedelta(days=3)
    return suggestion_in(Status.ASSIGNED, due_state=state, due_on=late, title=title, **kw)


def test_red_and_yellow_suggestions_beside_the_cases(
    as_user: Any, county_staff: Any, other_county_staff: Any, station_officer: Any, yuelu: Any
) -> None:
    red = _flagged(DueState.RED, "逾期的建议", session=CongressSessionFactory())
    yellow = _flagged(DueState.YELLOW, "临期的建议", session=CongressSessionFactory())
    calm = _flagged(DueState.NONE, "正常办理的建议", session=CongressSessionFactory())
    theirs = _flagged(
        DueState.RED,
        "外县逾期建议",
        session=CongressSessionFactory(congress_id=CHANGSHA_COUNTY),
    )
    page = as_user(county_staff).get(URL).content.decode()
    assert "临期和逾期的代表建议" in page
    assert page.index(red.title) < page.index(yellow.title)  # red first
    assert calm.title not in page and theirs.title not in page
    assert reverse("suggestions:detail", args=[red.pk]) in page
    other = as_user(other_county_staff).get(URL).content.decode()
    assert theirs.title in other and red.title not in other
    # Station staff have no suggestion review: no section at all.
    assert "临期和逾期的代表建议" not in as_user(station_officer).get(URL).content.decode()


@pytest.mark.parametrize("rounds", [1, 25])
def test_the_page_stays_within_budget(
    as_user: Any, county_staff: Any, yuelu: Any, settings: Any, rounds: int
) -> None:
    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    session = CongressSessionFactory()
    for n in range(rounds):
        _flagged(DueState.RED, f"逾期建议{n}", session=session)
    client = as_user(county_staff)
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(URL).content.decode()
    clear_all()
    assert page.count("逾期建议") >= min(rounds, 20)
    assert len(ctx.captured_queries) <= STAFF_BUDGET, [q["sql"] for q in ctx.captured_queries]
