"""The intake journal (`IntakeEntry`): public API submissions as received, before they are cases.

A submission through the public API is validated in the request, then written here as one narrow
row (an encrypted payload and two unique keys) and answered at once. The worker moves entries into
`Case` in batches (`services/journal.py`); a tracking lookup moves its own entry first if it is
still waiting. Entries are kept after the move, without their payload, as the register of the
client tokens and tracking codes handed out (decision 0006).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeEntryQuerySet(models.QuerySet["IntakeEntry"]):
    def waiting(self) -> IntakeEntryQuerySet:
        """Not yet a case and not held: the worker's queue (`intake_pending_idx`)."""
        return self.filter(moved_at__isnull=True, held_at__isnull=True)

    def held(self) -> IntakeEntryQuerySet:
        """Kept for a person: the payload could not be turned into a case."""
        return self.filter(moved_at__isnull=True, held_at__isnull=False)


class IntakeEntry(models.Model):
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    # The submitting client's idempotency key: the same token is answered with the same entry.
    client_token = models.CharField(
        _("提交标识"), max_length=64, null=True, blank=True, unique=True
    )
    pin_digest = models.CharField(max_length=64)
    # The validated submission as encrypted JSON (it holds the name and phone, and the PIN for
    # the SMS); emptied when the entry has become a case.
    payload = models.TextField(blank=True)
    received_at = models.DateTimeField(_("收到时间"))
    # The case it became (no foreign key: the journal is written before the case exists and is
    # never joined; the case has the same tracking code).
    case_id = models.BigIntegerField(_("案件编号"), null=True, blank=True)
    moved_at = models.DateTimeField(_("转入时间"), null=True, blank=True)
    # Set when the payload cannot be read (sealed under a key since changed): the entry is kept
    # for a person and no longer tried (services/journal.py).
    held_at = models.DateTimeField(_("暂扣时间"), null=True, blank=True)

    objects = IntakeEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("接收记录")
        verbose_name_plural = _("接收记录")
        indexes = [
            # The worker's queue: entries still waiting, oldest first.
            models.Index(
                fields=["id"],
                name="intake_pending_idx",
                condition=models.Q(moved_at__isnull=True, held_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code
