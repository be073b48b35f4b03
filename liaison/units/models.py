"""Handling units (承办单位) and the routing rules that suggest them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.common.models import TimeStampedModel


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("政府部门")
    TOWNSHIP = "township", _("乡镇（街道）")
    ENTERPRISE = "enterprise", _("企事业单位")
    OTHER = "other", _("其他")


class HandlingUnit(TimeStampedModel):
    """A government department or office that must answer cases assigned to it."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=UnitKind.choices)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["region_id", "name"]
        indexes = [models.Index(fields=["region", "is_active"])]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Region + category → default handling unit. The most specific matching rule wins."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "taxonomy.Category",
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("为空表示该辖区内所有分类"),
    )
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("承办单位"), on_delete=models.CASCADE, related_name="rules"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("分派规则")
        verbose_name_plural = _("分派规则")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "category"], name="routing_rule_unique_region_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.category or '全部'} → {self.unit}"
