"""The security administrator's powers: lockouts and second factors."""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.models import Role, User
from liaison.accounts.scoping import has_role
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record


def _ensure_security_admin(actor: User) -> None:
    if not has_role(actor, [Role.SECURITY_ADMIN]):
        raise PermissionDenied(_("只有安全管理员可以执行此操作。"))


def locked_attempts() -> QuerySet[AccessAttempt]:
    """Recorded failed logins, newest first (axes keeps one row per user name)."""
    return AccessAttempt.objects.order_by("-attempt_time")


def account_unlock(*, actor: User, username: str) -> int:
    """Clear failed logins for `username`; returns how many records were cleared."""
    _ensure_security_admin(actor)
    with transaction.atomic():
        count = reset(username=username)
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY,
            object_type="accounts.user",
            object_id=username,
            object_label=username,
            note=_("解除登录锁定"),
        )
    return count


def second_factor_reset(*, actor: User, user: User) -> None:
    """Remove the user's TOTP devices; they enrol again at their next login."""
    _ensure_security_admin(actor)
    if user.pk == actor.pk:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("不能重置自己的动态验证码。"))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(actor=actor, action=AuditAction.SECURITY, obj=user, note=_("重置动态验证码"))
