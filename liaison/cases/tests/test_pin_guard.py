"""The per-code PIN failure limit (services/pins.py): counting, the window, lock and new PINs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liaison.cases.models import Case, PinGuard
from liaison.cases.services.intake import case_pin_matches
from liaison.cases.services.pins import (
    PinVerdict,
    case_pin_resend,
    case_pin_reset,
    pin_failure_record,
    pin_verify,
)
from liaison.cases.tests.public_helpers import submitted

pytestmark = pytest.mark.django_db


def wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def test_locks_after_the_setting_and_refuses_the_right_pin(station: Any, settings: Any) -> None:
    settings.PIN_GUARD_MAX_FAILURES = 3
    case, pin = submitted(station)
    verdicts = [pin_verify(case=case, pin=wrong(pin)) for _ in range(3)]
    assert verdicts == [PinVerdict.WRONG, PinVerdict.WRONG, PinVerdict.LOCKED]
    assert pin_verify(case=case, pin=pin) is PinVerdict.LOCKED


def test_a_right_pin_before_the_limit_still_works(station: Any) -> None:
    case, pin = submitted(station)
    pin_verify(case=case, pin=wrong(pin))
    assert pin_verify(case=case, pin=pin) is PinVerdict.OK


def test_unknown_codes_leave_no_rows() -> None:
    assert pin_verify(case=None, pin="123456") is PinVerdict.WRONG
    assert not PinGuard.objects.exists()


def test_failures_older_than_the_window_are_forgotten(station: Any, settings: Any) -> None:
    settings.PIN_GUARD_MAX_FAILURES = 2
    case, _pin = submitted(station)
    pin_failure_record(tracking_code=case.tracking_code)
    PinGuard.objects.update(window_started_at=timezone.now() - timedelta(hours=25))
    assert pin_failure_record(tracking_code=case.tracking_code) is False
    assert PinGuard.objects.get().failures == 1


def test_a_lock_outlives_the_window(station: Any, settings: Any) -> None:
    settings.PIN_GUARD_MAX_FAILURES = 1
    case, pin = submitted(station)
    assert pin_failure_record(tracking_code=case.tracking_code) is True
    PinGuard.objects.update(window_started_at=timezone.now() - timedelta(days=30))
    assert pin_verify(case=case, pin=pin) is PinVerdict.LOCKED


def test_staff_reset_unlocks_with_a_new_pin(station: Any, station_officer: Any) -> None:
    case, pin = submitted(station)
    for _ in range(10):
        pin_verify(case=case, pin=wrong(pin))
    fresh = case_pin_reset(case=case, actor=station_officer)
    case = Case.objects.get(pk=case.pk)
    assert case_pin_matches(case=case, pin=fresh)
    assert not PinGuard.objects.exists()
    assert pin_verify(case=case, pin=fresh) is PinVerdict.OK


def test_resend_needs_the_phone_and_has_a_daily_limit(station: Any, settings: Any) -> None:
    settings.PIN_RESEND_PER_DAY = 2
    case, pin = submitted(station, contact_phone="13800138000")
    assert case_pin_resend(tracking_code=case.tracking_code, phone="13900000000") is False
    assert case_pin_resend(tracking_code="C99999999Z", phone="13800138000") is False
    assert case_pin_resend(tracking_code=case.tracking_code, phone="+86 138-0013-8000") is True
    assert case_pin_resend(tracking_code=case.tracking_code, phone="13800138000") is True
    with pytest.raises(ValidationError):
        case_pin_resend(tracking_code=case.tracking_code, phone="13800138000")
    assert not case_pin_matches(case=Case.objects.get(pk=case.pk), pin=pin)
