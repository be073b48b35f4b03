"""The event table every workflow keeps: an abstract, append-only base.

An app's event model subclasses `WorkflowEvent`, adds the foreign key to its row (named by
`subject_field`), gives `kind` its choices and names its triggers; its migration installs them
(liaison/common/append_only.py). Rows are written only by `liaison.workflow.events.event_build`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.common.append_only import AppendOnlyModel


class WorkflowEvent(AppendOnlyModel):
    """One move or note on a row of a workflow. Never updated, never deleted."""

    # The name of the foreign key to the row the event belongs to ("case", "suggestion" …).
    subject_field: ClassVar[str] = ""
    # Kinds shown to the public (the constituent's timeline); the rest is internal.
    public_kinds: ClassVar[Collection[str]] = frozenset()

    kind = models.CharField(_("事件"), max_length=24)
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
    # Text shown on the timeline (for public events: what the public may read).
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=False)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
