"""What hangs off a suggestion: co-signers, sources, units, return requests, events."""

from __future__ import annotations

import operator
from functools import reduce
from typing import Final

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.suggestions.models.choices import DueState, EventKind
from liaison.suggestions.models.suggestion import Suggestion
from liaison.workflow.models import WorkflowEvent


class Cosigner(models.Model):
    """A deputy asked to co-sign (附议); they confirm on their own account."""

    class State(models.TextChoices):
        INVITED = "invited", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已拒绝")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigners")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.INVITED)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("附议代表")
        verbose_name_plural = _("附议代表")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosigner_unique")
        ]
        indexes = [models.Index(fields=["deputy", "state"])]

    def __str__(self) -> str:
        return f"{self.suggestion_id}:{self.deputy_id}"


class SourceKind(models.TextChoices):
    CASE = "case", _("群众意见")
    HOT_TOPIC = "hot_topic", _("月度研判热点")
    RECEPTION = "reception", _("接待记录")
    ACTIVITY = "activity", _("履职活动")


# Which foreign key holds the reference of each kind. Adding a kind is: a choice above, its
# nullable foreign key below, one line here, its clause in `_typed()` and a migration.
SOURCE_FIELDS: Final[dict[str, str]] = {
    SourceKind.CASE: "case",
    SourceKind.HOT_TOPIC: "report",
    SourceKind.RECEPTION: "reception",
    SourceKind.ACTIVITY: "activity",
}


def _typed() -> Q:
    """Exactly the foreign key of the row's kind is set (a hot topic also has its rank)."""
    clauses: list[Q] = []
    for kind, field in SOURCE_FIELDS.items():
        clause = Q(kind=kind) & Q(**{f"{field}__isnull": False})
        for other in SOURCE_FIELDS.values():
            if other != field:
                clause &= Q(**{f"{other}__isnull": True})
        if kind == SourceKind.HOT_TOPIC:
            clause &= Q(topic_rank__isnull=False)
        clauses.append(clause)
    return reduce(operator.or_, clauses)


class SuggestionSource(models.Model):
    """Where the suggestion came from: one typed reference per row (decision 0025)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("来源类型"), max_length=12, choices=SourceKind.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        "reports.MonthlyReport", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Receptions and activities sit beside suggestions in the layers: a string reference, no
    # import (decision 0039); who may link one is asked through `source_kinds`.
    reception = models.ForeignKey(
        "receptions.Reception", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A hot topic is the n-th of its report's list; its label is kept as it was when chosen.
    topic_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    label = models.CharField(_("来源"), max_length=200)

    class Meta:
        verbose_name = _("建议来源")
        verbose_name_plural = _("建议来源")
        indexes = [models.Index(fields=["case"])]
        constraints = [
            models.CheckConstraint(condition=_typed(), name="suggestion_source_typed"),
            models.UniqueConstraint(
                fields=["suggestion", "case"],
                condition=Q(case__isnull=False),
                name="suggestion_source_case_once",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "reception"],
                condition=Q(reception__isnull=False),
                name="suggestion_source_reception_once",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "activity"],
                condition=Q(activity__isnull=False),
                name="suggestion_source_activity_once",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class SuggestionUnit(models.Model):
    """A unit the suggestion is assigned to: the lead (主办) or a co-handling unit (协办)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("units.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(_("主办"), default=False)
    assigned_at = models.DateTimeField()
    # A wrongly assigned unit asks to return it by this day.
    return_due = models.DateField()
    # Co-handling units: their view to the lead, due within a month.
    view_due = models.DateField(null=True, blank=True)
    view = models.TextField(_("协办意见"), blank=True)
    view_at = models.DateTimeField(null=True, blank=True)
    view_due_state = models.CharField(
        max_length=6, choices=DueState.choices, default=DueState.NONE, blank=True
    )
    # False once reassigned away: the row stays as history.
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        indexes = [
            models.Index(fields=["unit", "is_current", "is_lead"]),
            models.Index(fields=["is_current", "view_at", "view_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id}:{self.unit_id}"


class ReturnRequest(models.Model):
    """A unit asks to give back a suggestion it should not have been assigned (交办有误)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待处理")
        APPROVED = "approved", _("已同意并重新交办")
        REFUSED = "refused", _("不同意")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="returns")
    unit = models.ForeignKey("units.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("退回理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("退回申请")
        verbose_name_plural = _("退回申请")
        indexes = [models.Index(fields=["suggestion", "decision"])]

    def __str__(self) -> str:
        return f"{self.suggestion_id}:{self.unit_id}:{self.decision}"


PUBLIC_EVENT_KINDS: Final = frozenset(
    {EventKind.SUBMITTED, EventKind.ACCEPTED, EventKind.ASSIGNED, EventKind.ANSWERED}
)


class SuggestionEvent(WorkflowEvent):
    """One move or note on a suggestion; append-only (migration 0001 installs the triggers)."""

    subject_field = "suggestion"
    public_kinds = PUBLIC_EVENT_KINDS
    append_only_name = "suggestion_event"
    append_only_message = "suggestion events are append-only"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事件"), max_length=24, choices=EventKind.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("建议办理记录")
        verbose_name_plural = _("建议办理记录")
        indexes = [models.Index(fields=["suggestion", "at"])]
