"""Reminders sent (so none is sent twice). The region register's export jobs moved onto the
jobs app (`receptions/jobs.py`, decision 0044)."""

from __future__ import annotations

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
