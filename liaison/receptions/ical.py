"""iCalendar feeds of published reception days (per station, per deputy), public data only.

Each event's UID is stable (`reception-day-<pk>@<host part>`), so a calendar that subscribes
updates an event instead of adding a second one; times carry TZID Asia/Shanghai with the
VTIMEZONE the icalendar library generates for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from typing import Final
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from liaison.receptions.models import ReceptionDay
from liaison.receptions.public import public_row

TZ: Final = ZoneInfo("Asia/Shanghai")
PRODID: Final = "-//liaison//reception days//ZH"
UID_DOMAIN: Final = "liaison.local"


def day_uid(day: ReceptionDay) -> str:
    return f"reception-day-{day.pk}@{UID_DOMAIN}"


def feed_bytes(*, name: str, days: Iterable[ReceptionDay], base_url: str = "") -> bytes:
    """A VCALENDAR of the days (each with its deputies' names) as bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    calendar.add_component(Timezone.from_tzid("Asia/Shanghai"))
    for day in days:
        row = public_row(day)
        event = Event()
        event.add("uid", day_uid(day))
        event.add("dtstamp", day.starts_at.astimezone(UTC))
        event.add("dtstart", day.starts_at.astimezone(TZ))
        event.add("dtend", day.ends_at.astimezone(TZ))
        event.add("summary", f"代表接待日 · {row.station_name}")
        event.add("location", row.place)
        names = "、".join(d.name for d in row.deputies) or "待定"
        event.add("description", f"接待代表：{names}")
        if base_url:
            event.add("url", base_url.rstrip("/") + row.station_url)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
