"""Creating, editing and deactivating grids."""

from __future__ import annotations

from typing import Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record, diff, snapshot
from liaison.grids.models import Grid
from liaison.grids.permissions import can_place_grid
from liaison.grids.services.common import clean_text, ensure_manages, ensure_version, lock_grid
from liaison.regions.models import Region
from liaison.stations.models import Station, StationStatus

GRID_FIELDS: Final = ("name", "region", "station", "description", "is_active")
NAME_LIMIT: Final = 100
DESCRIPTION_LIMIT: Final = 2000


def _check_fields(
    *, actor: User, name: str, region: Region, station: Station | None, description: str
) -> tuple[str, str]:
    errors: dict[str, str] = {}
    name = clean_text(name, field="name", label=_("网格名称"), limit=NAME_LIMIT, errors=errors)
    description = description.strip()
    if len(description) > DESCRIPTION_LIMIT:
        errors["description"] = _("说明不能超过 %(n)d 个字") % {"n": DESCRIPTION_LIMIT}
    if station is not None:
        low, high = station.region.bounds
        if not low <= region.code <= high:
            errors["region"] = _(
                "网格所在区划须在联络站“%(station)s”所在区划（%(region)s）范围内"
            ) % {
                "station": station.name,
                "region": station.region.name,
            }
        if station.status == StationStatus.CLOSED:
            errors["station"] = _("联络站“%(station)s”已撤销，不能再设网格") % {
                "station": station.name
            }
    if errors:
        raise ValidationError(errors)
    if not can_place_grid(actor, region_code=region.code, station=station):
        raise PermissionDenied(_("您不能在该区划或该联络站设立网格（不在您的管辖范围内）。"))
    return name, description


def _ensure_unique_name(*, name: str, region: Region, exclude_pk: int | None = None) -> None:
    others = Grid.objects.filter(region=region, name=name, is_active=True)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError(
            {
                "name": _("%(region)s已有名为“%(name)s”的网格")
                % {"region": region.name, "name": name}
            }
        )


def _save_unique(grid: Grid, *, fields: list[str] | None = None) -> None:
    # The service checks the name first; the constraint catches a concurrent twin.
    try:
        with transaction.atomic():
            grid.save(update_fields=fields)
    except IntegrityError:
        raise ValidationError({"name": _("该区划已有同名网格，请换一个名称")}) from None


def grid_create(
    *,
    actor: User,
    name: str,
    region: Region,
    station: Station | None = None,
    description: str = "",
) -> Grid:
    """Create an active grid in `region`, optionally run from `station`."""
    with transaction.atomic():
        name, description = _check_fields(
            actor=actor, name=name, region=region, station=station, description=description
        )
        _ensure_unique_name(name=name, region=region)
        grid = Grid(name=name, region=region, station=station, description=description)
        _save_unique(grid)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=grid,
            region_code=region.code,
            after=snapshot(grid, GRID_FIELDS),
        )
    return grid


def grid_update(
    *,
    grid: Grid,
    actor: User,
    name: str,
    region: Region,
    station: Station | None,
    description: str = "",
    expected_version: int | None = None,
) -> Grid:
    """Change a grid's name, place and description (both old and new place must be the actor's)."""
    with transaction.atomic():
        grid = lock_grid(grid)
        ensure_manages(actor, grid)
        ensure_version(grid.version, expected_version)
        if not grid.is_active:
            raise ValidationError(_("该网格已停用，不能修改。"))
        name, description = _check_fields(
            actor=actor, name=name, region=region, station=station, description=description
        )
        _ensure_unique_name(name=name, region=region, exclude_pk=grid.pk)
        before = snapshot(grid, GRID_FIELDS)
        grid.name, grid.region, grid.station = name, region, station
        grid.description = description
        grid.version += 1
        _save_unique(grid)
        changed_before, changed_after = diff(before, snapshot(grid, GRID_FIELDS))
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=grid,
            region_code=region.code,
            before=changed_before,
            after=changed_after,
        )
    return grid


def grid_deactivate(*, grid: Grid, actor: User, reason: str = "") -> Grid:
    """Stop using a grid. Its posts must be deactivated first, so that nobody is left holding a
    post in a grid that no longer shows anywhere (decision 0023)."""
    with transaction.atomic():
        grid = lock_grid(grid)
        ensure_manages(actor, grid)
        if not grid.is_active:
            raise ValidationError(_("该网格已停用。"))
        active_posts = grid.posts.filter(is_active=True).count()
        if active_posts:
            raise ValidationError(
                _("该网格下还有 %(n)d 个启用的岗位，请先停用这些岗位。") % {"n": active_posts}
            )
        grid.is_active = False
        grid.version += 1
        grid.save(update_fields=["is_active", "version", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=grid,
            region_code=grid.region_id,
            before={"is_active": True},
            after={"is_active": False},
            note=_("停用网格：%(reason)s") % {"reason": reason.strip()} if reason.strip() else "",
        )
    return grid
