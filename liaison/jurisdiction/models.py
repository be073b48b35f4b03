"""Per-region settings and working-day calendar overrides.

A region stores only what it changes; the effective value of a setting is the one of the nearest
region above (or at) it that sets it, else the national default declared in `registry.py`.
Writes go through `services.py` (validated and audited), never through `save()` directly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JurisdictionSetting(models.Model):
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    key = models.CharField(_("设置项"), max_length=64)
    # The registry decides the type; decimals are stored as strings to stay exact.
    value = models.JSONField(_("取值"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("辖区设置")
        verbose_name_plural = _("辖区设置")
        ordering = ["key", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="jurisdiction_setting_unique"),
        ]
        # Lookups are "this key for these ancestor codes": key first.
        indexes = [models.Index(fields=["key", "region"], name="jurisdiction_key_region")]

    def __str__(self) -> str:
        return f"{self.region_id} · {self.key}"


class CalendarOverride(models.Model):
    """A day that is (or is not) a working day in a region, against the national calendar.

    `region` empty means national: a year the chinese_calendar package does not know yet, or a
    correction. A region's override applies to the region and everything under it; the nearest
    one wins.
    """

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("行政区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示全国。"),
    )
    date = models.DateField(_("日期"))
    is_working_day = models.BooleanField(
        _("是否工作日"), help_text=_("勾选表示当天上班（如调休补班），不勾选表示放假。")
    )
    name = models.CharField(_("名称"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date", "region_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "date"], name="calendar_override_unique_region_date"
            ),
            # NULLs are distinct in a unique constraint: one national row per date needs its own.
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(region__isnull=True),
                name="calendar_override_unique_national_date",
            ),
        ]
        indexes = [models.Index(fields=["date", "region"], name="calendar_override_date")]

    def __str__(self) -> str:
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.date:%Y-%m-%d} {self.name or kind}"
