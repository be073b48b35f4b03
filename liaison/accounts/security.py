"""The security administrator's powers: login pauses and second factors, within a jurisdiction.

A security administrator acts only on users who hold a membership inside the administrator's
own scope (a county's administrator never sees or resets another county's accounts).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts import enrolment, lockout
from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import LoginThrottle, Membership, User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record


def users_under_security_admin(actor: User) -> QuerySet[User]:
    """Users holding a membership inside the actor's security-administrator scope."""
    scope = capability_scope(actor, Capability.MANAGE_SECURITY)
    if scope.is_empty:
        return User.objects.none()
    # A membership sits in the region it names (for a station or a unit: the region it lies in).
    inside = Membership.objects.filter(
        scope.q(region_field="region_id", station_path_field="station_path")
    )
    return User.objects.filter(pk__in=inside.values("user_id"))


def user_get_for_security_admin(actor: User, *, pk: int | None = None, username: str = "") -> User:
    """One user inside the actor's scope, by id or user name; 404 otherwise."""
    users = users_under_security_admin(actor)
    user = (
        users.filter(pk=pk).first() if pk is not None else users.filter(username=username).first()
    )
    if user is None:
        raise Http404(_("用户不存在或不在您的辖区内。"))
    return user


def _ensure_in_scope(actor: User, user: User) -> None:
    if not users_under_security_admin(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("该用户不在您的辖区内。"))


def login_pauses_visible_to(actor: User) -> QuerySet[LoginThrottle]:
    """Failure counters of the user names in the actor's scope, newest first.

    Counters of one address over all names belong to no user and are not listed; they end by
    themselves (docs/security.md).
    """
    names = users_under_security_admin(actor).annotate(key=Lower("username")).values("key")
    return LoginThrottle.objects.filter(
        kind__in=[LoginThrottle.Kind.PAIR, LoginThrottle.Kind.USERNAME],
        username__in=names,
        failures__gt=0,
    ).order_by("-last_failure_at")


def devices_visible_to(actor: User) -> QuerySet[TOTPDevice]:
    """TOTP devices of the users in the actor's scope."""
    # django_otp has no type stubs: its manager is Any.
    devices: QuerySet[TOTPDevice] = (
        TOTPDevice.objects.filter(user__in=users_under_security_admin(actor))
        .select_related("user")
        .order_by("user__username")
    )
    return devices


def account_unlock(*, actor: User, user: User) -> int:
    """End the login pauses of `user` from every address; returns how many counters were cleared."""
    _ensure_in_scope(actor, user)
    with transaction.atomic():
        count = lockout.login_pauses_clear(username=user.get_username())
        audit_record(actor=actor, action=AuditAction.SECURITY, obj=user, note=_("解除登录暂停"))
    return count


def enrolment_code_issue(*, actor: User, user: User) -> str:
    """Issue a one-time code with which `user` binds an authenticator; returns the code."""
    _ensure_in_scope(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(_("不能为自己签发绑定码，请联系其他安全管理员。"))
    return enrolment.enrolment_code_issue(actor=actor, user=user)


def second_factor_reset(*, actor: User, user: User) -> str:
    """Remove the user's TOTP devices and issue a new enrolment code (returned, shown once)."""
    _ensure_in_scope(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(_("不能重置自己的动态验证码。"))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(actor=actor, action=AuditAction.SECURITY, obj=user, note=_("重置动态验证码"))
        return enrolment.enrolment_code_issue(actor=actor, user=user)
