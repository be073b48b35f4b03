"""Django admin is for system administrators only (三权分立: not auditors, not security admins)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from liaison.accounts.decorators import needs_second_factor
from liaison.accounts.models import Role
from liaison.accounts.scoping import has_role


def _has_permission(request: HttpRequest) -> bool:
    user: Any = request.user
    if not (user.is_active and user.is_authenticated) or needs_second_factor(user):
        return False
    return has_role(user, [Role.SYSTEM_ADMIN])


def _login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    # One login for everyone: the staff login with its second factor and lockout.
    return redirect_to_login(request.GET.get("next", "/admin/"), login_url="/staff/login/")


def restrict_admin_to_system_admins(site: AdminSite) -> None:
    site.has_permission = _has_permission  # type: ignore[method-assign]
    site.login = _login  # type: ignore[method-assign]
    site.site_header = "人大代表联络站智慧平台 · 系统管理"
    site.site_title = "系统管理"
    site.index_title = "系统管理"
