"""`manage.py seed_cases`: counts, status mix, consistent milestones and timelines, the PIN."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from liaison.cases.models import Case, CaseEvent, EventKind, Status
from liaison.cases.services.intake import case_pin_matches

pytestmark = pytest.mark.django_db


def seed(count: int, **options: Any) -> str:
    out = StringIO()
    call_command("seed_cases", count=count, stdout=out, **options)
    return out.getvalue()


def test_seeds_realistic_cases(station: Any, unit: Any) -> None:
    output = seed(300, batch=120)
    assert "300" in output
    cases = list(Case.objects.all())
    assert len(cases) == 300
    assert {c.station_id for c in cases} == {station.pk}
    mix = Counter(c.status for c in cases)
    assert mix[Status.CLOSED] > 100  # about two thirds
    assert len(mix) >= 6
    # Only the last month's inflow and a few stragglers are still open, as in a real ledger.
    open_share = sum(1 for c in cases if c.is_open) / len(cases)
    assert open_share < 0.2
    now = timezone.now()
    assert all(c.submitted_at <= now and (c.closed_at or c.submitted_at) <= now for c in cases)
    for case in cases:
        milestones = [
            case.submitted_at,
            case.accepted_at,
            case.assigned_at,
            case.replied_at,
            case.rated_at,
            case.closed_at,
        ]
        present = [t for t in milestones if t is not None]
        assert present == sorted(present), case.tracking_code
        if case.status in (Status.REPLIED, Status.EVALUATED, Status.CLOSED):
            assert case.replied_at
            assert case.reply
            assert case.unit_id == unit.pk
        if case.status == Status.CLOSED:
            assert case.closed_at is not None
        if case.status == Status.SUBMITTED:
            assert case.accepted_at is None
            assert case.unit_id is None
        if case.status == Status.DECLINED:
            assert case.decline_reason
        assert case.accept_due == (case.submitted_at.astimezone(UTC) + timedelta(days=3)).date()
    events = CaseEvent.objects.filter(case__in=cases)
    assert events.filter(kind=EventKind.SUBMITTED).count() == 300
    for case in cases[:50]:
        timeline = list(case.events.order_by("at", "id"))
        assert timeline[0].kind == EventKind.SUBMITTED
        assert timeline[-1].to_status == case.status
        assert all(e.is_public and e.actor_role == "system" for e in timeline)
        assert [e.at for e in timeline] == sorted(e.at for e in timeline)
    sample = cases[0]
    assert case_pin_matches(case=sample, pin="123456")
    assert not case_pin_matches(case=sample, pin="654321")


def test_rerun_adds_more_without_collisions(station: Any) -> None:
    seed(300)
    seed(300, seed=1)  # the same --seed again: the codes must still be new
    assert Case.objects.count() == 600
    assert Case.objects.values("tracking_code").distinct().count() == 600
    assert CaseEvent.objects.filter(kind=EventKind.SUBMITTED).count() == 600


def test_custom_pin_and_errors(station: Any) -> None:
    seed(5, pin="000111")
    assert all(case_pin_matches(case=c, pin="000111") for c in Case.objects.all())
    with pytest.raises(CommandError):
        seed(0)
    with pytest.raises(CommandError):
        seed(5, region="439999")
