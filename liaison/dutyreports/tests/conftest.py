"""Fixtures of the duty report tests: the conftest deputy (张代表) with a county seat."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.deputies.models import Deputy
from liaison.deputies.tests.factories import SeatFactory


@pytest.fixture
def deputy(deputy_user: Any) -> Deputy:
    """The conftest deputy, assigned to the station, with a login and a county seat."""
    deputy = Deputy.objects.get(user=deputy_user)
    SeatFactory(deputy=deputy)
    return deputy
