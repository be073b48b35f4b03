"""Duty points (履职积分): the append-only ledger per deputy and the totals derived from it.

Nobody edits a total (decision 0031): `PointEntry` rows are only ever added, by the ledger
service when a source becomes countable or stops counting (a reversal is a new entry) and by a
staff correction with its reason; `PointTotal` is rewritten by the same service in the same
transaction, so that rankings of 50,000 deputies read one narrow row per deputy.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.common.append_only import AppendOnlyModel
from liaison.points.rules import RuleKey


class EntryKind(models.TextChoices):
    GRANT = "grant", _("计入")  # the source became countable
    ADJUST = "adjust", _("调整")  # its points changed (a cap moved, a rule changed)
    REVERSAL = "reversal", _("冲销")  # the source no longer counts
    CORRECTION = "correction", _("人工更正")  # staff, with a reason


class PointEntry(AppendOnlyModel):
    """One line of a deputy's ledger. Never updated, never deleted (migration 0001).

    The net of the entries of one (deputy, rule, source, year, quarter) is what that source is
    worth now; the ledger service appends the difference whenever it changes."""

    append_only_name = "point_entry"
    append_only_message = "point entries are append-only"

    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=EntryKind.choices)
    rule = models.CharField(_("积分规则"), max_length=20, choices=RuleKey.choices)
    # The record the points come from, named by value: points sit below the source apps.
    source_kind = models.CharField(_("来源类型"), max_length=20)
    source_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    source_label = models.CharField(_("来源"), max_length=200, blank=True)
    occurred_on = models.DateField(_("发生日期"))
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    points = models.DecimalField(_("积分"), max_digits=7, decimal_places=1)
    reason = models.CharField(_("更正原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更正人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["deputy", "year", "quarter"], name="point_entry_period"),
            models.Index(fields=["source_kind", "source_id"], name="point_entry_source"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="point_entry_quarter"
            ),
            models.CheckConstraint(
                condition=~Q(kind="correction") | ~Q(reason=""), name="point_entry_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.rule} {self.points}"


class PointTotal(models.Model):
    """A deputy's total for a quarter (1–4) or the year (quarter 0): derived, never typed.

    `region_code` is where the deputy belongs when the total was last written (home region,
    else their station's), so a county or province ranking is one index range."""

    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))  # 0: the whole year
    points = models.DecimalField(_("积分"), max_digits=8, decimal_places=1, default=0)
    entries = models.PositiveIntegerField(_("记录数"), default=0)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("积分合计")
        verbose_name_plural = _("积分合计")
        indexes = [
            models.Index(
                fields=["year", "quarter", "region_code", "points"], name="point_total_rank"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "year", "quarter"], name="point_total_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=0, quarter__lte=4), name="point_total_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.year}Q{self.quarter} {self.points}"
