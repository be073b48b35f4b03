"""The suggestion (代表建议) row: its text, its congress session, its milestones and deadlines.

Milestones and the running deadline live on the row so that queues and the handling table never
replay events; the event table (`SuggestionEvent`) is the history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.common.models import TimeStampedModel
from liaison.suggestions.models.choices import Contact, DueState, Grade, Kind, Rating, Status
from liaison.suggestions.models.session import CongressSession


class Suggestion(TimeStampedModel):
    session = models.ForeignKey(
        CongressSession, verbose_name=_("会次"), on_delete=models.PROTECT, related_name="+"
    )
    # Denormalized from the session: every staff queue filters on it (scope by region range).
    congress = models.ForeignKey(
        "regions.Region", verbose_name=_("人大"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("领衔代表"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    # The station that helped draft it (its staff may edit the draft); optional.
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.INDIVIDUAL)
    title = models.CharField(_("标题"), max_length=100)
    problem = models.TextField(_("问题"), blank=True)
    analysis = models.TextField(_("分析"), blank=True)
    proposal = models.TextField(_("建议"), blank=True)
    category = models.ForeignKey(
        "taxonomy.Category",
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Milestones.
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # The deadline running now (assign, answer or re-handle) and its yellow/red mark.
    due_on = models.DateField(_("期限"), null=True, blank=True)
    due_state = models.CharField(
        _("督办"), max_length=6, choices=DueState.choices, default=DueState.NONE, blank=True
    )
    answer_due = models.DateField(_("答复期限"), null=True, blank=True)
    is_complex = models.BooleanField(_("复杂建议"), default=False)
    answered_late = models.BooleanField(default=False)
    lead_unit = models.ForeignKey(
        "units.HandlingUnit",
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The answer of the lead unit.
    contact_method = models.CharField(
        _("沟通方式"), max_length=8, choices=Contact.choices, blank=True
    )
    contacted_on = models.DateField(_("沟通日期"), null=True, blank=True)
    grade = models.CharField(_("办理类别"), max_length=1, choices=Grade.choices, blank=True)
    answer = models.TextField(_("答复摘要"), blank=True)
    unsolved_reason = models.TextField(_("暂不能解决的理由"), blank=True)
    promised_on = models.DateField(_("承诺解决日期"), null=True, blank=True)
    promise_overdue = models.BooleanField(_("承诺逾期"), default=False)
    letter = models.FileField(_("答复函"), upload_to="suggestions/letters/", blank=True)
    # The deputy's rating (the first; a re-handled answer is rated again, `rehandled` says so).
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    rehandled = models.BooleanField(_("已重办"), default=False)
    first_rating = models.CharField(max_length=12, choices=Rating.choices, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    # 重点督办.
    is_priority = models.BooleanField(_("重点督办"), default=False)
    priority_leader = models.CharField(_("督办领导"), max_length=50, blank=True)
    priority_deputies = models.CharField(_("参与督办代表"), max_length=200, blank=True)
    # Publication needs both: the deputy's and the congress's consent (off by default).
    deputy_allows_publication = models.BooleanField(_("代表同意公开"), default=False)
    congress_allows_publication = models.BooleanField(_("人大同意公开"), default=False)

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "congress", "due_on"], name="sugg_queue"),
            models.Index(fields=["lead_unit", "status", "due_on"], name="sugg_unit_queue"),
            models.Index(fields=["session", "number"], name="sugg_session_number"),
            models.Index(fields=["status", "due_state", "due_on"], name="sugg_due"),
            models.Index(fields=["author", "status"], name="sugg_author"),
            # The queues' order: the nearest deadline first, read in index order.
            models.Index(fields=["due_on", "id"], name="sugg_due_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                condition=Q(number__isnull=False),
                name="suggestion_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number_label(self) -> str:
        return _("第 %(n)s 号") % {"n": self.number} if self.number else str(_("未编号"))

    @property
    def body_length(self) -> int:
        return len(self.problem) + len(self.analysis) + len(self.proposal)

    @property
    def is_public(self) -> bool:
        return self.deputy_allows_publication and self.congress_allows_publication
