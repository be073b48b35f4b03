"""A session of a people's congress (第 n 届人民代表大会第 m 次会议): where suggestions are filed.

The session holds the receiving window (opens_on … closes_on) and the counter that numbers its
suggestions without gaps (`last_number`, read and raised under a row lock on submit).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.deputies.models import DeputyLevel


class CongressSession(models.Model):
    congress = models.ForeignKey(
        "regions.Region", verbose_name=_("人大"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("级别"), max_length=10, choices=DeputyLevel.choices)
    term = models.PositiveSmallIntegerField(_("届次"))
    session = models.PositiveSmallIntegerField(_("会次"))
    # The window in which the congress receives suggestions (both days included).
    opens_on = models.DateField(_("受理开始"))
    closes_on = models.DateField(_("受理截止"))
    last_number = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("人代会会次")
        verbose_name_plural = _("人代会会次")
        ordering = ["congress_id", "-term", "-session"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "level", "term", "session"], name="congress_session_unique"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="congress_session_window"
            ),
        ]

    def __str__(self) -> str:
        return _("%(congress)s第%(term)s届人大第%(session)s次会议") % {
            "congress": self.congress.name if self.congress_id else "",
            "term": self.term,
            "session": self.session,
        }

    def is_open(self, day: datetime.date) -> bool:
        """Whether suggestions are received on `day`."""
        return self.opens_on <= day <= self.closes_on
