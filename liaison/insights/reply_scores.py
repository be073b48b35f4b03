"""Stored reply scores (答复质量): writing them and reading them back, kept current.

Scores are stored (`ReplyScore`): a task scores each reply when it is recorded
(`tasks.score_reply_task`), and `reply_scores` scores whatever is still missing or stale in one
batch per county and stores it, so the next read only loads the stored rows. A case's reply counts
in the period in which it was *given* (`replied_at`); lateness is measured against the case's own
`reply_due` (after extensions), else from assignment with the `reply_late_working_days` setting
of the case's county. The engine is `liaison.nlp.reply_quality`; the readers (the monthly report,
the supervision page) build their aggregates on `reply_scores`. See
docs/insights-reply-quality.md, "Stored scores".
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from liaison.cases.models import Case
from liaison.common.hotcache import HotCache
from liaison.insights.models import ReplyScore
from liaison.insights.reply_quality import assess_with_calendar
from liaison.jurisdiction.selectors import setting_value
from liaison.nlp.reply_quality import (
    ENGINE_VERSION,
    ReplyAssessment,
    ReplyItem,
    ReplyReference,
    reply_reference,
)
from liaison.regions.models import Level, code_bounds

Period = tuple[datetime.date, datetime.date]

# Unscored replies of a county at least this many are their own batch (as the report always
# scored a month); fewer borrow the IDF and repeated skeletons of the county's latest replies.
MIN_BATCH: Final = 200
REFERENCE_SIZE: Final = 1_000
MIN_REFERENCE: Final = 20
REFERENCE_SECONDS: Final = 600
CHUNK: Final = 2_000

_references: HotCache[ReplyReference | None] = HotCache(
    "reply_references", seconds=REFERENCE_SECONDS
)

_ROW_FIELDS = (
    "pk",
    "unit_id",
    "unit__name",
    "region_id",
    "reply",
    "replied_at",
    "reply_due",
    "assigned_at",
    "submitted_at",
    "reply_score__reply_digest",
    "reply_score__score",
    "reply_score__flags",
)


# What a reply is assessed from, and what a stored score holds besides its case.
_CASE_FIELDS = (
    *("pk", "title", "content", "reply", "region_id"),
    *("replied_at", "reply_due", "assigned_at", "submitted_at"),
)
_SCORE_FIELDS = [
    *("score", "flags", "relevance", "substance_chars", "working_days"),
    *("reply_digest", "assessed_at"),
]


@dataclass(frozen=True)
class StoredScore:
    """A reply's stored score with what the aggregates group by."""

    case_id: int
    unit_id: int | None
    unit: str
    region_id: str
    score: int
    flags: tuple[str, ...]


