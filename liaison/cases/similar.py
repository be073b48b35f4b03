"""Open cases that look like the same matter as a case, for the staff case page (合并 candidates).

The candidates are the open cases of the same county (the case loop only merges inside a county:
the region code range of the case's first six digits), found in a `MatterIndex`
(``liaison/nlp/matter.py``: bigram TF-IDF with a reference IDF plus the place signal, roads
included, because the MinHash 3-gram index missed reworded duplicates) kept per county in each
process. The same index answers the intake form (`similar_to_text`): the text being typed,
before the case exists. A case's place field is indexed with its text, so "same place" counts
even when the text does not name it.

What a request pays does not grow with the number of cases (decision 0046):

- **Built off the request.** Indexing a county's open cases (up to ``MAX_INDEXED``: one query
  and seconds of Python at 20,000 rows) runs in a background thread of the process; until it is
  ready the page says the candidates are being prepared (`similar_to_text` returns None).
  ``SIMILAR_INDEX_INLINE`` builds it in the request instead (tests).
- **Grown, not rebuilt.** At most once per ``HOT_CACHE_SECONDS`` a request reads the cases
  created since the last look (ids above the highest one seen, in id order: a read of the new
  rows only) and adds this county's open ones to the index. A case that left the open set stays
  in the index until the next rebuild; the final query, which also applies the viewer's scope,
  drops it.
- **Rebuilt in the background** every ``REBUILD_SECONDS`` (a case reopened after it closed, and
  on PostgreSQL an id committed after a higher one, come back then), or when more than
  ``DELTA_MAX`` cases arrived since the last look. The old index answers until the new one is
  swapped in, and the new one reads every case up to the highest id it saw first, so nothing
  added meanwhile is lost.
- Answers are kept per index state: the same case page viewed again costs no query of the
  index until a case is added to it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections
from django.db.models import Max

from liaison.accounts.scoping import AnyUser
from liaison.cases.models import OPEN_STATUSES, Case
from liaison.cases.selectors import cases_visible_to
from liaison.common.hotcache import ttl_seconds
from liaison.nlp.matter import (
    DEFAULT_MIN_SIMILARITY,
    MAX_ROWS,
    MatterIndex,
    MatterMatch,
    reference_space,
)
from liaison.regions.models import Level, code_bounds

logger = logging.getLogger(__name__)

REBUILD_SECONDS = 300
CACHE_SIZE = 32  # counties kept per process
DELTA_MAX = 500  # more new cases than this since the last look: rebuilt instead
ANSWERS_MAX = 256  # answers kept per county index
MIN_SIMILARITY = DEFAULT_MIN_SIMILARITY  # the engine's calibrated line (0.4) for one matter
MAX_INDEXED = MAX_ROWS

_OPEN = frozenset(OPEN_STATUSES)


@dataclass(frozen=True)
class SimilarCase:
    case: Case
    similarity: float


@dataclass
class CountyIndex:
    """One county's index in this process, with what it has seen."""

    low: str
    high: str
    index: MatterIndex
    last_pk: int  # every case up to this id has been looked at
    built_at: float
    checked_at: float
    rows_read: int  # cases read into it (the build's and every delta's), for tests and logs
    rebuilding: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: dict[tuple[Hashable, ...], list[MatterMatch]] = field(default_factory=dict)


_counties: dict[str, CountyIndex] = {}
_building: set[str] = set()  # counties whose index is being built (first time or again)
_lock = threading.Lock()


def county_bounds(region_code: str) -> tuple[str, str]:
    """The 12-digit code range of the county (or county-level unit) holding `region_code`."""
    return code_bounds(region_code, Level.COUNTY)


def detail_text(content: str, place: str = "") -> str:
    """What is indexed besides the title: the place first (never cut off), then the content."""
    return f"{place}\n{content}" if place else content


def _build(low: str, high: str) -> CountyIndex:
    # The highest id first: the open cases are read up to it, and the deltas start after it.
    last = Case.objects.aggregate(m=Max("pk"))["m"] or 0
    rows = (
        Case.objects.filter(
            pk__lte=last, region_id__gte=low, region_id__lte=high, status__in=OPEN_STATUSES
        )
        .order_by("-pk")
        .values_list("pk", "title", "content", "place")[:MAX_INDEXED]
    )
    items = [(pk, title, detail_text(content, place)) for pk, title, content, place in rows]
    now = _now()
    return CountyIndex(
        low=low,
        high=high,
        index=MatterIndex(items, space=reference_space()),
        last_pk=last,
        built_at=now,
        checked_at=now,
        rows_read=len(items),
    )


def _store(entry: CountyIndex) -> None:
    with _lock:
        _counties.pop(entry.low, None)
        while len(_counties) >= CACHE_SIZE:  # the least recently built goes
            del _counties[min(_counties, key=lambda k: _counties[k].built_at)]
        _counties[entry.low] = entry


