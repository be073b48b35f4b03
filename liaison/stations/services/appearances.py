"""Pop-up appearances of mobile and market stations (出摊安排)."""

from __future__ import annotations

import datetime
from typing import Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record, snapshot
from liaison.regions.models import Region
from liaison.stations.models import (
    POP_UP_KINDS,
    Station,
    StationAppearance,
)
from liaison.stations.permissions import (
    can_edit_station,
)
from liaison.stations.services.stations import lock_station

APPEARANCE_FIELDS: Final = ("station", "starts_at", "ends_at", "place", "region", "note")

# --- pop-up appearances ------------------------------------------------------------------------


def station_appearance_add(
    *,
    station: Station,
    actor: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    region: Region | None = None,
    note: str = "",
) -> StationAppearance:
    """Schedule where and when a mobile or market station stands."""
    with transaction.atomic():
        station = lock_station(station)
        if not can_edit_station(actor, station):
            raise PermissionDenied
        errors: dict[str, str] = {}
        if station.kind not in POP_UP_KINDS:
            errors["__all__"] = _("只有流动站点和集市站点可以安排出摊")
        if not place.strip():
            errors["place"] = _("请填写地点")
        if ends_at <= starts_at:
            errors["ends_at"] = _("结束时间须晚于开始时间")
        elif ends_at < timezone.now():
            errors["ends_at"] = _("结束时间已过，不能安排过去的出摊")
        if region is not None:
            low, high = station.region.bounds
            if not low <= region.code <= high:
                errors["region"] = _("出摊地点的区划须在站点所在区划范围内")
        if errors:
            raise ValidationError(errors)
        appearance = StationAppearance.objects.create(
            station=station,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            region=region,
            note=note.strip(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=appearance,
            region_code=station.region_id,
            after=snapshot(appearance, APPEARANCE_FIELDS),
        )
    return appearance


def station_appearance_cancel(
    *, appearance: StationAppearance, actor: User, reason: str = ""
) -> None:
    """Cancel an appearance that has not ended yet; the audit row keeps what it was."""
    with transaction.atomic():
        station = lock_station(appearance.station)
        try:
            appearance = StationAppearance.objects.select_for_update().get(
                pk=appearance.pk, station=station
            )
        except StationAppearance.DoesNotExist:
            raise ValidationError(_("该出摊安排已被取消")) from None
        if not can_edit_station(actor, station):
            raise PermissionDenied
        if appearance.ends_at < timezone.now():
            raise ValidationError(_("已结束的出摊安排不能取消"))
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=appearance,
            region_code=station.region_id,
            before=snapshot(appearance, APPEARANCE_FIELDS),
            note=_("取消出摊：%(reason)s") % {"reason": reason.strip()} if reason.strip() else "",
        )
        appearance.delete()
