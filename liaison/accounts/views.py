"""Staff login (password, then TOTP), the workbench home, memberships and security pages."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts import security, selectors, services
from liaison.accounts.decorators import needs_second_factor, staff_required
from liaison.accounts.forms import (
    LoginForm,
    MembershipGrantForm,
    OTPForm,
    UnlockForm,
    UserCreateForm,
)
from liaison.accounts.models import Role, User
from liaison.accounts.scoping import roles_of, scope_for
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.paging import paginate

OTP_MAX_FAILURES = 5
_MANAGERS = (Role.CONGRESS_STAFF, Role.SYSTEM_ADMIN, Role.STATION_HEAD, Role.SECURITY_ADMIN)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user)
        audit_record(actor=user, action=AuditAction.LOGIN, obj=user, note=_("密码验证通过"))
        request.session["otp_failures"] = 0
        request.session["after_login"] = _next_url(request)
        if needs_second_factor(user):
            return redirect("accounts:otp")
        return redirect(request.session.pop("after_login"))
    return render(
        request, "registration/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


def otp_view(request: HttpRequest) -> HttpResponse:
    """Second step: a TOTP code, or enrolment for users without a device."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if not user_has_device(user, confirmed=True):
        return redirect("accounts:otp_setup")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            audit_record(actor=user, action=AuditAction.LOGIN, obj=user, note=_("动态验证码通过"))
            return redirect(request.session.pop("after_login", settings.LOGIN_REDIRECT_URL))
        failures = request.session.get("otp_failures", 0) + 1
        request.session["otp_failures"] = failures
        audit_record(
            actor=user, action=AuditAction.LOGIN_FAILED, obj=user, note=_("动态验证码错误")
        )
        if failures >= OTP_MAX_FAILURES:
            logout(request)
            messages.error(request, _("动态验证码连续错误次数过多，请重新登录。"))
            return redirect("accounts:login")
        form.add_error("token", _("动态验证码错误或已过期，请重试。"))
    return render(request, "registration/otp.html", {"form": form})


def otp_setup_view(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: show the QR code and confirm with a first code."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user_has_device(user, confirmed=True):
        return redirect("accounts:otp")
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "default"}
    )
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(
                actor=user, action=AuditAction.SECURITY, obj=user, note=_("绑定动态验证码")
            )
            messages.success(request, _("动态验证码已绑定。"))
            return redirect(request.session.pop("after_login", settings.LOGIN_REDIRECT_URL))
        form.add_error("token", _("验证码不正确，请确认手机时间准确后重试。"))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request, "registration/otp_setup.html", {"form": form, "qr": qr, "secret": secret}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(actor=request.user, action=AuditAction.LOGOUT, obj=request.user)
    logout(request)
    messages.success(request, _("已安全退出。"))
    return redirect("accounts:login")


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    from liaison.common.dashboard import dashboard_for

    return render(request, "staff/accounts/home.html", {"cards": dashboard_for(request.user)})


@staff_required(_MANAGERS)
def memberships(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    qs = selectors.memberships_visible_to(user)
    role = request.GET.get("role", "")
    if role in Role.values:
        qs = qs.filter(role=role)
    text = request.GET.get("q", "").strip()
    if text:
        qs = qs.filter(Q(user__username__icontains=text) | Q(user__display_name__icontains=text))
    grant_form = MembershipGrantForm()
    grant_form.fields["role"].choices = selectors.manageable_roles(user)  # type: ignore[attr-defined]
    return render(
        request,
        "staff/accounts/memberships.html",
        {
            **paginate(request, qs),
            "grant_form": grant_form,
            "user_form": UserCreateForm() if roles_of(user) & {Role.SYSTEM_ADMIN} else None,
            "roles": Role.choices,
            "filters": {"role": role, "q": text},
        },
    )


@staff_required(_MANAGERS)
@require_POST
def membership_grant(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = MembershipGrantForm(request.POST)
    form.fields["role"].choices = selectors.manageable_roles(user)  # type: ignore[attr-defined]
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("accounts:memberships")
    try:
        services.membership_grant(
            actor=user,
            user=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
            region=form.cleaned_data["region"],
            station=form.cleaned_data["station"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("授权成功。"))
    return redirect("accounts:memberships")


@staff_required(_MANAGERS)
@require_POST
def membership_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(request.user, pk)  # type: ignore[arg-type]
    try:
        services.membership_revoke(actor=request.user, membership=membership)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已撤销授权。"))
    return redirect("accounts:memberships")


@staff_required([Role.SYSTEM_ADMIN])
@require_POST
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}：{error}" if label else str(error))
        return redirect("accounts:memberships")
    try:
        services.user_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("账号已创建，请为其授予角色。"))
    return redirect("accounts:memberships")


@staff_required([Role.SECURITY_ADMIN])
def security_page(request: HttpRequest) -> HttpResponse:
    attempts = security.locked_attempts()
    scope = scope_for(request.user, [Role.SECURITY_ADMIN])
    devices = TOTPDevice.objects.select_related("user").order_by("user__username")
    return render(
        request,
        "staff/accounts/security.html",
        {
            **paginate(request, attempts),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "devices": devices[:200],
            "scope": scope,
            "unlock_form": UnlockForm(),
        },
    )


@staff_required([Role.SECURITY_ADMIN])
@require_POST
def security_unlock(request: HttpRequest) -> HttpResponse:
    form = UnlockForm(request.POST)
    if form.is_valid():
        count = security.account_unlock(actor=request.user, username=form.cleaned_data["username"])  # type: ignore[arg-type]
        messages.success(request, _("已解除锁定（清除 %(n)d 条失败记录）。") % {"n": count})
    else:
        messages.error(request, _("请填写用户名。"))
    return redirect("accounts:security")


@staff_required([Role.SECURITY_ADMIN])
@require_POST
def security_reset_otp(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    target = get_object_or_404(User, pk=pk)
    try:
        security.second_factor_reset(actor=request.user, user=target)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已重置 %(u)s 的动态验证码。") % {"u": target})
    return redirect("accounts:security")


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    return str(exc) or _("无权执行此操作。")
