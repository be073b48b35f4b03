from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.accounts.capabilities import GRANTABLE
from liaison.accounts.models import Membership, Role, User
from liaison.accounts.scoping import scope_for
from liaison.accounts.targets import target_queryset
from liaison.common.text import SafeTextFormMixin
from liaison.regions.importing import normalize_code
from liaison.regions.models import Region


class LoginForm(SafeTextFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。多次失败后须等待一段时间才能再试。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }


class EnrolmentCodeForm(SafeTextFormMixin, forms.Form):
    code = forms.CharField(
        label=_("绑定码"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
        help_text=_("由安全管理员签发的一次性绑定码，形如 ABCD-EFGH-JKMN。"),
        error_messages={"required": _("请输入安全管理员签发的绑定码。")},
    )


class PasswordChangeForm(SafeTextFormMixin, forms.Form):
    """Current password, then the new one twice; the new one must meet the password policy."""

    current_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": _("请输入当前密码。")},
    )
    new_password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("请输入新密码。")},
    )
    new_password_again = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("请再次输入新密码。")},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        current: str = self.cleaned_data["current_password"]
        if not self.user.check_password(current):
            raise ValidationError(_("当前密码不正确。"), code="wrong_password")
        return current

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new, again = data.get("new_password"), data.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", _("两次输入的新密码不一致。"))
        elif new and new == data.get("current_password"):
            self.add_error("new_password", _("新密码不能与当前密码相同。"))
        elif new:
            try:
                validate_password(new, self.user)
            except ValidationError as exc:
                self.add_error("new_password", exc)
        return data


class OTPForm(SafeTextFormMixin, forms.Form):
    token = forms.CharField(
        label=_("动态验证码"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={
            "required": _("请输入 6 位动态验证码。"),
            "min_length": _("动态验证码为 6 位数字。"),
            "max_length": _("动态验证码为 6 位数字。"),
        },
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise ValidationError(_("动态验证码为 6 位数字。"))
        return token


class UserCreateForm(SafeTextFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.@-]{3,40}$",
        error_messages={"invalid": _("用户名为 3–40 位字母、数字或 _ . @ -。")},
    )
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.RegexField(
        label=_("手机号"),
        regex=r"^1[3-9]\d{9}$",
        required=False,
        error_messages={"invalid": _("请输入 11 位手机号。")},
    )
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("用户名已存在。"))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("username"):
            try:
                validate_password(data["password"], User(username=data["username"]))
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class MembershipGrantForm(SafeTextFormMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    region = forms.CharField(
        label=_("辖区区划代码"), required=False, help_text=_("12 位或简写区划代码，如 430104")
    )
    station = forms.CharField(label=_("联络站站点码"), required=False)
    unit = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=Membership.objects.none(),  # replaced in __init__
        required=False,
        empty_label=_("（承办单位人员才选）"),
        help_text=_("授予“承办单位人员”时选择，不填辖区和联络站"),
        error_messages={"invalid_choice": _("请选择您辖区内的承办单位。")},
    )

    def __init__(
        self,
        *args: Any,
        roles: list[tuple[str, Any]] | None = None,
        actor: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if roles is not None:
            role_field = self.fields["role"]
            assert isinstance(role_field, forms.ChoiceField)
            role_field.choices = roles
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = grantable_units(actor)

    def clean_username(self) -> User:
        try:
            return User.objects.get(username=self.cleaned_data["username"].strip())
        except User.DoesNotExist as exc:
            raise ValidationError(_("用户不存在。")) from exc

    def clean_region(self) -> Region | None:
        raw = self.cleaned_data.get("region", "").strip()
        if not raw:
            return None

        code = normalize_code(raw)
        region = Region.objects.filter(code=code).first() if code else None
        if region is None:
            raise ValidationError(_("区划代码不存在：%(c)s") % {"c": raw})
        return region

    def clean_station(self) -> Any:
        raw = self.cleaned_data.get("station", "").strip().upper()
        if not raw:
            return None
        station = target_queryset("station").filter(code=raw).first()
        if station is None:
            raise ValidationError(_("站点码不存在：%(c)s") % {"c": raw})
        return station

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        region, station, unit = data.get("region"), data.get("station"), data.get("unit")
        if data.get("role") == Role.HANDLING_UNIT:
            # Unit staff work on their unit's cases: the unit is their scope, nothing else.
            if unit is None:
                raise ValidationError(_("授予承办单位人员时，请选择承办单位。"))
            if region or station:
                raise ValidationError(_("承办单位人员只需选择承办单位，请清空辖区和联络站。"))
            return data
        if unit is not None:
            raise ValidationError(_("只有承办单位人员需要选择承办单位，请清空承办单位。"))
        if bool(region) == bool(station):
            raise ValidationError(_("请填写辖区或联络站其中之一。"))
        return data


def grantable_units(actor: User | None) -> QuerySet[Any]:
    """Active handling units whose staff `actor` may appoint: units in their granting scope.

    The same rule as `services.can_grant` for a unit (the unit's region in the scope of a role
    that grants handling_unit). The units app registers its model (accounts/targets.py), so that
    this lower app imports nothing from the higher one.
    """
    units = target_queryset("unit")
    nothing: QuerySet[Any] = units.none()
    if actor is None:
        return nothing
    granters = [g for g, roles in GRANTABLE.items() if Role.HANDLING_UNIT in roles]
    scope = scope_for(actor, granters)
    if scope.is_empty:
        return nothing
    return (
        units.filter(scope.q(region_field="region_id"), is_active=True)
        .select_related("region")
        .order_by("region_id", "name")
    )


class UnlockForm(SafeTextFormMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)


class EnrolmentIssueForm(SafeTextFormMixin, forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        error_messages={"required": _("请填写要签发绑定码的用户名。")},
    )
