"""Governance grids (网格), the posts deputies hold in them (岗位), and who holds which post."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.common.models import TimeStampedModel


class Grid(TimeStampedModel):
    """A governance grid of a region, optionally run from one station. Grids do not nest
    (decision 0022): the region tree and the station tree already give the hierarchy."""

    name = models.CharField(_("网格名称"), max_length=100)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("所属联络站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grids",
    )
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # Bumped by every edit, checked under the row lock: two people editing see a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["region_id", "name", "id"]
        indexes = [
            models.Index(fields=["region", "is_active", "name"]),
            models.Index(fields=["station", "is_active"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                condition=Q(is_active=True),
                name="grid_unique_active_name",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Post(TimeStampedModel):
    """A post (岗位) in a grid: a duty of one kind that `needed` deputies hold together."""

    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="posts"
    )
    # A key of the jurisdiction setting `grid_duty_kinds` (the list varies by place).
    duty_kind = models.CharField(_("职责类型"), max_length=40)
    name = models.CharField(_("岗位名称"), max_length=100)
    description = models.TextField(_("岗位职责"), blank=True)
    needed = models.PositiveSmallIntegerField(_("所需代表数"), default=1)
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["grid_id", "name", "id"]
        indexes = [
            models.Index(fields=["grid", "is_active", "name"]),
            models.Index(fields=["duty_kind", "is_active"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "name"], condition=Q(is_active=True), name="post_unique_active_name"
            ),
            models.CheckConstraint(
                condition=Q(needed__gte=1) & Q(needed__lte=99), name="post_needed_1_99"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PostAssignment(TimeStampedModel):
    """A deputy on a post from `starts_on` to `ends_on` (both days included; open while null).

    Never deleted: ending an assignment sets `ends_on` and the reason, so the history of who held a
    post stays readable for the registers.
    """

    post = models.ForeignKey(
        Post, verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="assignments"
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("代表"),
        on_delete=models.PROTECT,
        related_name="post_assignments",
    )
    starts_on = models.DateField(_("上岗日期"))
    ends_on = models.DateField(_("离岗日期"), null=True, blank=True)
    end_reason = models.CharField(_("离岗原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("岗位代表")
        verbose_name_plural = _("岗位代表")
        ordering = ["post_id", "starts_on", "id"]
        indexes = [
            models.Index(fields=["post", "ends_on"]),
            models.Index(fields=["deputy", "ends_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="post_assignment_ends_after_start",
            ),
            # The service refuses every overlap; this catches two open ones racing past it.
            models.UniqueConstraint(
                fields=["post", "deputy"],
                condition=Q(ends_on__isnull=True),
                name="post_assignment_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} @ {self.post_id}"
