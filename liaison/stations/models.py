"""Liaison stations (联络站 / 代表之家 / 联络点), their pop-up appearances and assessments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.common.models import TimeStampedModel


class StationKind(models.TextChoices):
    FIXED = "fixed", _("固定站点")
    MOBILE = "mobile", _("流动站点")
    MARKET = "market", _("集市站点")
    THEMATIC = "thematic", _("专题站点")
    ONLINE = "online", _("网上站点")


POP_UP_KINDS = frozenset({StationKind.MOBILE, StationKind.MARKET})


class StationStatus(models.TextChoices):
    ACTIVE = "active", _("运行中")
    SUSPENDED = "suspended", _("暂停")
    CLOSED = "closed", _("已撤销")


class AssessmentResult(models.TextChoices):
    EXCELLENT = "excellent", _("示范")
    PASSED = "passed", _("达标")
    BASIC = "basic", _("基本达标")
    FAILED = "failed", _("未达标")


class Station(TimeStampedModel):
    code = models.CharField(_("站点码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=StationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/CODE/CODE/": the chain of public codes from the root; a station scope is a prefix of it.
    path = models.CharField(max_length=255, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    introduction = models.TextField(_("简介"), blank=True)
    theme = models.CharField(_("专题"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=StationStatus.choices, default=StationStatus.ACTIVE
    )
    # Why the station is paused or closed, told to whoever scans its code; empty while active.
    status_reason = models.CharField(_("停用原因"), max_length=300, blank=True)
    # Latest assessment, kept on the row so the directory can filter without a subquery.
    assessment_result = models.CharField(
        _("评估结果"), max_length=10, choices=AssessmentResult.choices, blank=True
    )
    assessment_score = models.DecimalField(
        _("评估得分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    assessed_on = models.DateField(_("评估日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("联络站")
        verbose_name_plural = _("联络站")
        ordering = ["region_id", "name"]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["status", "region"]),
            models.Index(fields=["name"]),
            models.Index(fields=["assessment_result", "region"]),
            models.Index(fields=["kind", "region"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status == StationStatus.ACTIVE

    @property
    def is_pop_up(self) -> bool:
        return self.kind in POP_UP_KINDS


class StationAppearance(models.Model):
    """A dated appearance of a mobile or market station (when and where the pop-up stands)."""

    station = models.ForeignKey(
        Station, verbose_name=_("站点"), on_delete=models.CASCADE, related_name="appearances"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("站点出摊安排")
        verbose_name_plural = _("站点出摊安排")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["station", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="appearance_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.place}"


class StationAssessment(models.Model):
    """One assessment of a station against its jurisdiction's checklist (七有 by default).

    `items` keeps a snapshot of the checklist as it was: [{key, name, max_score, score, note}],
    so later changes to the checklist do not rewrite history.
    """

    station = models.ForeignKey(
        Station, verbose_name=_("站点"), on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField(_("评估日期"))
    assessor = models.ForeignKey(
        "accounts.User", verbose_name=_("评估人"), on_delete=models.PROTECT, related_name="+"
    )
    items = models.JSONField(_("评估项"), default=list)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    result = models.CharField(_("结果"), max_length=10, choices=AssessmentResult.choices)
    note = models.TextField(_("评估意见"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("站点评估")
        verbose_name_plural = _("站点评估")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.station} · {self.assessed_on}"


class AssessmentPhoto(models.Model):
    assessment = models.ForeignKey(
        StationAssessment, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("佐证照片"), upload_to="assessments/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("评估佐证照片")
        verbose_name_plural = _("评估佐证照片")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


class ScanCount(models.Model):
    """QR scans per public code (station or deputy) per day."""

    code = models.CharField(max_length=12)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("扫码统计")
        verbose_name_plural = _("扫码统计")
        constraints = [models.UniqueConstraint(fields=["code", "day"], name="scan_count_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.day}: {self.count}"


def build_path(parent: Station | None, code: str) -> str:
    """The materialized path of a station with `code` under `parent`."""
    return (parent.path if parent else "/") + code + "/"
