"""Staff category decisions recorded next to the classifier's hint."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.cases.models.case import Case
from liaison.taxonomy.models import Category

# --- classifier feedback ----------------------------------------------------------------------


class ClassificationFeedback(models.Model):
    """A staff category decision next to what the classifier had hinted. Never updated.

    One row per decision (`case_set_category`); the metrics and `train_classifier --from-cases`
    use the latest row of each case. Labels are first-level names, the classifier's vocabulary.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="classification_feedback")
    # The case's region at the time, so jurisdiction filters need no join (see regions.models).
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    predicted_label = models.CharField(_("系统建议"), max_length=50, blank=True)  # "" = none
    confidence = models.FloatField(_("置信度"), null=True, blank=True)
    needs_review = models.BooleanField(_("低置信度"), default=False)
    model_version = models.CharField(_("模型版本"), max_length=64, blank=True)
    chosen_category = models.ForeignKey(
        Category,
        verbose_name=_("确认分类"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chosen_label = models.CharField(_("确认一级分类"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("分类反馈")
        verbose_name_plural = _("分类反馈")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "at"]),
            models.Index(fields=["region", "at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.predicted_label or '—'} → {self.chosen_label}"

    @property
    def agrees(self) -> bool:
        return bool(self.predicted_label) and self.predicted_label == self.chosen_label
