"""Counting QR code scans per public code per day."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from liaison.stations.models import (
    ScanCount,
)

# --- QR scans --------------------------------------------------------------------------------


def scan_count_increment(*, code: str, day: datetime.date | None = None) -> None:
    """Count one scan of a public code today.

    An UPDATE … SET count = count + 1 cannot lose increments; when the day's row does not exist
    yet, two first scans may race to insert it, and the loser falls back to the UPDATE.
    """
    day = day or timezone.localdate()
    rows = ScanCount.objects.filter(code=code, day=day)
    with transaction.atomic():
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                ScanCount.objects.create(code=code, day=day, count=1)
        except IntegrityError:
            rows.update(count=F("count") + 1)
