"""Django admin is for system administrators only (三权分立: not auditors, not security admins)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.http import HttpRequest

from liaison.accounts.models import Role
from liaison.accounts.scoping import has_role


def _has_permission(request: HttpRequest) -> bool:
    user: Any = request.user
    if not (user.is_active and user.is_authenticated):
        return False
    if not user.is_verified() and _otp_required():
        return False
    return bool(user.is_superuser or has_role(user, [Role.SYSTEM_ADMIN]))


def _otp_required() -> bool:
    from django.conf import settings

    return bool(settings.REQUIRE_2FA)


def restrict_admin_to_system_admins(site: AdminSite) -> None:
    site.has_permission = _has_permission  # type: ignore[method-assign]
    site.site_header = "人大代表联络站智慧平台 · 系统管理"
    site.site_title = "系统管理"
    site.index_title = "系统管理"
    site.login_url = "/staff/login/"  # type: ignore[attr-defined]
