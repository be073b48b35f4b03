"""The KPI rollup: per (submitted local day, region, station) counts of every KPI component.

Derived data (decision 0045): rebuilt by `manage.py kpi_rollup`, kept current by the worker's
sweep, never edited by people. The KPIs of a period add up the rows in scope, plus a live look
at what moved since the sweep, so a KPI query reads O(days × regions/stations), not O(cases).
"""

from __future__ import annotations

from django.db import models


class KpiDay(models.Model):
    """The cohort's counts for the cases submitted on `day` in one region and station (or none)."""

    day = models.DateField()
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    station = models.ForeignKey(
        "stations.Station", on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    total = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    # Assigned (assigned_at and reply_due set) and replied: the part of due_or_replied that does
    # not depend on today; the overdue unanswered part is read live (kpis.py).
    assigned_replied = models.PositiveIntegerField(default=0)
    replied_on_time = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basic = models.PositiveIntegerField(default=0)
    # Cases with assigned_at and replied_at, and the sum of their working days to reply.
    replied_with_days = models.PositiveIntegerField(default=0)
    reply_days_sum = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # A region range over a period, and a station set over a period.
            models.Index(fields=["region", "day"], name="kpiday_region_idx"),
            models.Index(fields=["station", "day"], name="kpiday_station_idx"),
            models.Index(fields=["day"], name="kpiday_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.region_id} {self.station_id}"


class KpiRollupMark(models.Model):
    """How far the rollup is: one row. Cases with a larger id, or with an event of a larger id,
    may have moved since their day was counted (events are appended by every move)."""

    case_id = models.BigIntegerField(default=0)
    event_id = models.BigIntegerField(default=0)
    # The event mark of the sweep before: the sweep reads again from here, so that an event
    # whose transaction committed after a later id was seen (PostgreSQL) is not missed.
    event_id_before = models.BigIntegerField(default=0)
    swept_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"cases ≤ {self.case_id}, events ≤ {self.event_id}"
