"""The monthly analysis report (每月研判): one row per scope and month, regenerated in place."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")  # waiting for the task worker
    RUNNING = "running", _("生成中")  # the worker is building it
    DONE = "done", _("已生成")  # data, docx and pdf are there
    FAILED = "failed", _("生成失败")  # `error` says why (e.g. no CJK font)


class MonthlyReport(models.Model):
    """A region's or a station's report for one month (the first day of the month)."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("月份"))
    status = models.CharField(
        _("状态"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    data = models.JSONField(_("数据快照"), default=dict, blank=True)
    docx = models.FileField(_("Word 文件"), upload_to="reports/", blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to="reports/", blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("月度研判报告")
        verbose_name_plural = _("月度研判报告")
        ordering = ["-month", "region_id", "station_id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(region__isnull=False) & Q(station__isnull=True))
                | (Q(region__isnull=True) & Q(station__isnull=False)),
                name="monthlyreport_one_scope",
            ),
            models.UniqueConstraint(
                fields=["region", "month"],
                condition=Q(station__isnull=True),
                name="monthlyreport_unique_region_month",
            ),
            models.UniqueConstraint(
                fields=["station", "month"],
                condition=Q(region__isnull=True),
                name="monthlyreport_unique_station_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope_name} {self.month:%Y-%m}"

    @property
    def scope_name(self) -> str:
        scope = self.station if self.station_id else self.region
        return str(scope) if scope is not None else ""

    @property
    def month_label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    @property
    def is_waiting(self) -> bool:
        return self.status in (ReportStatus.PENDING, ReportStatus.RUNNING)
