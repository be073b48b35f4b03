"""`PinGuard`: failed PIN entries per tracking code, so that guessing from many addresses stops.

The per-address rate limit (liaison/common/ratelimit.py) cannot stop a guesser who spreads over
hundreds of addresses; this row counts failures for the code itself, in the database, with
atomic updates. After `PIN_GUARD_MAX_FAILURES` failures within `PIN_GUARD_WINDOW_HOURS` the code
is locked: every PIN is refused, the right one too, until a new PIN is issued (the SMS resend or
a staff reset, services/pins.py), which deletes the row.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PinGuard(models.Model):
    # A code, not a foreign key: lookups of journal codes ("A…") come before their case exists.
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    failures = models.PositiveIntegerField(_("连续错误次数"), default=0)
    # Failures older than the window are forgotten, unless the code is already locked.
    window_started_at = models.DateTimeField(_("计数开始时间"))
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("查询密码保护")
        verbose_name_plural = _("查询密码保护")

    def __str__(self) -> str:
        return self.tracking_code