def _build_and_store(low: str, high: str) -> None:
    try:
        _store(_build(low, high))
    except Exception:
        logger.exception("similar-case index of %s failed; the next page view tries again", low)
        with _lock:
            current = _counties.get(low)
        if current is not None:
            current.rebuilding = False  # the old index keeps answering and catching up
    finally:
        with _lock:
            _building.discard(low)


def _now() -> float:
    return time.monotonic()


def _spawn(low: str, high: str) -> None:
    threading.Thread(
        target=_in_thread, args=(low, high), name=f"similar-index-{low}", daemon=True
    ).start()


def _in_thread(low: str, high: str) -> None:
    try:
        _build_and_store(low, high)
    finally:
        connections.close_all()  # this thread's own connections


def _start_build(low: str, high: str) -> None:
    """Build (or rebuild) the county's index: in a background thread, or here when inline."""
    with _lock:
        if low in _building:
            return
        _building.add(low)
    if getattr(settings, "SIMILAR_INDEX_INLINE", False):
        _build_and_store(low, high)
    else:
        _spawn(low, high)


def _new_cases(after: int) -> list[tuple[int, str, str, str, str, str]]:
    # Only the id bounds the read: the rows created since the last look, whatever their
    # county (a filter on the county would let the database walk all its open cases instead).
    return list(
        Case.objects.filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", "region_id", "status", "title", "content", "place")[: DELTA_MAX + 1]
    )


def _catch_up(entry: CountyIndex, now: float) -> None:
    """Add the county's open cases created since the last look (called under entry.lock)."""
    entry.checked_at = now
    rows = _new_cases(entry.last_pk)
    if len(rows) > DELTA_MAX:  # a long quiet spell: a rebuild reads them in the background
        entry.rebuilding = True
        _start_build(entry.low, entry.high)
        return
    if not rows:
        return
    entry.last_pk = rows[-1][0]
    entry.rows_read += len(rows)
    added = [
        (pk, title, detail_text(content, place))
        for pk, region, status, title, content, place in rows
        if entry.low <= region <= entry.high and status in _OPEN
    ]
    if added:
        entry.index.add(added)
        entry.answers.clear()


def county_index(region_code: str) -> CountyIndex | None:
    """The county's index, brought up to date; None while it is first being built."""
    low, high = county_bounds(region_code)
    entry = _counties.get(low)
    if entry is None:
        _start_build(low, high)
        entry = _counties.get(low)  # built here when inline
        if entry is None:
            return None
    now = _now()
    with entry.lock:
        if not entry.rebuilding:
            if now - entry.checked_at >= ttl_seconds():
                _catch_up(entry, now)
            if not entry.rebuilding and now - entry.built_at >= REBUILD_SECONDS:
                entry.rebuilding = True
                _start_build(low, high)
        # Inline, the rebuild has replaced the entry already.
        return _counties.get(low, entry) if entry.rebuilding else entry


def _matches(
    entry: CountyIndex, title: str, detail: str, k: int, exclude: tuple[int, ...]
) -> list[MatterMatch]:
    key: tuple[Hashable, ...] = (title, detail, k, exclude)
    with entry.lock:
        found = entry.answers.get(key)
        if found is None:
            found = entry.index.query(
                title, detail, k=k, min_similarity=MIN_SIMILARITY, exclude=exclude
            )
            if len(entry.answers) >= ANSWERS_MAX:
                entry.answers.clear()
            entry.answers[key] = found
    return found


def clear_cache() -> None:
    with _lock:
        _counties.clear()
        _building.clear()


def similar_open_cases(
    case: Case, *, user: AnyUser | None = None, limit: int = 5
) -> list[SimilarCase] | None:
    """Open cases of the same county most like `case`, best first (only those `user` may see);
    None while the county's index is being prepared."""
    return similar_to_text(
        region_code=case.region_id,
        title=case.title,
        content=case.content,
        place=case.place,
        user=user,
        limit=limit,
        exclude=(case.pk,),
    )


def similar_to_text(
    *,
    region_code: str,
    title: str,
    content: str,
    place: str = "",
    user: AnyUser | None = None,
    limit: int = 5,
    exclude: tuple[int, ...] = (),
) -> list[SimilarCase] | None:
    """Open cases of the county of `region_code` most like this text, best first.

    Only cases `user` may see are returned (every case when `user` is None). None while the
    county's index is being prepared (the first look at it in this process).
    """
    entry = county_index(region_code)
    if entry is None:
        return None
    matches = _matches(entry, title, detail_text(content, place), limit * 3, exclude)
    if not matches:
        return []
    low, high = county_bounds(region_code)
    base = cases_visible_to(user) if user is not None else Case.objects.all()
    found = {
        c.pk: c
        for c in base.filter(
            pk__in=[m.id for m in matches],
            status__in=OPEN_STATUSES,
            merged_into__isnull=True,
            region_id__gte=low,
            region_id__lte=high,
        ).only("pk", "tracking_code", "title", "status", "submitted_at", "region_id")
    }
    result = [SimilarCase(found[m.id], m.similarity) for m in matches if m.id in found]
    return result[:limit]
