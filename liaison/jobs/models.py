"""A file built in the task worker for one person (an export too heavy for a request).

The kinds of file are registered by the apps that own the data (`registry.job_kind_register`):
this app knows how to queue, run, show, expire and serve a job, never what is in it (decision
0044)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportJob(models.Model):
    # A registered kind, e.g. "grids.register" (registry.py).
    kind = models.CharField(_("类型"), max_length=40)
    # What the kind's builder needs (filters, year, …): plain JSON, read back by the builder.
    params = models.JSONField(_("参数"), default=dict)
    title = models.CharField(_("名称"), max_length=200)
    # The region the export is about (audit rows name it); blank: the requester's whole scope.
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING)
    # 0–100, written by the builder as it goes (the page shows it).
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="exports/jobs/", blank=True)
    filename = models.CharField(max_length=200, blank=True)  # the name the download gets
    row_count = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台导出")
        verbose_name_plural = _("后台导出")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="exportjob_owner"),
            models.Index(fields=["status", "finished_at"], name="exportjob_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_waiting(self) -> bool:
        return self.status in (JobStatus.PENDING, JobStatus.RUNNING)
