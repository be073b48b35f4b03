"""Purging constituents' personal data after the retention period (DESIGN §6).

A case that is finished (closed, declined, merged or withdrawn) keeps the person's name and phone
for `personal_data_retention_days` (a jurisdiction setting) after it ended — or after it was
submitted, for cases that never closed — then they are erased. The case, its text and its
history stay: the ledger and the statistics need them, the person's identity they do not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.models import FINAL_STATUSES, Case, CaseEvent, EventKind
from liaison.cases.services.common import case_event
from liaison.jurisdiction.selectors import setting_value

BATCH = 2_000


@dataclass(frozen=True)
class PurgeResult:
    purged: int
    regions: int


def _has_personal_data() -> Q:
    return (
        ~Q(contact_name="")
        | ~Q(contact_phone="")
        | ~Q(contact_phone_tail="")
        | ~Q(free_text_private="")
    )


def purge_expired_personal_data(*, today: datetime.date | None = None) -> PurgeResult:
    """Erase name and phone of finished cases whose retention period is over; one audit row."""
    today = today or timezone.localdate()
    finished = Case.objects.filter(
        status__in=FINAL_STATUSES, personal_data_purged_at__isnull=True
    ).filter(_has_personal_data())
    regions = list(finished.values_list("region_id", flat=True).distinct())
    purged = 0
    now = timezone.now()
    for region_code in regions:
        days = int(setting_value(key="personal_data_retention_days", region=region_code))
        cutoff = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time())
        )
        expired = (
            finished.filter(region_id=region_code)
            .annotate(ended=Coalesce("closed_at", "submitted_at"))
            .filter(ended__lt=cutoff)
        )
        while True:
            ids = list(expired.values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            with transaction.atomic():
                Case.objects.filter(pk__in=ids).update(
                    contact_name="",
                    contact_phone="",
                    contact_phone_tail="",
                    # The text as typed (numbers unmasked); the masked text stays for the ledger.
                    free_text_private="",
                    personal_data_purged_at=now,
                )
                CaseEvent.objects.bulk_create(
                    case_event(
                        pk,
                        EventKind.NOTE,
                        note="个人信息已超过保存期限，已清除",
                        data={"purged": True, "retention_days": days},
                        public=False,
                    )
                    for pk in ids
                )
            purged += len(ids)
    if purged:
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="cases.case",
            note=f"清除超过保存期限的群众个人信息：{purged} 件",
        )
    return PurgeResult(purged=purged, regions=len(regions))
