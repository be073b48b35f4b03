"""Writes to handling units and routing rules; each checks the actor's region and is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.accounts.services import memberships_unit_changed
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record, diff, snapshot
from liaison.common.hotcache import clear_all as clear_hot_caches
from liaison.regions.models import Region
from liaison.units.models import HandlingUnit, RoutingRule
from liaison.units.permissions import manage_scope

_FIELDS = ("region", "name", "kind", "contact_name", "contact_phone", "is_active")


def _check_region(actor: User, region_code: str) -> None:
    if not manage_scope(actor).covers_region(region_code):
        raise PermissionDenied(_("无权管理该辖区的承办单位。"))


def unit_create(
    *,
    actor: User,
    region: Region,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_phone: str = "",
) -> HandlingUnit:
    """Create a handling unit in a region inside the actor's scope."""
    _check_region(actor, region.code)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写单位名称。")})
    unit = HandlingUnit(
        region=region,
        name=name,
        kind=kind,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
    )
    try:
        with transaction.atomic():
            # Option lists and routing suggestions are cached per process (common/hotcache.py).
            transaction.on_commit(clear_hot_caches)
            unit.save()
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=unit,
                region_code=region.code,
                after=snapshot(unit, _FIELDS),
            )
    except IntegrityError as exc:
        raise ValidationError({"name": _("本辖区已有同名的承办单位。")}) from exc
    return unit


def unit_update(*, actor: User, unit: HandlingUnit, **fields: Any) -> HandlingUnit:
    """Change a unit's facts (name, kind, contacts, region); both regions must be in scope."""
    unknown = set(fields) - {"region", "name", "kind", "contact_name", "contact_phone"}
    if unknown:
        raise TypeError(f"unit_update got unexpected fields {sorted(unknown)}")
    _check_region(actor, unit.region_id)
    if "region" in fields:
        _check_region(actor, fields["region"].code)
    if "name" in fields and not str(fields["name"]).strip():
        raise ValidationError({"name": _("请填写单位名称。")})
    try:
        with transaction.atomic():
            # Option lists and routing suggestions are cached per process (common/hotcache.py).
            transaction.on_commit(clear_hot_caches)
            locked = HandlingUnit.objects.select_for_update().get(pk=unit.pk)
            before = snapshot(locked, _FIELDS)
            for name, value in fields.items():
                setattr(locked, name, value.strip() if isinstance(value, str) else value)
            locked.save()
            memberships_unit_changed(unit=locked)
            old, new = diff(before, snapshot(locked, _FIELDS))
            if new:
                audit_record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    obj=locked,
                    region_code=locked.region_id,
                    before=old,
                    after=new,
                )
    except IntegrityError as exc:
        raise ValidationError({"name": _("本辖区已有同名的承办单位。")}) from exc
    return locked


def unit_set_active(*, actor: User, unit: HandlingUnit, active: bool) -> HandlingUnit:
    """Deactivate (or reactivate) a unit: it is no longer offered for new assignments."""
    _check_region(actor, unit.region_id)
    with transaction.atomic():
        # Option lists and routing suggestions are cached per process (common/hotcache.py).
        transaction.on_commit(clear_hot_caches)
        locked = HandlingUnit.objects.select_for_update().get(pk=unit.pk)
        if locked.is_active != active:
            locked.is_active = active
            locked.save(update_fields=["is_active", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                region_code=locked.region_id,
                before={"is_active": not active},
                after={"is_active": active},
            )
    return locked


def routing_rule_set(
    *, actor: User, unit: HandlingUnit, region: Region, category: Any = None
) -> RoutingRule:
    """Route cases of `region` (and `category`, or every category) to `unit` by default.

    The rule replaces another unit's rule for the same region and category.
    """
    _check_region(actor, unit.region_id)
    _check_region(actor, region.code)
    if not unit.is_active:
        raise ValidationError(_("已停用的承办单位不能设置分派规则。"))
    low, high = unit.region.bounds
    if not low <= region.code <= high:
        raise ValidationError({"region": _("规则的区划必须在承办单位所属辖区之内。")})
    with transaction.atomic():
        # Option lists and routing suggestions are cached per process (common/hotcache.py).
        transaction.on_commit(clear_hot_caches)
        rule = (
            RoutingRule.objects.select_for_update()
            .filter(region=region, category=category)
            .select_related("unit")
            .first()
        )
        before = {"unit": rule.unit.name} if rule is not None else None
        if rule is None:
            rule = RoutingRule.objects.create(region=region, category=category, unit=unit)
        elif rule.unit_id != unit.pk:
            rule.unit = unit
            rule.save(update_fields=["unit"])
        else:
            return rule
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            obj=rule,
            region_code=region.code,
            before=before,
            after={"region": region.code, "category": str(category or ""), "unit": unit.name},
        )
    return rule


def routing_rule_remove(*, actor: User, rule: RoutingRule) -> None:
    """Delete a routing rule."""
    _check_region(actor, rule.region_id)
    with transaction.atomic():
        # Option lists and routing suggestions are cached per process (common/hotcache.py).
        transaction.on_commit(clear_hot_caches)
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=rule,
            region_code=rule.region_id,
            before={"region": rule.region_id, "category": rule.category_id, "unit": rule.unit_id},
        )
        RoutingRule.objects.filter(pk=rule.pk).delete()
