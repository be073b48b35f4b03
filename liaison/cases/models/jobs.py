"""Workbench jobs: bulk imports, run by the task worker (the ledger is an export job of the
jobs app, `cases/jobs.py`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- workbench jobs: bulk imports ------------------------------------------------------------


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")  # for imports: the file had errors, nothing was imported


class CaseImport(models.Model):
    """One upload of a 12345/Excel work-order file and its row-by-row result."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    skipped_count = models.PositiveIntegerField(_("已存在跳过"), default=0)
    # [{"line": 3, "field": "联系电话", "message": "…", "level": "error" | "skipped"}]
    report = models.JSONField(_("逐行报告"), default=list, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工单导入")
        verbose_name_plural = _("工单导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
