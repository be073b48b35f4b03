"""Append-only audit trail: every write and every staff view of private data.

There is no update or delete path (the append-only base, liaison/common/append_only.py): the
queryset refuses both, saving an existing row raises, and triggers reject UPDATE and DELETE at the
database (and TRUNCATE on PostgreSQL; migrations 0002 and 0003, liaison/audit/triggers.py). Each
event is a link of a hash chain (liaison/audit/chain.py), so a change made past the triggers is
found by `manage.py verify_audit`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.common.append_only import AppendOnlyError, AppendOnlyModel

__all__ = ["AppendOnlyError", "AuditAction", "AuditEvent"]


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    VIEW_PRIVATE = "view_private", _("查看个人信息")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    SECURITY = "security", _("安全操作")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")


class AuditEvent(AppendOnlyModel):
    append_only_name = "audit_event"
    append_only_message = "audit events are append-only"

    # Position in the hash chain: given out under the append lock, one more than the last event.
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    # Set by `audit_record` (not auto_now_add) because the time is part of the event's hash.
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        # Rows are never touched again, not even to null a removed account.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    # Kept as text too, so the trail still reads right after an account is removed.
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=50, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=50, blank=True)
    object_label = models.CharField(_("对象"), max_length=200, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    prev_hash = models.CharField(_("前一事件摘要"), max_length=64)
    hash = models.CharField(_("事件摘要"), max_length=64)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"
