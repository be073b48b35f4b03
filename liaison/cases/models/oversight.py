"""Supervision (督办) of late or important cases and handling units' extension requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.cases.models.case import Case


class Supervision(models.Model):
    """督办: pressing an overdue or important case (yellow, red, or opened by hand)."""

    class Level(models.TextChoices):
        YELLOW = "yellow", _("黄牌督办")
        RED = "red", _("红牌督办")
        MANUAL = "manual", _("人工督办")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervisions")
    level = models.CharField(_("级别"), max_length=8, choices=Level.choices)
    note = models.TextField(_("督办意见"), blank=True)
    new_due = models.DateField(_("新的期限"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-opened_at"]
        constraints = [
            # The scheduled job opens at most one automatic yellow and one red per case.
            models.UniqueConstraint(
                fields=["case", "level"],
                condition=Q(level__in=["yellow", "red"], resolved_at__isnull=True),
                name="supervision_one_open_auto_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.get_level_display()}"


class ExtensionRequest(models.Model):
    """A handling unit asks for more time; congress staff approve or refuse."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    requested_days = models.PositiveSmallIntegerField(_("申请延长工作日"))
    reason = models.TextField(_("理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(decision="pending"), name="one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.requested_days}"
