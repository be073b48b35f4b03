"""Staff login (password, then TOTP), password change, the workbench home, memberships and
security pages."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts import enrolment, lockout, passwords, security, selectors, services
from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.accounts.decorators import AuthedHttpRequest, needs_second_factor, staff_required
from liaison.accounts.forms import (
    EnrolmentCodeForm,
    EnrolmentIssueForm,
    LoginForm,
    MembershipGrantForm,
    OTPForm,
    PasswordChangeForm,
    UnlockForm,
    UserCreateForm,
)
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.paging import paginate
from liaison.common.qr import qr_svg
from liaison.common.ratelimit import client_ip

OTP_MAX_FAILURES = 5


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def login_view(request: HttpRequest) -> HttpResponse:
    """Password step. Pauses earned by failures are checked before the password is hashed."""
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        address = client_ip(request)
        typed = request.POST.get("username", "")
        refusal = lockout.login_refusal(username=typed, address=address)
        if refusal is None and form.is_valid():
            user = form.get_user()
            lockout.login_success_record(username=user.get_username(), address=address)
            login(request, user)
            audit_record(actor=user, action=AuditAction.LOGIN, obj=user, note=_("密码验证通过"))
            request.session["otp_failures"] = 0
            request.session["after_login"] = _next_url(request)
            if needs_second_factor(user):
                return redirect("accounts:otp")
            return redirect(request.session.pop("after_login"))
        if refusal is None and form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            refusal = lockout.login_failure_record(username=typed, address=address)
        if refusal is not None:
            return render(request, "registration/locked.html", {"refusal": refusal}, status=429)
    context = {
        "form": form,
        "next": request.GET.get("next", ""),
        # The page says what this installation asks: the demo relaxes the second factor.
        "require_2fa": settings.REQUIRE_2FA,
    }
    return render(request, "registration/login.html", context)


def _too_many_failures(request: HttpRequest, key: str) -> bool:
    """Count a wrong code in this session; True (and the session ended) at OTP_MAX_FAILURES."""
    failures = request.session.get(key, 0) + 1
    request.session[key] = failures
    if failures < OTP_MAX_FAILURES:
        return False
    logout(request)
    messages.error(request, _("验证码连续错误次数过多，请重新登录。"))
    return True


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
        audit_record(
            actor=user, action=AuditAction.LOGIN_FAILED, obj=user, note=_("动态验证码错误")
        )
        if _too_many_failures(request, "otp_failures"):
            return redirect("accounts:login")
        form.add_error("token", _("动态验证码错误或已过期，请重试。"))
    return render(request, "registration/otp.html", {"form": form})


ENROL_SECRET_KEY = "otp_enrol_secret"


def otp_setup_view(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: first the security administrator's one-time code, then the QR code
    and a first TOTP code. The pending secret stays in the session; no request creates a device
    before that first code confirms it."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user_has_device(user, confirmed=True):
        return redirect("accounts:otp")
    secret = request.session.get(ENROL_SECRET_KEY)
    if secret is None:
        code_form = EnrolmentCodeForm(request.POST or None)
        if request.method == "POST" and code_form.is_valid():
            if enrolment.enrolment_code_redeem(user=user, code=code_form.cleaned_data["code"]):
                request.session[ENROL_SECRET_KEY] = enrolment.new_secret()
                request.session["enrol_failures"] = 0
                return redirect("accounts:otp_setup")
            audit_record(
                actor=user, action=AuditAction.LOGIN_FAILED, obj=user, note=_("绑定码错误")
            )
            if _too_many_failures(request, "enrol_failures"):
                return redirect("accounts:login")
            code_form.add_error(
                "code", _("绑定码不正确、已使用或已过期，请联系安全管理员重新签发。")
            )
        return render(request, "registration/otp_setup.html", {"code_form": code_form})
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = enrolment.second_factor_enrol(
            user=user, secret=secret, token=form.cleaned_data["token"]
        )
        if device is not None:
            request.session.pop(ENROL_SECRET_KEY, None)
            otp_login(request, device)
            messages.success(request, _("动态验证码已绑定。"))
            return redirect(request.session.pop("after_login", settings.LOGIN_REDIRECT_URL))
        if _too_many_failures(request, "enrol_failures"):
            return redirect("accounts:login")
        form.add_error("token", _("验证码不正确，请确认手机时间准确后重试。"))
    device = enrolment.unsaved_device(user=user, secret=secret)
    qr = qr_svg(device.config_url, scale=4, border=4)
    shown_secret = base64.b32encode(device.bin_key).decode()
    return render(
        request, "registration/otp_setup.html", {"form": form, "qr": qr, "secret": shown_secret}
    )


@staff_required()
def password_change_view(request: AuthedHttpRequest) -> HttpResponse:
    """Change one's own password; the other sessions of the account end."""
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                passwords.password_change(
                    actor=user, new_password=form.cleaned_data["new_password"]
                )
            except ValidationError as exc:
                form.add_error("new_password", exc)
            else:
                update_session_auth_hash(request, user)
                request.session["password_failures"] = 0
                messages.success(request, _("密码已修改，其他设备上的登录已退出。"))
                return redirect("workbench:home")
        elif form.has_error("current_password", "wrong_password"):
            audit_record(
                actor=user,
                action=AuditAction.LOGIN_FAILED,
                obj=user,
                note=_("修改密码时当前密码错误"),
            )
            # A stolen session must not become a way to guess the password.
            if _too_many_failures(request, "password_failures"):
                return redirect("accounts:login")
    return render(request, "staff/accounts/password_change.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(actor=request.user, action=AuditAction.LOGOUT, obj=request.user)
    logout(request)
    messages.success(request, _("已安全退出。"))
    return redirect("accounts:login")


@staff_required(Capability.GRANT_ROLES)
def memberships(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    qs = selectors.memberships_visible_to(user)
    role = request.GET.get("role", "")
    if role in Role.values:
        qs = qs.filter(role=role)
    text = request.GET.get("q", "").strip()
    if text:
        qs = qs.filter(Q(user__username__icontains=text) | Q(user__display_name__icontains=text))
    grant_form = MembershipGrantForm(roles=selectors.manageable_roles(user), actor=user)
    page = paginate(request, qs)
    # Revoke is offered where the service would allow it, asked through the same rule.
    revocable = {
        m.pk
        for m in page["page_obj"].object_list
        if m.user_id != user.pk and services.can_revoke(actor=user, membership=m)
    }
    return render(
        request,
        "staff/accounts/memberships.html",
        {
            **page,
            "revocable": revocable,
            "grant_form": grant_form,
            "user_form": UserCreateForm()
            if has_capability(user, Capability.CREATE_USERS)
            else None,
            "roles": Role.choices,
            "filters": {"role": role, "q": text},
        },
    )


@staff_required(Capability.GRANT_ROLES)
@require_POST
def membership_grant(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = MembershipGrantForm(request.POST, roles=selectors.manageable_roles(user), actor=user)
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
            unit=form.cleaned_data["unit"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("授权成功。"))
    return redirect("accounts:memberships")


@staff_required(Capability.GRANT_ROLES)
@require_POST
def membership_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(request.user, pk)
    try:
        services.membership_revoke(actor=request.user, membership=membership)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已撤销授权。"))
    return redirect("accounts:memberships")


@staff_required(Capability.CREATE_USERS)
@require_POST
def user_create(request: AuthedHttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}：{error}" if label else str(error))
        return redirect("accounts:memberships")
    try:
        services.user_create(actor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("账号已创建，请为其授予角色。"))
    return redirect("accounts:memberships")


def _security_page(
    request: AuthedHttpRequest, *, issued: dict[str, Any] | None = None
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "staff/accounts/security.html",
        {
            **paginate(request, security.login_pauses_visible_to(user)),
            "free_failures": settings.LOGIN_PAIR_FREE_FAILURES,
            "now": timezone.now(),
            "devices": security.devices_visible_to(user)[:200],
            "scope": capability_scope(user, Capability.MANAGE_SECURITY),
            "unlock_form": UnlockForm(),
            "issue_form": EnrolmentIssueForm(),
            "issued": issued,
            "code_hours": settings.OTP_ENROLMENT_CODE_HOURS,
        },
    )


@staff_required(Capability.MANAGE_SECURITY)
def security_page(request: AuthedHttpRequest) -> HttpResponse:
    return _security_page(request)


@staff_required(Capability.MANAGE_SECURITY)
@require_POST
def security_unlock(request: AuthedHttpRequest) -> HttpResponse:
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写用户名。"))
        return redirect("accounts:security")
    actor = request.user
    target = security.user_get_for_security_admin(actor, username=form.cleaned_data["username"])
    count = security.account_unlock(actor=actor, user=target)
    messages.success(request, _("已解除登录暂停（清除 %(n)d 条失败记录）。") % {"n": count})
    return redirect("accounts:security")


@staff_required(Capability.MANAGE_SECURITY)
@require_POST
def security_reset_otp(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    target = security.user_get_for_security_admin(actor, pk=pk)
    try:
        code = security.second_factor_reset(actor=actor, user=target)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
        return redirect("accounts:security")
    # The code is shown in this response only: never in a redirect, message or log.
    return _security_page(request, issued={"user": target, "code": code, "reset": True})


@staff_required(Capability.MANAGE_SECURITY)
@require_POST
def security_issue_code(request: AuthedHttpRequest) -> HttpResponse:
    actor = request.user
    form = EnrolmentIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写要签发绑定码的用户名。"))
        return redirect("accounts:security")
    target = security.user_get_for_security_admin(actor, username=form.cleaned_data["username"])
    try:
        code = security.enrolment_code_issue(actor=actor, user=target)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
        return redirect("accounts:security")
    return _security_page(request, issued={"user": target, "code": code, "reset": False})


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    return str(exc) or _("无权执行此操作。")
