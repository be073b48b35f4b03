"""Reminders to the deputies on duty: N days ahead (setting) and on the morning of the day.

Sent by the worker's periodic job; a `ReceptionReminder` row per (duty, kind) is written in the
same transaction as the inbox message, and its unique constraint makes a second run, or a
second worker, send nothing twice.
"""

from __future__ import annotations

import datetime
import logging
from typing import Final

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.jurisdiction.selectors import setting_value
from liaison.notifications.services import notify_users, send_sms
from liaison.receptions.models import (
    DayStatus,
    DutyStatus,
    ReceptionDuty,
    ReceptionReminder,
    ReminderKind,
)
from liaison.receptions.place_settings import REMINDER_DAYS

logger = logging.getLogger(__name__)

MORNING_FROM: Final = datetime.time(6, 0)
# The most days ahead any jurisdiction may ask for (the setting's maximum).
LOOK_AHEAD_DAYS: Final = 30


def _text(duty: ReceptionDuty, kind: str) -> str:
    day = duty.day
    start = timezone.localtime(day.starts_at)
    values = {
        "date": f"{day.date:%Y-%m-%d}",
        "time": f"{start:%H:%M}",
        "station": day.station.name,
        "place": day.place,
    }
    if kind == ReminderKind.MORNING:
        return _("【代表接待日】今天 %(time)s 您在%(station)s（%(place)s）接待群众。") % values
    return _("【代表接待日】%(date)s %(time)s 您在%(station)s（%(place)s）接待群众。") % values


def _send(duty: ReceptionDuty, kind: str) -> bool:
    """Send one reminder unless it was sent before; whether it was sent now."""
    try:
        with transaction.atomic():
            ReceptionReminder.objects.create(duty=duty, kind=kind)
            text = _text(duty, kind)
            deputy = duty.deputy
            if deputy.user_id is not None:
                notify_users(users=[deputy.user_id], title=text, subject=duty.day)
            if deputy.mobile:
                mobile = deputy.mobile
                transaction.on_commit(
                    lambda: send_sms(phone=mobile, body=text, subject=duty.day), robust=True
                )
    except IntegrityError:
        return False  # sent already (by an earlier run or another worker)
    return True


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send the reminders that are due; how many were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    duties = (
        ReceptionDuty.objects.filter(
            status=DutyStatus.ON_DUTY,
            day__status=DayStatus.SCHEDULED,
            day__date__gte=today,
            day__date__lte=today + datetime.timedelta(days=LOOK_AHEAD_DAYS),
        )
        .select_related("day__station", "deputy")
        .prefetch_related("reminders")
        .order_by("day__date", "id")
    )
    days_ahead: dict[str, int] = {}
    sent = 0
    for duty in duties.iterator(chunk_size=500):
        day = duty.day
        done = {r.kind for r in duty.reminders.all()}
        if day.date == today:
            local = timezone.localtime(now).time()
            if ReminderKind.MORNING not in done and local >= MORNING_FROM and day.ends_at > now:
                sent += _send(duty, ReminderKind.MORNING)
            continue
        region = day.region_id
        if region not in days_ahead:
            days_ahead[region] = int(setting_value(key=REMINDER_DAYS, region=region))
        if ReminderKind.AHEAD not in done and (day.date - today).days <= days_ahead[region]:
            sent += _send(duty, ReminderKind.AHEAD)
    return sent
