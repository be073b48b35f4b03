"""The session's handling report (Word) and register (xlsx), built in the task worker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import JobStatus
from liaison.suggestions.models.session import CongressSession


class SuggestionExport(models.Model):
    """One requested file of one session; the requester downloads it while it is in scope."""

    class Kind(models.TextChoices):
        REPORT = "report", _("代表建议办理情况报告")
        REGISTER = "register", _("代表建议台账")

    kind = models.CharField(_("文件"), max_length=8, choices=Kind.choices)
    session = models.ForeignKey(
        CongressSession, verbose_name=_("会次"), on_delete=models.PROTECT, related_name="+"
    )
    # The handling table's category filter, if one was chosen (blank: every category).
    category = models.ForeignKey(
        "taxonomy.Category",
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)  # percent
    file = models.FileField(upload_to="exports/", blank=True)
    row_count = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("代表建议文件导出")
        verbose_name_plural = _("代表建议文件导出")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.session_id}"
