"""The one public lookup by tracking code and PIN (`tracking.case_by_tracking_code`)."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.cases.models import Case, Kind, PinGuard
from liaison.cases.services.journal import intake_entry_submit
from liaison.cases.services.pins import PinVerdict
from liaison.cases.tests.public_helpers import submitted
from liaison.cases.tracking import case_by_tracking_code

pytestmark = pytest.mark.django_db


def _wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def test_the_right_pin_gives_the_case_whatever_the_code_is_typed_like(station: Any) -> None:
    case, pin = submitted(station)
    typed = " " + "-".join([case.tracking_code[:4], case.tracking_code[4:]]).lower()
    found = case_by_tracking_code(code=typed, pin=pin)
    assert found.verdict is PinVerdict.OK
    assert found.code == case.tracking_code
    assert found.case == case


def test_a_wrong_pin_and_an_unknown_code_are_the_same_answer(station: Any) -> None:
    case, pin = submitted(station)
    wrong = case_by_tracking_code(code=case.tracking_code, pin=_wrong(pin))
    unknown = case_by_tracking_code(code="C00000000", pin=pin)
    assert (wrong.verdict, wrong.case) == (PinVerdict.WRONG, None)
    assert (unknown.verdict, unknown.case) == (PinVerdict.WRONG, None)
    # The failure is counted for the existing code only.
    assert list(PinGuard.objects.values_list("tracking_code", flat=True)) == [case.tracking_code]


def test_a_locked_code_refuses_the_right_pin(station: Any, settings: Any) -> None:
    settings.PIN_GUARD_MAX_FAILURES = 2
    case, pin = submitted(station)
    for _attempt in range(2):
        case_by_tracking_code(code=case.tracking_code, pin=_wrong(pin))
    found = case_by_tracking_code(code=case.tracking_code, pin=pin)
    assert (found.verdict, found.case) == (PinVerdict.LOCKED, None)


def test_a_code_still_in_the_journal_is_moved_and_found(station: Any, settings: Any) -> None:
    settings.INTAKE_MOVE_INLINE = False
    receipt = intake_entry_submit(
        station=station, kind=Kind.HELP, title="路灯", content="路灯坏了", consent=True
    )
    assert receipt.pin is not None
    assert not Case.objects.exists()
    found = case_by_tracking_code(code=receipt.tracking_code, pin=receipt.pin)
    assert found.verdict is PinVerdict.OK
    assert found.case is not None
    assert found.case.tracking_code == receipt.tracking_code


def test_only_loads_the_pin_and_the_columns_asked_for(station: Any) -> None:
    case, pin = submitted(station)
    found = case_by_tracking_code(code=case.tracking_code, pin=pin, only=("status",))
    assert found.case is not None
    assert found.case.get_deferred_fields() >= {"title", "content"}
