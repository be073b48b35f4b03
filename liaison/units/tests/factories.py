"""Unit test helpers; the unit and unit-staff factories are shared with the case tests."""

from __future__ import annotations

from typing import Any

from liaison.cases.tests.factories import HandlingUnitFactory, make_unit_staff
from liaison.units.models import HandlingUnit, RoutingRule

__all__ = ["HandlingUnitFactory", "make_rule", "make_unit_staff"]


def make_rule(*, unit: HandlingUnit, region_id: str, category: Any = None) -> RoutingRule:
    return RoutingRule.objects.create(unit=unit, region_id=region_id, category=category)
