"""Hot topics of the month for the report, from the topic engine (`liaison.nlp.topics`).

If the engine fails the report still renders, with an empty section that says 暂无热点.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.utils import timezone

from liaison.common.masking import mask_text
from liaison.nlp.topics import Message, find_topics
from liaison.reports.data import _in_month, month_end, scope_cases
from liaison.reports.models import MonthlyReport

logger = logging.getLogger(__name__)
TOP = 10
EXAMPLES = 3


def hot_topics(*, report: MonthlyReport, month: datetime.date) -> dict[str, Any]:
    """{"available": bool, "topics": [{rank, label, heat, size, places, start, end, stations,
    examples}]} for the cases submitted in the month (merged duplicates included: they are
    the same matter raised again)."""
    cases = list(
        _in_month(scope_cases(report), month)
        .exclude(status="withdrawn")
        .order_by("submitted_at", "id")
        .values_list("pk", "title", "content", "submitted_at", "station__name")
    )
    if not cases:
        return {"available": True, "topics": []}
    # The engine takes a datetime's own date: the local one, as the month's bounds are (the
    # database hands back UTC, and a case of 1 March before 08:00 would start on 28 February).
    messages = [
        Message(id=str(pk), title=title, detail=content, submitted_at=timezone.localtime(at))
        for pk, title, content, at, _station in cases
    ]
    by_id = {str(pk): (title, station) for pk, title, _c, _s, station in cases}
    try:
        found = find_topics(messages, top=TOP, today=month_end(month))
    except Exception:  # the report must not fail because of one section
        logger.exception("hot topics failed for report %s", report.pk)
        return {"available": False, "topics": []}
    topics = []
    for topic in found:
        ids = [str(i) for i in topic.message_ids]
        stations = sorted({by_id[i][1] for i in ids if i in by_id and by_id[i][1]})
        topics.append(
            {
                "rank": topic.rank,
                "label": mask_text(str(topic.label)),
                "heat": round(float(topic.heat), 1),
                "size": int(topic.size),
                "places": [str(p) for p in (topic.places or [])][:5],
                "start": str(topic.start or "")[:10],
                "end": str(topic.end or "")[:10],
                "stations": stations,
                "examples": [mask_text(by_id[i][0]) for i in ids[:EXAMPLES] if i in by_id],
            }
        )
    return {"available": True, "topics": topics}
