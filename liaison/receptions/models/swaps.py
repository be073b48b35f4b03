"""Swap requests (调班): a deputy on duty asks to swap with another or to give up the day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.receptions.models.schedules import ReceptionDuty
from liaison.workflow.models import WorkflowEvent


class SwapKind(models.TextChoices):
    SWAP = "swap", _("与其他代表调换")
    GIVE_UP = "give_up", _("请假（不参加）")


class SwapStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已撤回")


class SwapRequest(models.Model):
    duty = models.ForeignKey(ReceptionDuty, on_delete=models.PROTECT, related_name="swaps")
    kind = models.CharField(_("类型"), max_length=8, choices=SwapKind.choices)
    # The deputy who takes the day over (SWAP only).
    replacement = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("替班代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("理由"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("调班申请")
        verbose_name_plural = _("调班申请")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.duty}"


class SwapEventKind(models.TextChoices):
    REQUESTED = "requested", _("提出申请")
    APPROVED = "approved", _("同意")
    REJECTED = "rejected", _("驳回")
    WITHDRAWN = "withdrawn", _("撤回")


class SwapEvent(WorkflowEvent):
    """The history of a swap request. Append-only (migration 0001 installs the triggers)."""

    subject_field = "swap"
    append_only_name = "reception_swap_event"
    append_only_message = "swap events are append-only"

    swap = models.ForeignKey(SwapRequest, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事件"), max_length=24, choices=SwapEventKind.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("调班记录")
        verbose_name_plural = _("调班记录")
        indexes = [models.Index(fields=["swap", "at"])]

    def __str__(self) -> str:
        return f"{self.swap_id} {self.get_kind_display()}"
