"""Creating, editing, re-parenting and changing the status of stations."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.accounts.services import memberships_station_changed, memberships_station_moved
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record, diff, snapshot
from liaison.common.codes import new_public_code
from liaison.common.hotcache import clear_all as clear_hot_caches
from liaison.regions.models import Region
from liaison.stations.models import (
    Station,
    StationKind,
    StationStatus,
    build_path,
)
from liaison.stations.permissions import (
    can_edit_station,
    can_place_station,
)

STATION_FIELDS: Final = (
    "code",
    "name",
    "kind",
    "parent",
    "path",
    "region",
    "address",
    "latitude",
    "longitude",
    "opening_hours",
    "contact_name",
    "contact_phone",
    "introduction",
    "theme",
    "status",
)
# Mainland China, Hong Kong, Macao, Taiwan and the South China Sea islands, generously.
CHINA_LATITUDE: Final = (Decimal("3"), Decimal("54"))
CHINA_LONGITUDE: Final = (Decimal("73"), Decimal("136"))
PHONE_RE: Final = re.compile(r"^[0-9+\-() 转]{5,30}$")
PATH_MAX_LENGTH: Final = Station._meta.get_field("path").max_length or 255


# --- validation helpers --------------------------------------------------------------------


def _in_china(*, latitude: Decimal, longitude: Decimal) -> bool:
    return (
        CHINA_LATITUDE[0] <= latitude <= CHINA_LATITUDE[1]
        and CHINA_LONGITUDE[0] <= longitude <= CHINA_LONGITUDE[1]
    )


def _check_coordinates(latitude: Decimal | None, longitude: Decimal | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("经度和纬度需同时填写或同时留空")
        return errors
    if latitude is None or longitude is None:
        return errors
    if _in_china(latitude=longitude, longitude=latitude) and not _in_china(
        latitude=latitude, longitude=longitude
    ):
        errors["latitude"] = _("经纬度似乎填反了：中国境内纬度约 3～54，经度约 73～136")
        return errors
    if not Decimal(-90) <= latitude <= Decimal(90):
        errors["latitude"] = _("纬度应在 -90 到 90 之间")
    elif not CHINA_LATITUDE[0] <= latitude <= CHINA_LATITUDE[1]:
        errors["latitude"] = _("纬度不在中国境内（约 3～54）")
    if not Decimal(-180) <= longitude <= Decimal(180):
        errors["longitude"] = _("经度应在 -180 到 180 之间")
    elif not CHINA_LONGITUDE[0] <= longitude <= CHINA_LONGITUDE[1]:
        errors["longitude"] = _("经度不在中国境内（约 73～136）")
    return errors


def _check_station_fields(
    *,
    name: str,
    kind: str,
    region: Region,
    parent: Station | None,
    latitude: Decimal | None,
    longitude: Decimal | None,
    contact_phone: str,
    theme: str,
) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("请填写站点名称")
    if kind not in StationKind.values:
        errors["kind"] = _("请选择有效的站点类型")
    elif kind == StationKind.THEMATIC and not theme.strip():
        errors["theme"] = _("专题站点须填写专题")
    if parent is not None:
        low, high = parent.region.bounds
        if not low <= region.code <= high:
            errors["region"] = _("下级站点的所在区划须在上级站点“%(parent)s”的区划范围内") % {
                "parent": parent.name
            }
        if parent.status == StationStatus.CLOSED:
            errors["parent"] = _("上级站点已撤销，不能在其下设立站点")
    if contact_phone.strip() and not PHONE_RE.match(contact_phone.strip()):
        errors["contact_phone"] = _("联系电话格式不正确")
    errors.update(_check_coordinates(latitude, longitude))
    if errors:
        raise ValidationError(errors)


def _station_snapshot(station: Station) -> dict[str, Any]:
    return snapshot(station, STATION_FIELDS)


def _new_station_code() -> str:
    for _attempt in range(10):
        code = new_public_code("S")
        if not Station.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not draw an unused station code")  # 31^7 codes: practically never


def lock_station(station: Station) -> Station:
    # Lock only the station row: PostgreSQL cannot lock the nullable side of the parent join.
    return (
        Station.objects.select_for_update(of=("self",))
        .select_related("region", "parent")
        .get(pk=station.pk)
    )


# --- stations --------------------------------------------------------------------------------


def station_create(
    *,
    actor: User,
    name: str,
    kind: str,
    region: Region,
    parent: Station | None = None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    opening_hours: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    introduction: str = "",
    theme: str = "",
) -> Station:
    """Create a station under `parent` (or a root) in `region`, with a new public code."""
    if not can_place_station(actor, region_code=region.code, parent=parent):
        raise PermissionDenied
    with transaction.atomic():
        if parent is not None:
            parent = lock_station(parent)
        _check_station_fields(
            name=name,
            kind=kind,
            region=region,
            parent=parent,
            latitude=latitude,
            longitude=longitude,
            contact_phone=contact_phone,
            theme=theme,
        )
        code = _new_station_code()
        path = build_path(parent, code)
        if len(path) > PATH_MAX_LENGTH:
            raise ValidationError({"parent": _("站点层级过深，无法在该上级站点下设立")})
        station = Station.objects.create(
            code=code,
            path=path,
            name=name.strip(),
            kind=kind,
            region=region,
            parent=parent,
            address=address.strip(),
            latitude=latitude,
            longitude=longitude,
            opening_hours=opening_hours.strip(),
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            introduction=introduction.strip(),
            theme=theme.strip(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=station,
            region_code=region.code,
            after=_station_snapshot(station),
        )
    return station


def station_update(
    *,
    station: Station,
    actor: User,
    name: str,
    kind: str,
    region: Region,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    opening_hours: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    introduction: str = "",
    theme: str = "",
) -> Station:
    """Replace the descriptive facts of a station (not its place in the tree, not its status)."""
    with transaction.atomic():
        # Intake caches stations by code (liaison.common.hotcache); drop them after a change.
        transaction.on_commit(clear_hot_caches)
        station = lock_station(station)
        if not can_edit_station(actor, station):
            raise PermissionDenied
        if region.code != station.region_id and not can_place_station(
            actor, region_code=region.code, parent=station.parent
        ):
            raise ValidationError({"region": _("您无权将站点调整到该区划")})
        _check_station_fields(
            name=name,
            kind=kind,
            region=region,
            parent=station.parent,
            latitude=latitude,
            longitude=longitude,
            contact_phone=contact_phone,
            theme=theme,
        )
        if region.code != station.region_id:
            outside = station.children.exclude(
                region_id__gte=region.bounds[0], region_id__lte=region.bounds[1]
            )
            if outside.exists():
                raise ValidationError({"region": _("有下级站点不在新区划范围内，请先调整下级站点")})
        before = _station_snapshot(station)
        station.name = name.strip()
        station.kind = kind
        station.region = region
        station.address = address.strip()
        station.latitude = latitude
        station.longitude = longitude
        station.opening_hours = opening_hours.strip()
        station.contact_name = contact_name.strip()
        station.contact_phone = contact_phone.strip()
        station.introduction = introduction.strip()
        station.theme = theme.strip()
        station.save()
        memberships_station_changed(station=station)
        old, new = diff(before, _station_snapshot(station))
        if new:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=station,
                region_code=station.region_id,
                before=old,
                after=new,
            )
    return station


def station_change_status(*, station: Station, actor: User, status: str, reason: str) -> Station:
    """Activate, suspend or close a station; the reason goes into the audit trail."""
    with transaction.atomic():
        # Intake caches stations by code (liaison.common.hotcache); drop them after a change.
        transaction.on_commit(clear_hot_caches)
        station = lock_station(station)
        if not can_edit_station(actor, station):
            raise PermissionDenied
        errors: dict[str, str] = {}
        if status not in StationStatus.values:
            errors["status"] = _("请选择有效的状态")
        elif status == station.status:
            errors["status"] = _("站点已是“%(status)s”状态") % {
                "status": StationStatus(status).label
            }
        if not reason.strip():
            errors["reason"] = _("请填写变更原因")
        if errors:
            raise ValidationError(errors)
        before = _station_snapshot(station)
        station.status = status
        # The public page of a paused or closed station says why (decision 0009).
        station.status_reason = "" if status == StationStatus.ACTIVE else reason.strip()
        station.save(update_fields=["status", "status_reason", "updated_at"])
        old, new = diff(before, _station_snapshot(station))
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=station,
            region_code=station.region_id,
            before=old,
            after=new,
            note=_("状态变更原因：%(reason)s") % {"reason": reason.strip()},
        )
    return station


def station_move(*, station: Station, actor: User, parent: Station | None) -> Station:
    """Put the station (with its whole subtree) under `parent`, or make it a root."""
    with transaction.atomic():
        # Intake caches stations by code (liaison.common.hotcache); drop them after a change.
        transaction.on_commit(clear_hot_caches)
        station = lock_station(station)
        if not can_edit_station(actor, station):
            raise PermissionDenied
        if parent is not None:
            parent = lock_station(parent)
            if parent.path.startswith(station.path):
                raise ValidationError({"parent": _("不能把站点移到它自己或它的下级站点之下")})
        if not can_place_station(actor, region_code=station.region_id, parent=parent):
            raise ValidationError({"parent": _("您无权把站点移到该位置")})
        if (parent.pk if parent else None) == station.parent_id:
            raise ValidationError({"parent": _("上级站点没有变化")})
        if parent is not None:
            low, high = parent.region.bounds
            if not low <= station.region_id <= high:
                raise ValidationError(
                    {
                        "parent": _("站点所在区划不在上级站点“%(parent)s”的区划范围内")
                        % {"parent": parent.name}
                    }
                )
            if parent.status == StationStatus.CLOSED:
                raise ValidationError({"parent": _("上级站点已撤销，不能在其下设立站点")})
        old_path = station.path
        new_path = build_path(parent, station.code)
        subtree = Station.objects.filter(path__startswith=old_path)
        longest = subtree.aggregate(n=Max(Length("path")))["n"] or len(old_path)
        if longest - len(old_path) + len(new_path) > PATH_MAX_LENGTH:
            raise ValidationError({"parent": _("站点层级过深，无法移到该上级站点下")})
        before = _station_snapshot(station)
        # One statement rewrites the prefix of every path in the subtree. Paths end with the
        # station's own unique code, so no new path can collide with another station's.
        moved = subtree.update(
            path=Concat(
                Value(new_path),
                Substr("path", len(old_path) + 1),
                output_field=models.CharField(),
            )
        )
        memberships_station_moved(old_path=old_path, new_path=new_path)
        station.parent = parent
        station.path = new_path
        station.save(update_fields=["parent", "updated_at"])
        old, new = diff(before, _station_snapshot(station))
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=station,
            region_code=station.region_id,
            before=old,
            after=new,
            note=_("调整上级站点，共 %(n)s 个站点的层级路径随之更新") % {"n": moved},
        )
    return station
