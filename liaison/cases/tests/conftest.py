"""Fixtures of the case-loop tests (handling units and their staff, cases in each status).

Personas (station officer, county staff …) come from the project's conftest.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from liaison.accounts.models import User
from liaison.cases.tests.factories import HandlingUnitFactory, make_unit_staff
from liaison.units.models import HandlingUnit


@pytest.fixture
def unit(yuelu: Any) -> HandlingUnit:
    return HandlingUnitFactory(name="岳麓区城市管理和综合执法局")


@pytest.fixture
def unit_clerk(unit: HandlingUnit) -> User:
    return make_unit_staff(unit, username="unit_clerk")


@pytest.fixture
def co_unit(yuelu: Any) -> HandlingUnit:
    return HandlingUnitFactory(name="岳麓区住房和城乡建设局")


@pytest.fixture
def co_clerk(co_unit: HandlingUnit) -> User:
    return make_unit_staff(co_unit, username="co_clerk")


@pytest.fixture
def other_unit(changsha_county: Any) -> HandlingUnit:
    return HandlingUnitFactory(name="长沙县城管局", region_id="430121000000")


@pytest.fixture
def other_clerk(other_unit: HandlingUnit) -> User:
    return make_unit_staff(other_unit, username="other_clerk")
