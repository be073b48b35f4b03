"""What the rows say about themselves (admin lists, audit labels)."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.receptions.models import (
    ReceptionReminder,
    SwapEvent,
    SwapKind,
    SwapRequest,
)
from liaison.receptions.services.records import reception_record
from liaison.receptions.services.signins import visitor_sign_in
from liaison.receptions.services.swaps import swap_request
from liaison.stations.tests.conftest import jpeg_upload

pytestmark = pytest.mark.django_db


def test_labels(future_day: Any, held_day: Any, deputy_user: Any, station_officer: Any) -> None:
    duty = future_day.duties.get()
    assert str(future_day).startswith(future_day.date.isoformat())
    assert str(future_day) in str(duty)
    swap = swap_request(duty=duty, actor=deputy_user, kind=SwapKind.GIVE_UP, reason="出差")
    assert "请假" in str(SwapRequest.objects.get(pk=swap.pk))
    assert "提出申请" in str(SwapEvent.objects.get())
    record = reception_record(
        day=held_day, actor=station_officer, visitor_count=1, photos=[jpeg_upload("a.jpg")]
    )
    assert str(record) == str(held_day)
    assert str(record.photos.get()) == "a.jpg"
    assert str(visitor_sign_in(day=held_day, name="", anonymous=True)).startswith(str(held_day.pk))
    reminder = ReceptionReminder.objects.create(duty=duty, kind="ahead")
    assert str(reminder).endswith("ahead")
