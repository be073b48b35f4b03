"""Open cases that look like the same matter as a case, for the staff case page (合并 candidates).

The candidates are the open cases of the same county (the case loop only merges inside a county:
the region code range of the case's first six digits), found in a `MatterIndex`
(``liaison/nlp/matter.py``: bigram TF-IDF with a reference IDF plus the place signal, roads
included, because the MinHash 3-gram index missed reworded duplicates) kept per county in each
process. The same index answers the intake form (`similar_to_text`): the text being typed,
before the case exists. A case's place field is indexed with its text, so "same place" counts
even when the text does not name it.

What a request pays does not grow with the number of cases (decisions 0046 and 0050):

- **Built once, by the worker.** Indexing a county's open cases (up to ``MAX_INDEXED``: one
  query and seconds of Python at 20,000 rows) is the task worker's job: it writes the index to
  a file (`similar_store.py`) that every web process loads in milliseconds. A web process never
  builds: while the county has no file it asks the worker for one, and the page says the
  candidates are being prepared (`similar_to_text` returns None). At most once per
  ``HOT_CACHE_SECONDS`` it looks whether the worker has written a new file, and loads it.
  ``SIMILAR_INDEX_INLINE`` builds in the request instead, without files (tests).
- **Grown, not rebuilt.** At most once per ``HOT_CACHE_SECONDS`` a request reads the cases
  created since the last look (ids above the highest one seen, in id order: a read of the new
  rows only) and adds this county's open ones to the index. A case that left the open set stays
  in the index until the next rebuild; the final query, which also applies the viewer's scope,
  drops it.
- **Rebuilt** by the worker every ``REBUILD_SECONDS`` while the county is viewed (a case
  reopened after it closed, and on PostgreSQL an id committed after a higher one, come back
  then; closed rows are pruned), or at once when more than ``DELTA_MAX`` cases arrived since the
  last look: the process keeps answering from its copy, without reading them, until the new
  file is there. The build reads every case up to the highest id it saw first, so the process
  that loads it reads everything added meanwhile.
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

from liaison.accounts.scoping import AnyUser
from liaison.cases import similar_store
from liaison.cases.models import OPEN_STATUSES, Case
from liaison.cases.selectors import cases_visible_to
from liaison.cases.similar_store import MAX_INDEXED, REBUILD_SECONDS, Stamp, detail_text
from liaison.common.hotcache import ttl_seconds
from liaison.nlp.matter import DEFAULT_MIN_SIMILARITY, MatterIndex, MatterMatch, reference_space
from liaison.regions.models import Level, code_bounds

__all__ = [
    "MAX_INDEXED",
    "REBUILD_SECONDS",
    "SimilarCase",
    "clear_cache",
    "county_bounds",
    "detail_text",
    "similar_open_cases",
    "similar_to_text",
]

logger = logging.getLogger(__name__)

CACHE_SIZE = 32  # counties kept per process
DELTA_MAX = 500  # more new cases than this since the last look: rebuilt instead
ANSWERS_MAX = 256  # answers kept per county index
MIN_SIMILARITY = DEFAULT_MIN_SIMILARITY  # the engine's calibrated line (0.4) for one matter

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
    stamp: Stamp | None = None  # the file it was loaded from (None: built in this process)
    rebuilding: bool = False  # too far behind to catch up: waits for a new build
    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: dict[tuple[Hashable, ...], list[MatterMatch]] = field(default_factory=dict)


_counties: dict[str, CountyIndex] = {}
_building: set[str] = set()  # counties whose index is being built in a request (inline)
_looked: dict[str, float] = {}  # county → when this process last looked at its file
_unusable: dict[str, Stamp] = {}  # county → a file of it that could not be loaded
_lock = threading.Lock()


def county_bounds(region_code: str) -> tuple[str, str]:
    """The 12-digit code range of the county (or county-level unit) holding `region_code`."""
    return code_bounds(region_code, Level.COUNTY)


def _inline() -> bool:
    return bool(getattr(settings, "SIMILAR_INDEX_INLINE", False))


def _build(low: str, high: str) -> CountyIndex:
    """The county's index built here (inline only: the worker builds it otherwise)."""
    last, items = similar_store.county_rows(low, high)
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


def _now() -> float:
    return time.monotonic()


def _build_inline(low: str, high: str) -> None:
    with _lock:
        if low in _building:
            return
        _building.add(low)
    try:
        _store(_build(low, high))
    except Exception:
        logger.exception("similar-case index of %s failed; the next page view tries again", low)
    finally:
        with _lock:
            _building.discard(low)


def _look_at_file(low: str, high: str, now: float) -> None:
    """Ask the worker to keep the county's file, and load it if it is not the one held here."""
    last = _looked.get(low)
    if last is not None and now - last < ttl_seconds():
        return
    _looked[low] = now
    similar_store.county_ask(low, high)
    stamp = similar_store.file_stamp(low, high)
    entry = _counties.get(low)
    if stamp is None or (entry is not None and entry.stamp == stamp):
        return
    if _unusable.get(low) == stamp:  # tried once (and logged) until the worker replaces it
        return
    loaded = similar_store.county_load(low, high)
    if loaded is None:
        _unusable[low] = stamp
        return
    _unusable.pop(low, None)
    _store(
        CountyIndex(
            low=low,
            high=high,
            index=loaded.index,
            last_pk=loaded.last_pk,
            built_at=now,
            checked_at=now - ttl_seconds(),  # catch up at once: the file may be minutes old
            rows_read=len(loaded.index),
            stamp=loaded.stamp,
        )
    )


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
    if len(rows) > DELTA_MAX:  # a long quiet spell: a rebuild reads them, off the request
        entry.rebuilding = True
        if _inline():
            _build_inline(entry.low, entry.high)
        else:
            similar_store.county_ask(entry.low, entry.high, stale=True)
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
    """The county's index, brought up to date; None while the worker first builds it."""
    low, high = county_bounds(region_code)
    now = _now()
    if _inline():
        entry = _counties.get(low)
        # `rebuilding` still set: the rebuild failed, and this view tries again.
        if entry is None or entry.rebuilding or now - entry.built_at >= REBUILD_SECONDS:
            _build_inline(low, high)
    else:
        _look_at_file(low, high, now)
    entry = _counties.get(low)
    if entry is None:
        return None
    with entry.lock:
        if not entry.rebuilding and now - entry.checked_at >= ttl_seconds():
            _catch_up(entry, now)
    # Inline, a rebuild has replaced the entry already.
    return _counties.get(low, entry)


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
        _looked.clear()
        _unusable.clear()


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
