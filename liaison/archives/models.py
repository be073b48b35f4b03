"""The one job this app stores: a station's registers of a year as one zip, built in the worker.

A deputy's file (一人一档) is not stored: it is read from the source apps each time it is asked
for (decision 0036), so it never disagrees with them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")  # recorded, waiting for the worker
    RUNNING = "running", _("生成中")  # the worker is writing the registers one by one
    DONE = "done", _("已完成")  # the zip is stored and may be downloaded until it expires
    FAILED = "failed", _("失败")  # `error` says why; nothing is stored


class StationYearExport(models.Model):
    """All registers of one station and one year (一册一表一簿三台账) as one zip."""

    station = models.ForeignKey(
        "stations.Station", verbose_name=_("联络站"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    # Registers written so far out of `parts_total`: the page shows it while the worker runs.
    parts_done = models.PositiveSmallIntegerField(default=0)
    parts_total = models.PositiveSmallIntegerField(default=0)
    current_part = models.CharField(max_length=40, blank=True)
    file = models.FileField(upload_to="exports/", blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("年度台账导出")
        verbose_name_plural = _("年度台账导出")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.station_id} {self.year}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.parts_done / self.parts_total) if self.parts_total else 0
