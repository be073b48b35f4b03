from __future__ import annotations

from typing import Any

import pytest

from liaison.accounts.models import User
from liaison.cases.tests.factories import HandlingUnitFactory, make_unit_staff
from liaison.suggestions.models import CongressSession
from liaison.suggestions.tests.factories import CongressSessionFactory, deputy_member
from liaison.units.models import HandlingUnit


@pytest.fixture
def session(yuelu: Any) -> CongressSession:
    return CongressSessionFactory()


@pytest.fixture
def deputy(station: Any) -> User:
    """A deputy of 岳麓区's county congress, at the station."""
    return deputy_member(station=station, username="dep_author")


@pytest.fixture
def lead_unit(yuelu: Any) -> HandlingUnit:
    return HandlingUnitFactory(name="岳麓区住建局")


@pytest.fixture
def co_unit(yuelu: Any) -> HandlingUnit:
    return HandlingUnitFactory(name="岳麓区城管局")


@pytest.fixture
def lead_clerk(lead_unit: HandlingUnit) -> User:
    return make_unit_staff(lead_unit, username="lead_clerk")


@pytest.fixture
def co_clerk(co_unit: HandlingUnit) -> User:
    return make_unit_staff(co_unit, username="co_clerk")