def _replied_in(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    start, end = period
    return (
        cases.filter(replied_at__date__gte=start, replied_at__date__lte=end, unit__isnull=False)
        .exclude(reply="")
        .order_by("id")
    )


def county_code(region_code: str) -> str:
    return code_bounds(region_code, Level.COUNTY)[0]


def _late_after(region_code: str | None) -> int:
    region = county_code(region_code) if region_code else None
    return int(setting_value(key="reply_late_working_days", region=region))


def _start(assigned_at: datetime.datetime | None, submitted_at: datetime.datetime) -> datetime.date:
    return timezone.localdate(assigned_at or submitted_at)


def reply_digest(
    *,
    reply: str,
    start: datetime.date,
    replied: datetime.date | None,
    due: datetime.date | None,
    late_after: int,
) -> str:
    """Fingerprint of what a score is computed from (engine, setting, reply and its dates)."""
    text = f"{ENGINE_VERSION}|{late_after}|{start}|{replied}|{due}|{reply}"
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _item(case: Case) -> ReplyItem:
    return ReplyItem(
        message=case.content,
        title=case.title,
        reply=case.reply,
        submitted_at=_start(case.assigned_at, case.submitted_at),
        replied_at=timezone.localdate(case.replied_at) if case.replied_at else None,
        due=case.reply_due,
        region_code=case.region_id,
        key=case.pk,
    )


def _digest_of(case: Case, late_after: int) -> str:
    return reply_digest(
        reply=case.reply,
        start=_start(case.assigned_at, case.submitted_at),
        replied=timezone.localdate(case.replied_at) if case.replied_at else None,
        due=case.reply_due,
        late_after=late_after,
    )


# --- the county reference ------------------------------------------------------------------------


def county_reference(county: str) -> ReplyReference | None:
    """IDF and repeated skeletons of the county's latest replies (cached in process).

    None when the county has too few replies to lend anything: the items are then their own batch.
    """
    return _references.get(county, lambda: _county_reference(county))


def _county_reference(county: str) -> ReplyReference | None:
    low, high = code_bounds(county, Level.COUNTY)
    latest = list(
        Case.objects.filter(
            region_id__gte=low, region_id__lte=high, replied_at__isnull=False, unit__isnull=False
        )
        .exclude(reply="")
        .order_by("-pk")
        .only("pk", "title", "content", "reply")[:REFERENCE_SIZE]
    )
    if len(latest) < MIN_REFERENCE:
        return None
    return reply_reference(
        [ReplyItem(message=c.content, title=c.title, reply=c.reply, key=c.pk) for c in latest]
    )


def clear_references() -> None:
    _references.clear()


# --- storing -------------------------------------------------------------------------------------


def _assess_county(cases: list[Case], late_after: int, county: str) -> list[ReplyAssessment]:
    items = [_item(c) for c in cases]
    if len(items) >= MIN_BATCH:
        return assess_with_calendar(items, late_after=late_after)
    reference = county_reference(county)
    return assess_with_calendar(items, late_after=late_after, reference=reference)


def reply_scores_store(*, case_ids: Iterable[int]) -> dict[int, ReplyScore]:
    """Assess the replies of these cases and store (insert or replace) their scores.

    Cases without a reply are skipped. Replies are grouped by county: the setting and the
    reference are the county's.
    """
    ids = sorted(set(case_ids))
    by_county: dict[str, list[Case]] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        rows = (
            Case.objects.filter(pk__in=ids[start : start + CHUNK], replied_at__isnull=False)
            .exclude(reply="")
            .only(*_CASE_FIELDS)
            .order_by("pk")
        )
        for case in rows:
            by_county[county_code(case.region_id)].append(case)
    now = timezone.now()
    stored: dict[int, ReplyScore] = {}
    for county, cases in by_county.items():
        late_after = _late_after(county)
        for case, assessment in zip(cases, _assess_county(cases, late_after, county), strict=True):
            stored[case.pk] = ReplyScore(
                case_id=case.pk,
                score=assessment.score,
                flags=",".join(assessment.flags),
                relevance=assessment.relevance,
                substance_chars=assessment.substance_chars,
                working_days=assessment.working_days,
                reply_digest=_digest_of(case, late_after),
                assessed_at=now,
            )
    with transaction.atomic():
        ReplyScore.objects.bulk_create(
            stored.values(),
            batch_size=CHUNK,
            update_conflicts=True,
            unique_fields=["case"],
            update_fields=_SCORE_FIELDS,
        )
    return stored


def reply_scores(cases: QuerySet[Case], period: Period) -> list[StoredScore]:
    """The stored scores of the replies given in `period` among `cases` (missing ones scored).

    One query when every score is stored and current; otherwise the missing or stale ones are
    assessed in one batch per county and stored (`reply_scores_store`).
    """
    late: dict[str, int] = {}
    result: list[StoredScore] = []
    missing: dict[int, tuple[int | None, str, str]] = {}
    for row in _replied_in(cases, period).values_list(*_ROW_FIELDS):
        pk, unit_id, unit, region, reply, replied_at, due, assigned_at, submitted_at = row[:9]
        stored_digest, score, flags = row[9:]
        county = county_code(region)
        if county not in late:
            late[county] = _late_after(county)
        digest = reply_digest(
            reply=reply,
            start=_start(assigned_at, submitted_at),
            replied=timezone.localdate(replied_at),
            due=due,
            late_after=late[county],
        )
        if digest == stored_digest:
            flag_tuple = tuple(f for f in flags.split(",") if f)
            result.append(StoredScore(pk, unit_id, unit or "", region, score, flag_tuple))
        else:
            missing[pk] = (unit_id, unit or "", region)
    if missing:
        for pk, fresh in reply_scores_store(case_ids=missing).items():
            unit_id, unit, region = missing[pk]
            result.append(StoredScore(pk, unit_id, unit, region, fresh.score, fresh.flag_list))
    return result
