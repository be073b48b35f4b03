"""Category hints for newly taken-in cases, made by the worker in batches.

Intake only marks a case `hint_pending`; the worker (`manage.py worker`, a sweep every few
seconds) classifies the pending cases in batches. The classifier costs a few milliseconds per
message one at a time but a fraction of that in a batch, and keeping it out of the request keeps
intake fast under load (decision 0005). Staff triage a case minutes or hours after it arrives, by
which time its hint is there; the queue and the case page simply show none before.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from liaison.cases.classification import classification_hint_many, hint_fields
from liaison.cases.models import Case

BATCH = 500


def case_category_hints_fill(*, limit: int = BATCH) -> int:
    """Store the hint on up to `limit` pending cases (oldest first); how many were done."""
    rows = list(
        Case.objects.filter(hint_pending=True)
        .order_by("id")
        .values_list("id", "title", "content")[:limit]
    )
    if not rows:
        return 0
    hints = classification_hint_many([(title, content) for _pk, title, content in rows])
    with transaction.atomic():
        for (pk, _title, _content), hint in zip(rows, hints, strict=True):
            fields: dict[str, Any] = hint_fields(hint)
            # Only still-pending rows: a case purged or re-hinted meanwhile is left alone.
            Case.objects.filter(pk=pk, hint_pending=True).update(hint_pending=False, **fields)
    return len(rows)


def case_category_hints_fill_all() -> int:
    """Work through every pending case (the worker's `--once`, the demo, tests)."""
    total = 0
    while done := case_category_hints_fill():
        total += done
    return total
