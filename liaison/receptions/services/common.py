"""Helpers every reception service shares: times, the clash checks, who at a station hears."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record, snapshot
from liaison.deputies.models import Deputy
from liaison.receptions.models import DayStatus, DutyStatus, ReceptionDay, ReceptionDuty
from liaison.stations.models import Station

DAY_FIELDS = ("station", "date", "planned_on", "starts_at", "ends_at", "place", "status")
# Receptions rarely see more than a few hundred people; a larger number is a typing slip.
MAX_VISITORS = 5000


def aware(day: datetime.date, at: datetime.time) -> datetime.datetime:
    """The moment `at` on `day` in the platform's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime.combine(day, at))


def new_signin_code() -> str:
    return secrets.token_urlsafe(9)[:12]


def day_label(day: ReceptionDay, station: Station | None = None) -> str:
    """'2025-10-09 岳麓街道人大代表联络站': how a message names a day."""
    return f"{day.date:%Y-%m-%d} {(station or day.station).name}"


def station_overlap(
    station: Station,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    *,
    exclude_pk: int | None = None,
) -> ReceptionDay | None:
    """A live reception day at the station whose time overlaps [starts_at, ends_at)."""
    clash = ReceptionDay.objects.filter(
        station=station, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exclude(status=DayStatus.CANCELLED)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    return clash.order_by("starts_at").first()


def overlap_error(clash: ReceptionDay, station: Station) -> ValidationError:
    return ValidationError(
        _("%(date)s 与本站已有的接待日（%(start)s–%(end)s，%(place)s）时间重叠")
        % {
            "date": f"{clash.date:%Y-%m-%d}",
            "start": f"{timezone.localtime(clash.starts_at):%H:%M}",
            "end": f"{timezone.localtime(clash.ends_at):%H:%M}",
            "place": clash.place,
        },
        code="overlap",
    )


def deputy_clash(deputy: Deputy, day: ReceptionDay) -> ReceptionDuty | None:
    """The deputy's duty at another live reception day overlapping `day` (any station)."""
    return (
        ReceptionDuty.objects.filter(
            deputy=deputy,
            status=DutyStatus.ON_DUTY,
            starts_at__lt=day.ends_at,
            ends_at__gt=day.starts_at,
        )
        .exclude(day_id=day.pk)
        .exclude(day__status=DayStatus.CANCELLED)
        .select_related("day__station")
        .first()
    )


def clash_error(deputy: Deputy, duty: ReceptionDuty) -> ValidationError:
    return ValidationError(
        _("%(name)s 在 %(date)s 已在 %(station)s 值班（%(start)s–%(end)s），时间冲突")
        % {
            "name": deputy.name,
            "date": f"{duty.day.date:%Y-%m-%d}",
            "station": duty.day.station.name,
            "start": f"{timezone.localtime(duty.starts_at):%H:%M}",
            "end": f"{timezone.localtime(duty.ends_at):%H:%M}",
        },
        code="deputy_clash",
    )


def audit_day(*, actor: User | None, day: ReceptionDay, action: str, note: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=day,
        region_code=day.region_id,
        after=snapshot(day, DAY_FIELDS) if action != AuditAction.DELETE else None,
        note=note,
    )
