"""The staff queue's rows are cached by a digest of everything they show (issue 16)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from liaison.cases.models import Case, Status
from liaison.cases.queues import Countdown
from liaison.cases.row_keys import queue_row_key
from liaison.cases.tests.factories import CaseFactory, HandlingUnitFactory, case_in
from liaison.common.hotcache import clear_all

pytestmark = pytest.mark.django_db


def _row(station: Any) -> Case:
    case = case_in(Status.ASSIGNED, station=station, unit=HandlingUnitFactory(name="住建局"))
    loaded = Case.objects.select_related(
        "station", "region", "unit", "category", "assigned_deputy"
    ).get(pk=case.pk)
    loaded.countdown = Countdown(due=datetime.date(2026, 12, 10), days_left=3)  # type: ignore[attr-defined]
    return loaded


CHANGES = {
    "title": lambda c: setattr(c, "title", c.title + "！"),
    "version": lambda c: setattr(c, "version", c.version + 1),
    "status": lambda c: setattr(c, "status", Status.REPLIED),
    "kind": lambda c: setattr(c, "kind", "complaint" if c.kind != "complaint" else "suggestion"),
    "channel": lambda c: setattr(c, "channel", "hotline" if c.channel != "hotline" else "qr"),
    "reopened": lambda c: setattr(c, "reopen_count", c.reopen_count + 1),
    "station name": lambda c: setattr(c.station, "name", c.station.name + "二"),
    "unit name": lambda c: setattr(c.unit, "name", "交通局"),
    "hint": lambda c: setattr(c, "hint_label", "城乡建设"),
    "countdown": lambda c: setattr(c, "countdown", Countdown(c.countdown.due, -1)),
    "submitted": lambda c: setattr(c, "submitted_at", c.submitted_at - datetime.timedelta(1)),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_shown_change_is_another_key(station: Any, change: str) -> None:
    case = _row(station)
    before = queue_row_key(case, can_bulk=False)
    assert queue_row_key(case, can_bulk=False) == before
    CHANGES[change](case)
    assert queue_row_key(case, can_bulk=False) != before


def test_bulk_choice_and_language_are_in_the_key(station: Any) -> None:
    case = _row(station)
    assert queue_row_key(case, can_bulk=True) != queue_row_key(case, can_bulk=False)
    with translation.override("en"):
        english = queue_row_key(case, can_bulk=False)
    assert english != queue_row_key(case, can_bulk=False)


def test_a_cached_row_shows_the_change_at_once(
    as_user: Any, station: Any, station_officer: Any, settings: Any
) -> None:
    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    case = CaseFactory(station=station, title="路灯不亮")
    client = as_user(station_officer)
    url = reverse("cases:queue") + "?queue=all"
    assert "路灯不亮" in client.get(url).content.decode()
    Case.objects.filter(pk=case.pk).update(title="路灯又不亮了", version=case.version + 1)
    page = client.get(url).content.decode()
    assert "路灯又不亮了" in page and "路灯不亮<" not in page
    # The bulk column is the viewer's: the same row without it where bulk work is not offered.
    to_accept = client.get(reverse("cases:queue") + "?queue=to_accept").content.decode()
    assert f'name="v{case.pk}" value="{case.version + 1}"' in to_accept
    assert f'name="v{case.pk}"' not in page
    clear_all()
