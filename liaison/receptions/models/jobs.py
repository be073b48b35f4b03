"""Reminders sent (so none is sent twice) and register exports built by the worker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.receptions.models.schedules import ReceptionDuty


class ReminderKind(models.TextChoices):
    AHEAD = "ahead", _("提前提醒")
    MORNING = "morning", _("当日提醒")


class ReceptionReminder(models.Model):
    """One reminder of one kind sent for one duty; the unique constraint makes sending once."""

    duty = models.ForeignKey(ReceptionDuty, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("接待提醒")
        verbose_name_plural = _("接待提醒")
        constraints = [
            models.UniqueConstraint(fields=["duty", "kind"], name="reception_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.duty_id} {self.kind}"


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class RegisterExport(models.Model):
    """A reception register (接待登记簿) of a region and year, built in the worker."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING)
    file = models.FileField(upload_to="exports/", blank=True)
    row_count = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接待登记簿导出")
        verbose_name_plural = _("接待登记簿导出")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"
