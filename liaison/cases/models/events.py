"""The append-only history of a case: the timeline and the audit trail of every move."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.cases.models.case import Case
from liaison.cases.models.choices import PUBLIC_EVENT_KINDS, EventKind
from liaison.workflow.models import WorkflowEvent


class CaseEvent(WorkflowEvent):
    """One move or note on a case. Never updated, never deleted: the model refuses and the
    database triggers refuse (migration 0017); a case with events cannot be deleted either
    (decision 0012)."""

    subject_field = "case"
    public_kinds = PUBLIC_EVENT_KINDS
    append_only_name = "case_event"
    append_only_message = "case events are append-only"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事件"), max_length=24, choices=EventKind.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"
