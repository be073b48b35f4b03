"""A held duty report earns its deputy the duty-report points once, through the points ledger."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from liaison.dutyreports.models import Status
from liaison.dutyreports.tests.factories import report_in
from liaison.points.models import PointEntry

pytestmark = pytest.mark.django_db


def test_a_held_report_counts_once_and_a_scheduled_one_not(
    station_officer: Any, station: Any, deputy: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report_in(Status.SCHEDULED, actor=station_officer, deputy=deputy, station=station,
                  starts_at=timezone.now() + datetime.timedelta(days=3))  # fmt: skip
    assert not PointEntry.objects.filter(rule="duty_report").exists()
    with django_capture_on_commit_callbacks(execute=True):
        held = report_in(Status.PUBLISHED, actor=station_officer, deputy=deputy, station=station)
    entries = PointEntry.objects.filter(rule="duty_report", deputy=deputy)
    assert [(e.source_kind, e.source_id) for e in entries] == [("duty_report", held.pk)]
    assert entries[0].points > 0
    # The rebuild finds the ledger as the sources say it should be (exit 0: no difference).
    call_command("points_rebuild", "--year", str(timezone.localdate().year))
