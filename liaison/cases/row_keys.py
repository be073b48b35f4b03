"""The cache key of a row of the staff case queue (staff/cases/queue.html).

A queue page renders 20–50 rows of a dozen cells each; the rows were most of its time (about
0.3 ms a row, issue 16), and the first page of a work queue is what every clerk of the place
opens again and again. A row is a template fragment keyed by a digest of everything it shows —
the case's fields and related names, its countdown, whether the viewer may tick it for a bulk
action — and of the language, time zone and script prefix (`pagecache.fragment_digest`): any
change to any of them is another key, so a cached row is never stale, and a row is only ever
shown to a viewer whose scoped list holds that case (the list is read first, the key is made
from its row).
"""

from __future__ import annotations

from django.urls import get_script_prefix

from liaison.cases.models import Case
from liaison.common.pagecache import fragment_digest


def queue_row_key(case: Case, *, can_bulk: bool) -> str:
    countdown = getattr(case, "countdown", None)
    return fragment_digest(
        "queue-row",
        get_script_prefix(),
        can_bulk,
        case.pk,
        case.version,
        case.tracking_code,
        case.title,
        case.reopen_count,
        case.kind,
        case.channel,
        case.status,
        case.submitted_at,
        case.station.name if case.station is not None else None,
        case.region.name if case.region is not None else None,
        case.category.path if case.category is not None else None,
        case.hint_label,
        case.hint_needs_review,
        case.hint_confidence,
        case.unit.name if case.unit is not None else None,
        case.assigned_deputy.name if case.assigned_deputy is not None else None,
        (countdown.due, countdown.days_left) if countdown is not None else None,
    )
