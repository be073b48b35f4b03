"""What the public sees of reception days: the published upcoming ones (handed to the station
and deputy pages in apps.py), the iCalendar feeds' rows, and the sign-in page's day."""

from __future__ import annotations

import datetime
from typing import Final

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse

from liaison.deputies.models import Deputy
from liaison.deputies.photos import deputy_public_photo_url, deputy_public_url
from liaison.receptions.models import DayStatus, DutyStatus, ReceptionDay, ReceptionDuty
from liaison.stations.models import Station, StationStatus
from liaison.stations.selectors import (
    PublicReceptionDeputy,
    PublicReceptionRow,
    PublicReceptions,
)

PAGE_ROWS: Final = 6  # on the station and deputy pages
FEED_DAYS_BACK: Final = 90  # a feed keeps recent past days, so calendars do not drop them at once
FEED_MAX: Final = 500


def days_published(today: datetime.date) -> QuerySet[ReceptionDay]:
    """Reception days the public may see on `today`: announced, not cancelled, station open."""
    return ReceptionDay.objects.filter(
        notice_on__lte=today, station__status=StationStatus.ACTIVE
    ).exclude(status=DayStatus.CANCELLED)


def _with_deputies(days: QuerySet[ReceptionDay]) -> QuerySet[ReceptionDay]:
    on_duty = (
        ReceptionDuty.objects.filter(status=DutyStatus.ON_DUTY, deputy__is_active=True)
        .select_related("deputy")
        .only("day_id", "deputy__code", "deputy__name", "deputy__photo")
        .order_by("deputy__name", "deputy_id")
    )
    return days.select_related("station").prefetch_related(
        Prefetch("duties", queryset=on_duty, to_attr="public_duties")
    )


def public_row(day: ReceptionDay) -> PublicReceptionRow:
    duties: list[ReceptionDuty] = getattr(day, "public_duties", [])
    return PublicReceptionRow(
        date=day.date,
        starts_at=day.starts_at,
        ends_at=day.ends_at,
        place=day.place,
        station_name=day.station.name,
        station_url=reverse("h5:station", kwargs={"code": day.station.code}),
        deputies=tuple(
            PublicReceptionDeputy(
                name=d.deputy.name,
                photo_url=deputy_public_photo_url(d.deputy.code, d.deputy.photo.name or ""),
                url=deputy_public_url(d.deputy.code),
            )
            for d in duties
        ),
    )


def station_public_receptions(station: Station, today: datetime.date) -> PublicReceptions:
    """The station page's upcoming published days (two queries)."""
    days = _with_deputies(days_published(today).filter(station=station, date__gte=today))
    rows = [public_row(d) for d in days.order_by("starts_at", "id")[:PAGE_ROWS]]
    feed = reverse("receptions_h5:station_feed", kwargs={"code": station.code})
    return PublicReceptions(rows=rows, feed_url=feed)


def deputy_public_receptions(deputy: Deputy, today: datetime.date) -> PublicReceptions:
    """The deputy page's upcoming published days on duty (two queries)."""
    days = _with_deputies(
        days_published(today).filter(
            date__gte=today,
            duties__deputy=deputy,
            duties__status=DutyStatus.ON_DUTY,
        )
    )
    rows = [public_row(d) for d in days.order_by("starts_at", "id")[:PAGE_ROWS]]
    feed = reverse("receptions_h5:deputy_feed", kwargs={"code": deputy.code})
    return PublicReceptions(rows=rows, feed_url=feed)


def station_feed_days(station: Station, today: datetime.date) -> list[ReceptionDay]:
    since = today - datetime.timedelta(days=FEED_DAYS_BACK)
    days = days_published(today).filter(station=station, date__gte=since)
    return list(_with_deputies(days).order_by("starts_at", "id")[:FEED_MAX])


def deputy_feed_days(deputy: Deputy, today: datetime.date) -> list[ReceptionDay]:
    since = today - datetime.timedelta(days=FEED_DAYS_BACK)
    days = days_published(today).filter(
        date__gte=since, duties__deputy=deputy, duties__status=DutyStatus.ON_DUTY
    )
    return list(_with_deputies(days).order_by("starts_at", "id")[:FEED_MAX])


def day_for_signin(code: str) -> ReceptionDay:
    """The reception day a sign-in QR code opens, or Http404."""
    day = (
        ReceptionDay.objects.filter(signin_code=code[:16], station__status=StationStatus.ACTIVE)
        .select_related("station")
        .first()
    )
    if day is None:
        raise Http404("no such reception day")
    return day
