"""The category tree (意见分类): a jurisdiction's three levels, or the national default.

Cases, routing rules, the classifier's suggestions and the reports all name a node of it; it
sits below them all and knows none of them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A node of a jurisdiction's category tree (three levels); region null = national default."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("辖区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("名称"), max_length=50)
    level = models.PositiveSmallIntegerField(_("层级"))
    # "城乡建设/安全生产/事故处理": stable across imports, used as the natural key.
    path = models.CharField(_("路径"), max_length=200)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("意见分类")
        verbose_name_plural = _("意见分类")
        ordering = ["path"]
        # The table keeps the name it had when the tree lived in cases (decision 0014).
        db_table = "cases_category"
        constraints = [
            models.UniqueConstraint(fields=["region", "path"], name="category_unique_path"),
            models.UniqueConstraint(
                fields=["path"], condition=Q(region__isnull=True), name="category_unique_national"
            ),
        ]

    def __str__(self) -> str:
        return self.path.replace("/", " / ")

    @property
    def top_name(self) -> str:
        return self.path.split("/", 1)[0]
