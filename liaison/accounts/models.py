"""Staff accounts and their roles within a jurisdiction (Membership)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DEPUTY = "deputy", _("代表")
    LIAISON_OFFICER = "liaison_officer", _("联络员")
    STATION_HEAD = "station_head", _("站长")
    CONGRESS_STAFF = "congress_staff", _("人大工作人员")
    HANDLING_UNIT = "handling_unit", _("承办单位")
    # The three separated administrative powers (三权分立, 等保三级).
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDITOR = "auditor", _("审计员")


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """A role held by a user over a region subtree, a station (and its sub-stations) or a unit.

    Stations and handling units sit above accounts in the layers, so a membership names them by
    value, not by foreign key (decision 0024): the station's materialized path (its scope is the
    subtree under it) or the unit's id, with the region either lies in and its name for display.
    The stations and units services keep these copies true when a station moves or is renamed,
    or a unit changes region or name (`membership_targets_sync`).
    """

    class Kind(models.TextChoices):
        REGION = "region", _("辖区")
        STATION = "station", _("联络站")
        UNIT = "unit", _("承办单位")

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    kind = models.CharField(_("范围类型"), max_length=10, choices=Kind.choices)
    # The region subtree of a region scope; for a station or a unit, the region it lies in.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+"
    )
    station_path = models.CharField(_("联络站路径"), max_length=255, blank=True, db_index=True)
    unit_ref = models.PositiveIntegerField(_("承办单位编号"), null=True, blank=True, db_index=True)
    # The station's or unit's name, for lists and the audit trail.
    target_name = models.CharField(_("范围名称"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("授予时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("授予人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="region") & Q(station_path="") & Q(unit_ref__isnull=True))
                | (Q(kind="station") & ~Q(station_path="") & Q(unit_ref__isnull=True))
                | (Q(kind="unit") & Q(station_path="") & Q(unit_ref__isnull=False)),
                name="membership_one_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(kind="region"),
                name="membership_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "station_path"],
                condition=Q(kind="station"),
                name="membership_unique_station",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit_ref"],
                condition=Q(kind="unit"),
                name="membership_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_region_code(self) -> str:
        """The region code of the scope (a station or unit scope sits in its region)."""
        return self.region_id or ""

    @property
    def scope_label(self) -> str:
        if self.kind == self.Kind.REGION:
            return str(self.region)
        return self.target_name


class LoginThrottle(models.Model):
    """Failed logins counted for one key, with the pause they earned (accounts/lockout.py).

    Three kinds of key, so that nobody can lock a victim out from elsewhere: a user name from one
    address (tight), one address across all names (stops spraying), one user name across all
    addresses (slows distributed guessing). A pair row also remembers the last successful login
    from its address, which makes that address "known" for the user.
    """

    class Kind(models.TextChoices):
        PAIR = "pair", _("用户名 + 地址")
        ADDRESS = "address", _("地址")
        USERNAME = "username", _("用户名")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    # Lower-cased and normalized as typed (it may name nobody); empty on address rows.
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    # Empty on user-name rows.
    address = models.CharField(_("地址"), max_length=45, blank=True)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败"), null=True, blank=True)
    blocked_until = models.DateTimeField(_("暂停至"), null=True, blank=True)
    succeeded_at = models.DateTimeField(_("最近成功登录"), null=True, blank=True)
    # When the row no longer matters (failures forgotten, pause over, address no longer known).
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)

    class Meta:
        verbose_name = _("登录失败计数")
        verbose_name_plural = _("登录失败计数")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "username", "address"], name="login_throttle_unique_key"
            )
        ]
        indexes = [models.Index(fields=["username"], name="login_throttle_username")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.address}".strip()


class EnrolmentCode(models.Model):
    """A one-time code from the security administrator that lets a user bind an authenticator.

    Only a keyed hash is stored; the code itself is shown once, to the security administrator.
    """

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    code_hash = models.CharField(_("绑定码摘要"), max_length=64)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("动态验证码绑定码")
        verbose_name_plural = _("动态验证码绑定码")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
