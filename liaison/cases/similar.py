"""Open cases that look like the same matter as a case, for the staff case page (合并 candidates).

The candidates are the open cases of the same county (the case loop only merges inside a county:
the region code range of the case's first six digits). A `DuplicateIndex` with the same-place
signal is built for that county on the fly and kept in process for ``CACHE_SECONDS``, keyed by the
county and the highest case id in it, so a new case rebuilds it and a case that changed status is
filtered out by the final query (which also applies the viewer's scope). Two queries a page.
The index is a `MatterIndex` (``liaison/nlp/matter.py``): bigram TF-IDF with a reference IDF
plus the place signal (roads included), because the MinHash 3-gram index missed reworded
duplicates.

The same index answers the intake form (`similar_to_text`): the text being typed, before the case
exists. A case's place field is indexed with its text, so "same place" counts even when the text
does not name it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db.models import Max

from liaison.accounts.scoping import AnyUser
from liaison.cases.models import OPEN_STATUSES, Case
from liaison.cases.selectors import cases_visible_to
from liaison.common.hotcache import HotCache
from liaison.nlp.matter import DEFAULT_MIN_SIMILARITY, MAX_ROWS, MatterIndex, reference_space
from liaison.regions.models import Level, code_bounds

CACHE_SECONDS = 300
CACHE_SIZE = 32
MIN_SIMILARITY = DEFAULT_MIN_SIMILARITY  # the engine's calibrated line (0.4) for one matter
MAX_INDEXED = MAX_ROWS

_cache: dict[tuple[str, int], tuple[float, MatterIndex]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class SimilarCase:
    case: Case
    similarity: float


def county_bounds(region_code: str) -> tuple[str, str]:
    """The 12-digit code range of the county (or county-level unit) holding `region_code`."""
    return code_bounds(region_code, Level.COUNTY)


def detail_text(content: str, place: str = "") -> str:
    """What is indexed besides the title: the place first (never cut off), then the content."""
    return f"{place}\n{content}" if place else content


def _open_cases(low: str, high: str) -> list[tuple[int, str, str]]:
    rows = (
        Case.objects.filter(region_id__gte=low, region_id__lte=high, status__in=OPEN_STATUSES)
        .order_by("-pk")
        .values_list("pk", "title", "content", "place")[:MAX_INDEXED]
    )
    return [(pk, title, detail_text(content, place)) for pk, title, content, place in rows]


_newest: HotCache[int] = HotCache("county_newest_case")


def county_index(region_code: str) -> MatterIndex:
    """The open cases of the county, indexed (cached per county and newest case id)."""
    low, high = county_bounds(region_code)
    # The newest case id says whether the index is stale; it is itself read at most once per
    # HOT_CACHE_SECONDS per county, so a case page costs no query for it most of the time.
    newest = _newest.get(
        low,
        lambda: (
            Case.objects.filter(region_id__gte=low, region_id__lte=high).aggregate(m=Max("pk"))["m"]
            or 0
        ),
    )
    key = (low, newest)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    index = MatterIndex(_open_cases(low, high), space=reference_space())
    with _lock:
        for stale in [
            k for k, (at, _) in _cache.items() if k[0] == low or now - at > CACHE_SECONDS
        ]:
            del _cache[stale]
        while len(_cache) >= CACHE_SIZE:
            del _cache[min(_cache, key=lambda k: _cache[k][0])]
        _cache[key] = (now, index)
    return index


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def similar_open_cases(
    case: Case, *, user: AnyUser | None = None, limit: int = 5
) -> list[SimilarCase]:
    """Open cases of the same county most like `case`, best first (only those `user` may see)."""
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
) -> list[SimilarCase]:
    """Open cases of the county of `region_code` most like this text, best first.

    Only cases `user` may see are returned (every case when `user` is None).
    """
    index = county_index(region_code)
    matches = index.query(
        title,
        detail_text(content, place),
        k=limit * 3,
        min_similarity=MIN_SIMILARITY,
        exclude=exclude,
    )
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
