"""Stored analyses of cases: the reply quality assessment of each reply (答复质量).

Kept in the insights app (not in `cases`) so that the case model and its migrations stay the loop's
own; the rows are derived data and can be dropped and rebuilt at any time.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Case


class ReplyScore(models.Model):
    """The assessment of a case's reply (liaison.insights.reply_quality), stored once.

    `reply_digest` fingerprints what the score was computed from (engine version, the
    `reply_late_working_days` setting, the reply text and its dates): when it no longer matches
    the case (a new reply after 重办, a new setting, new rules) the score is redone.
    """

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="reply_score"
    )
    score = models.PositiveSmallIntegerField(_("答复质量得分"))
    # Comma-separated flag codes (reply_quality.FLAG_*), "" when none.
    flags = models.CharField(_("问题标记"), max_length=64, blank=True)
    relevance = models.FloatField(_("相关度"))
    substance_chars = models.PositiveIntegerField(default=0)
    working_days = models.IntegerField(null=True, blank=True)
    reply_digest = models.CharField(max_length=40)
    assessed_at = models.DateTimeField(_("评估时间"))

    class Meta:
        verbose_name = _("答复质量评估")
        verbose_name_plural = _("答复质量评估")

    def __str__(self) -> str:
        return f"{self.case_id} · {self.score}"

    @property
    def flag_list(self) -> tuple[str, ...]:
        return tuple(f for f in self.flags.split(",") if f)
