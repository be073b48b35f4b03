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


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """A role held by a user over a region subtree or over one station (and its sub-stations)."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    # Staff of a handling unit see the cases assigned to that unit.
    unit = models.ForeignKey(
        "units.HandlingUnit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
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
                condition=(Q(region__isnull=False) & Q(station__isnull=True) & Q(unit__isnull=True))
                | (Q(region__isnull=True) & Q(station__isnull=False) & Q(unit__isnull=True))
                | (Q(region__isnull=True) & Q(station__isnull=True) & Q(unit__isnull=False)),
                name="membership_one_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region", "station", "unit"], name="membership_unique_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_region_code(self) -> str:
        """The region code of the scope (a station scope sits in its station's region)."""
        if self.station is not None:
            return self.station.region_id
        if self.unit is not None:
            return self.unit.region_id
        return self.region_id or ""

    @property
    def scope_label(self) -> str:
        if self.station_id:
            return str(self.station)
        if self.unit_id:
            return str(self.unit)
        return str(self.region)
