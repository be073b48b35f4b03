"""Writes to accounts and memberships. Each one checks who may do it and leaves an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import ADMIN_ROLES, GRANTABLE, Capability, capability_scope
from liaison.accounts.models import Membership, Role, User
from liaison.accounts.scoping import scope_for
from liaison.accounts.targets import StationTarget, UnitTarget
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.regions.models import Region


def _granter_roles_for(role: str) -> list[str]:
    return [granter for granter, roles in GRANTABLE.items() if role in roles]


def can_grant(
    *, actor: User, role: str, region: Region | None, station: Any, unit: Any = None
) -> bool:
    """Whether `actor` may grant or revoke `role` over the given scope.

    `station` is anything with a path and a region code (a station, accounts/targets.py), `unit`
    anything with a region code (a handling unit).
    """
    scope = scope_for(actor, _granter_roles_for(role))
    if scope.is_empty:
        return False
    if region is not None:
        return scope.covers_region(region.code)
    if unit is not None:
        # Only handling-unit staff are scoped to a unit; the unit's region decides who grants.
        return role == Role.HANDLING_UNIT and scope.covers_region(unit.region_id)
    return bool(
        station is not None
        and scope.covers_station(region_code=station.region_id, path=station.path)
    )


def can_revoke(*, actor: User, membership: Membership) -> bool:
    """The same rule as `can_grant`, read from the copies a membership keeps of its target."""
    if membership.kind == Membership.Kind.REGION:
        return can_grant(actor=actor, role=membership.role, region=membership.region, station=None)
    if membership.kind == Membership.Kind.UNIT:
        target = _Target(path="", region_id=membership.region_id)
        return can_grant(actor=actor, role=membership.role, region=None, station=None, unit=target)
    target = _Target(path=membership.station_path, region_id=membership.region_id)
    return can_grant(actor=actor, role=membership.role, region=None, station=target)


@dataclass(frozen=True)
class _Target:
    path: str
    region_id: str


def membership_scope_fields(
    *, region: Region | None = None, station: Any = None, unit: Any = None
) -> dict[str, Any]:
    """The columns of a membership over a region, a station or a unit (copied by value).

    Also for the demo's bootstrap grants and the test factories, which create memberships
    without a granter.
    """
    if region is not None:
        return {"kind": Membership.Kind.REGION, "region": region}
    if station is not None:
        return {
            "kind": Membership.Kind.STATION,
            "region_id": station.region_id,
            "station_path": station.path,
            "target_name": station.name,
        }
    return {
        "kind": Membership.Kind.UNIT,
        "region_id": unit.region_id,
        "unit_ref": unit.pk,
        "target_name": unit.name,
    }


def user_create(
    *, actor: User, username: str, display_name: str, password: str, phone: str = ""
) -> User:
    """Create a staff account (system administrators only); the password must meet the policy."""
    if capability_scope(actor, Capability.CREATE_USERS).is_empty:
        raise PermissionDenied(_("只有系统管理员可以创建账号。"))
    user = User(username=username, display_name=display_name, phone=phone)
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        try:
            user.save()
        except IntegrityError as exc:
            raise ValidationError(_("用户名已存在。")) from exc
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=user,
            after={"username": username, "display_name": display_name},
        )
    return user


def membership_grant(
    *,
    actor: User,
    user: User,
    role: str,
    region: Region | None = None,
    station: Any = None,
    unit: Any = None,
) -> Membership:
    """Give `user` the `role` over a region subtree, a station or a handling unit."""
    if sum(x is not None for x in (region, station, unit)) != 1:
        raise ValidationError(_("请填写辖区或联络站其中之一。"))
    if user.pk == actor.pk:
        raise ValidationError(_("不能给自己授权。"))
    if not can_grant(actor=actor, role=role, region=region, station=station, unit=unit):
        raise PermissionDenied(_("无权在该范围授予此角色。"))
    with transaction.atomic():
        # Lock the account so two grants at once cannot both pass the separation check.
        User.objects.select_for_update().get(pk=user.pk)
        held = set(Membership.objects.filter(user=user).values_list("role", flat=True))
        if role in ADMIN_ROLES and held & (ADMIN_ROLES - {role}):
            raise ValidationError(
                _("系统管理员、安全管理员、审计员三权分立，同一账号只能担任其中一种。")
            )
        scope = membership_scope_fields(region=region, station=station, unit=unit)
        same = {k: v for k, v in scope.items() if k != "target_name"}
        if Membership.objects.filter(user=user, role=role, **same).exists():
            raise ValidationError(_("该用户已在此范围担任此角色。"))
        membership = Membership.objects.create(user=user, role=role, created_by=actor, **scope)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=membership,
            region_code=membership.scope_region_code,
            after={"user": user.username, "role": role, "scope": membership.scope_label},
        )
    return membership


def membership_revoke(*, actor: User, membership: Membership) -> None:
    if membership.user_id == actor.pk:
        raise ValidationError(_("不能撤销自己的授权。"))
    if not can_revoke(actor=actor, membership=membership):
        raise PermissionDenied(_("无权撤销该授权。"))
    with transaction.atomic():
        before = {
            "user": membership.user.username,
            "role": membership.role,
            "scope": membership.scope_label,
        }
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=membership,
            region_code=membership.scope_region_code,
            before=before,
        )
        Membership.objects.filter(pk=membership.pk).delete()


def memberships_station_moved(*, old_path: str, new_path: str) -> int:
    """Carry station memberships of a moved subtree to its new paths (stations' `station_move`)."""
    return Membership.objects.filter(
        kind=Membership.Kind.STATION, station_path__startswith=old_path
    ).update(
        station_path=Concat(
            Value(new_path), Substr("station_path", len(old_path) + 1), output_field=CharField()
        )
    )


def memberships_station_changed(*, station: StationTarget) -> int:
    """Copy a station's region and name into its memberships after the station changed."""
    return Membership.objects.filter(
        kind=Membership.Kind.STATION, station_path=station.path
    ).update(region_id=station.region_id, target_name=station.name)


def memberships_unit_changed(*, unit: UnitTarget) -> int:
    """Copy a unit's region and name into its staff's memberships after the unit changed."""
    return Membership.objects.filter(kind=Membership.Kind.UNIT, unit_ref=unit.pk).update(
        region_id=unit.region_id, target_name=unit.name
    )
