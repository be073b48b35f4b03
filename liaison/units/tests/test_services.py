from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liaison.audit.models import AuditAction, AuditEvent
from liaison.cases.tests.factories import make_unit_staff
from liaison.regions.tests.factories import region
from liaison.units import services
from liaison.units.models import RoutingRule, UnitKind
from liaison.units.tests.factories import HandlingUnitFactory

pytestmark = pytest.mark.django_db


def test_unit_create_is_audited(county_staff: Any, yuelu: Any) -> None:
    unit = services.unit_create(
        actor=county_staff, region=yuelu, name=" 区住建局 ", kind=UnitKind.DEPARTMENT
    )
    assert unit.name == "区住建局"
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_id=str(unit.pk), object_type="units.handlingunit"
    ).exists()


def test_unit_create_outside_scope_refused(other_county_staff: Any, yuelu: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=other_county_staff, region=yuelu, name="区住建局", kind=UnitKind.DEPARTMENT
        )


def test_unit_create_duplicate_name(county_staff: Any, yuelu: Any) -> None:
    services.unit_create(actor=county_staff, region=yuelu, name="甲", kind=UnitKind.OTHER)
    with pytest.raises(ValidationError):
        services.unit_create(actor=county_staff, region=yuelu, name="甲", kind=UnitKind.OTHER)


def test_unit_update_and_deactivate(county_staff: Any) -> None:
    unit = HandlingUnitFactory(name="旧名")
    unit = services.unit_update(actor=county_staff, unit=unit, name="新名")
    assert unit.name == "新名"
    unit = services.unit_set_active(actor=county_staff, unit=unit, active=False)
    assert not unit.is_active
    assert AuditEvent.objects.filter(object_id=str(unit.pk), action=AuditAction.UPDATE).count() == 2


def test_routing_rule_set_replaces_and_remove(county_staff: Any) -> None:
    first, second = HandlingUnitFactory(), HandlingUnitFactory()
    street = region("430104002000")
    rule = services.routing_rule_set(actor=county_staff, unit=first, region=street)
    rule = services.routing_rule_set(actor=county_staff, unit=second, region=street)
    assert RoutingRule.objects.get().unit == second
    services.routing_rule_remove(actor=county_staff, rule=rule)
    assert not RoutingRule.objects.exists()


def test_routing_rule_region_must_be_inside_unit_region(county_staff: Any, hunan: Any) -> None:
    unit = HandlingUnitFactory(region_id="430104002000")
    with pytest.raises(ValidationError):
        services.routing_rule_set(actor=county_staff, unit=unit, region=region("430104000000"))


def test_routing_rule_outside_scope_refused(other_county_staff: Any) -> None:
    unit = HandlingUnitFactory()
    with pytest.raises(PermissionDenied):
        services.routing_rule_set(
            actor=other_county_staff, unit=unit, region=region("430104000000")
        )


def test_unit_changes_are_copied_into_its_staff_memberships(county_staff: Any) -> None:
    # Memberships name their unit by value (decision 0024): the unit's services keep the copy.
    unit = HandlingUnitFactory(name="旧名")
    clerk = make_unit_staff(unit)
    services.unit_update(actor=county_staff, unit=unit, name="新名", region=region("430104002000"))
    membership = clerk.memberships.get()
    assert membership.unit_ref == unit.pk
    assert membership.target_name == "新名"
    assert membership.region_id == "430104002000"
