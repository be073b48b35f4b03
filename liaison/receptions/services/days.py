"""One-off reception days (no schedule) and cancelling a day that has not been held."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.jurisdiction.selectors import setting_value
from liaison.receptions.models import DayStatus, ReceptionDay
from liaison.receptions.permissions import can_schedule
from liaison.receptions.place_settings import NOTICE_DAYS
from liaison.receptions.services.common import (
    audit_day,
    aware,
    new_signin_code,
    overlap_error,
    station_overlap,
)
from liaison.stations.models import Station, StationStatus


def day_create(
    *,
    station: Station,
    actor: User,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    place: str,
) -> ReceptionDay:
    """A one-off reception day (no schedule)."""
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station.pk)
        if not can_schedule(actor, station):
            raise PermissionDenied
        errors: dict[str, str] = {}
        if station.status == StationStatus.CLOSED:
            errors["__all__"] = _("该联络站已撤销，不能安排接待日")
        if not place.strip():
            errors["place"] = _("请填写接待地点")
        if end_time <= start_time:
            errors["end_time"] = _("结束时间须晚于开始时间")
        if date < timezone.localdate():
            errors["date"] = _("不能安排已过去的日期")
        if errors:
            raise ValidationError(errors)
        starts_at, ends_at = aware(date, start_time), aware(date, end_time)
        clash = station_overlap(station, starts_at, ends_at)
        if clash is not None:
            raise ValidationError({"__all__": overlap_error(clash, station)})
        notice_days = int(setting_value(key=NOTICE_DAYS, region=station.region_id))
        day = ReceptionDay.objects.create(
            station=station,
            region_id=station.region_id,
            date=date,
            planned_on=date,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            notice_on=date - datetime.timedelta(days=notice_days),
            signin_code=new_signin_code(),
        )
        audit_day(actor=actor, day=day, action=AuditAction.CREATE, note=_("新增接待日"))
    return day


def day_cancel(*, day: ReceptionDay, actor: User, reason: str) -> ReceptionDay:
    """Cancel a reception day that has not been held."""
    with transaction.atomic():
        day = ReceptionDay.objects.select_for_update().select_related("station").get(pk=day.pk)
        if not can_schedule(actor, day.station):
            raise PermissionDenied
        if not reason.strip():
            raise ValidationError({"reason": _("请填写取消原因")})
        if day.status != DayStatus.SCHEDULED:
            raise ValidationError(_("只能取消尚未接待的接待日"))
        if day.is_past:
            raise ValidationError(_("已结束的接待日不能取消"))
        day.status, day.cancel_reason = DayStatus.CANCELLED, reason.strip()[:200]
        day.version += 1
        day.save(update_fields=["status", "cancel_reason", "version"])
        audit_day(actor=actor, day=day, action=AuditAction.UPDATE, note=_("取消接待日"))
    return day
