"""Failed-login counters: per (name, address), per address, per name; pauses double; known
addresses are spared the pauses that strangers earn."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from liaison.accounts import lockout
from liaison.accounts.models import LoginThrottle
from liaison.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

A, B = "10.0.0.1", "10.0.0.2"


def _fail(times: int, *, username: str = "victim", address: str = A) -> Any:
    refusal = None
    for _ in range(times):
        refusal = lockout.login_failure_record(username=username, address=address)
    return refusal


def _minutes_paused(username: str = "victim", address: str = A) -> float:
    refusal = lockout.login_refusal(username=username, address=address)
    assert refusal is not None
    return (refusal.until - timezone.now()).total_seconds() / 60


def test_four_failures_from_one_address_do_not_pause() -> None:
    assert _fail(4) is None
    assert lockout.login_refusal(username="victim", address=A) is None


def test_fifth_failure_pauses_the_pair_one_minute_then_doubling() -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert _fail(5) is not None
        assert _minutes_paused() == pytest.approx(1)
    with time_machine.travel(start + datetime.timedelta(minutes=1, seconds=1), tick=False):
        assert lockout.login_refusal(username="victim", address=A) is None
        _fail(1)
        assert _minutes_paused() == pytest.approx(2)
    with time_machine.travel(start + datetime.timedelta(minutes=4), tick=False):
        _fail(1)
        assert _minutes_paused() == pytest.approx(4)


@override_settings(LOGIN_BACKOFF_MAX_MINUTES=3)
def test_pause_is_capped() -> None:
    start = timezone.now()
    for minute in range(0, 60, 5):
        with time_machine.travel(start + datetime.timedelta(minutes=minute), tick=False):
            _fail(5 if minute == 0 else 1)
            assert _minutes_paused() <= 3


def test_pair_pause_does_not_touch_other_addresses() -> None:
    _fail(5, address=A)
    assert lockout.login_refusal(username="victim", address=A) is not None
    assert lockout.login_refusal(username="victim", address=B) is None


def test_case_of_the_name_does_not_escape_the_count() -> None:
    for name in ["Victim", "VICTIM", "victim", " victim", "vIctim"]:
        lockout.login_failure_record(username=name, address=A)
    assert lockout.login_refusal(username="victim", address=A) is not None


@override_settings(LOGIN_ADDRESS_FREE_FAILURES=6)
def test_one_address_spraying_names_is_paused_for_every_name() -> None:
    for n in range(6):
        lockout.login_failure_record(username=f"user{n}", address=A)
    assert lockout.login_refusal(username="someone_else", address=A) is not None
    assert lockout.login_refusal(username="someone_else", address=B) is None


@override_settings(LOGIN_USERNAME_FREE_FAILURES=8)
def test_many_addresses_on_one_name_pause_the_name_for_new_addresses_only() -> None:
    lockout.login_success_record(username="victim", address="192.168.1.10")
    for n in range(8):
        lockout.login_failure_record(username="victim", address=f"10.1.0.{n}")
    assert lockout.login_refusal(username="victim", address="10.9.9.9") is not None
    # The owner's office address is known: strangers' failures do not keep them out.
    assert lockout.login_refusal(username="victim", address="192.168.1.10") is None


def test_failures_from_a_known_address_count_only_on_the_pair() -> None:
    lockout.login_success_record(username="victim", address=A)
    _fail(3)
    assert not LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ADDRESS).exists()
    assert not LoginThrottle.objects.filter(kind=LoginThrottle.Kind.USERNAME).exists()
    # …but the pair still pauses: a known address is no licence to guess.
    _fail(2)
    assert lockout.login_refusal(username="victim", address=A) is not None


def test_success_clears_the_pair_but_not_the_address_or_name() -> None:
    _fail(3)
    lockout.login_success_record(username="victim", address=A)
    pair = LoginThrottle.objects.get(kind=LoginThrottle.Kind.PAIR)
    assert pair.failures == 0
    assert pair.succeeded_at is not None
    assert LoginThrottle.objects.get(kind=LoginThrottle.Kind.ADDRESS).failures == 3
    assert LoginThrottle.objects.get(kind=LoginThrottle.Kind.USERNAME).failures == 3


def test_failures_are_forgotten_after_the_memory_window() -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(4)
    with time_machine.travel(start + datetime.timedelta(hours=25), tick=False):
        assert _fail(1) is None
        assert LoginThrottle.objects.get(kind=LoginThrottle.Kind.PAIR).failures == 1


def test_new_keys_clear_expired_rows() -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(1, username="old")
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        _fail(1, username="new")
    assert not LoginThrottle.objects.filter(username="old").exists()


def test_each_failure_is_audited_with_the_pause() -> None:
    _fail(5)
    events = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, object_id="victim")
    assert events.count() == 5
    assert "暂停登录" in events.order_by("-seq").first().note


def test_clear_ends_every_pause_of_the_name() -> None:
    _fail(5, address=A)
    _fail(5, address=B)
    assert lockout.login_pauses_clear(username="Victim") >= 3
    assert lockout.login_refusal(username="victim", address=A) is None
    assert lockout.login_refusal(username="victim", address=B) is None
