"""The append-only history of a case: the timeline and the audit trail of every move."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.cases.models.case import Case
from liaison.cases.models.choices import EventKind


class CaseEvent(models.Model):
    """One move or note on a case. Never updated, never deleted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=24, choices=EventKind.choices)
    # A default rather than auto_now_add, so that imports and seeded history keep their times.
    at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # "constituent", "system" or a staff role: who acted, for the timeline and the KPIs.
    actor_role = models.CharField(_("身份"), max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    # Text shown on the timeline (for public events: what the constituent may read).
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"
