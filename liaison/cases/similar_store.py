"""The similar-case index files: built by the worker, read by the web processes (decision 0050).

A county's index (`similar.py`) costs seconds of CPU to build at 20,000 open cases; each web
process building its own, and again every five minutes, made the case page slow at a million
cases. The task worker builds it once and writes it to ``SIMILAR_INDEX_DIR`` (default
``DATA_DIR/similar``) as ``<low>-<high>.npz`` (`liaison/nlp/matter_io.py`: plain arrays, written
to a temporary file and renamed into place); the web processes load that file, which costs
milliseconds, and grow their copy with the cases that arrive, as before.

The web processes ask through two empty marker files beside it, so a page view writes nothing
to the database and asking twice is asking once:

- ``<low>-<high>.asked``, touched at every look (at most once per ``HOT_CACHE_SECONDS`` and
  process): the county is being viewed. The worker keeps the files of counties asked within
  ``ASKED_SECONDS``, building a missing one first and rebuilding one older than
  ``REBUILD_SECONDS`` (a case reopened after it closed comes back, closed rows are pruned);
- ``<low>-<high>.stale``, touched when the file cannot serve: unreadable (logged), or further
  behind than a request reads (`similar.DELTA_MAX`). The worker rebuilds when it is newer than
  the file.

The worker's sweeper (`similar_indexes_sweep`, `manage.py worker`) builds one county per call,
so it stops promptly and a failing county does not hold the others; `manage.py similar_index`
builds them by hand. When no county is due, the sweeper deletes the files and markers of
counties nobody has viewed for ``FORGET_SECONDS`` (a week): they would only be rebuilt at the next
view anyway, and they hold what was indexed of cases that have closed since (decision 0050's
addendum).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Max

from liaison.cases.models import OPEN_STATUSES, Case
from liaison.nlp.matter import MAX_ROWS, MatterIndex, reference_space
from liaison.nlp.matter_io import IndexFileError, load_index, save_index

logger = logging.getLogger(__name__)

REBUILD_SECONDS = 300
ASKED_SECONDS = 2 * REBUILD_SECONDS  # a county not viewed for this long is no longer rebuilt
FORGET_SECONDS = 7 * 24 * 3600  # a county not viewed for this long has its files deleted
FAILED_PAUSE_SECONDS = 60  # a county whose build failed waits this long before the next try
MAX_INDEXED = MAX_ROWS

_failed: dict[str, float] = {}  # county low code → when its last build failed (this process)


@dataclass(frozen=True)
class Stamp:
    """Which file a process loaded: a rename makes a new inode, a rewrite a new mtime."""

    mtime_ns: int
    inode: int
    size: int

    @classmethod
    def of(cls, result: os.stat_result) -> Stamp:
        return cls(result.st_mtime_ns, result.st_ino, result.st_size)


@dataclass(frozen=True)
class Loaded:
    index: MatterIndex
    last_pk: int
    stamp: Stamp


@dataclass(frozen=True)
class Built:
    low: str
    rows: int
    size: int  # bytes of the file
    seconds: float


def index_dir() -> Path:
    return Path(getattr(settings, "SIMILAR_INDEX_DIR", Path(settings.DATA_DIR) / "similar"))


def _name(low: str, high: str) -> str:
    return f"{low}-{high}"


def index_path(low: str, high: str) -> Path:
    return index_dir() / f"{_name(low, high)}.npz"


def _marker(low: str, high: str, kind: str) -> Path:
    return index_dir() / f"{_name(low, high)}.{kind}"


def detail_text(content: str, place: str = "") -> str:
    """What is indexed besides the title: the place first (never cut off), then the content."""
    return f"{place}\n{content}" if place else content


def county_rows(low: str, high: str) -> tuple[int, list[tuple[int, str, str]]]:
    """The highest case id, then the county's open cases up to it (newest first, capped): the
    deltas of the web processes start after that id, so nothing created meanwhile is lost."""
    last = Case.objects.aggregate(m=Max("pk"))["m"] or 0
    rows = (
        Case.objects.filter(
            pk__lte=last, region_id__gte=low, region_id__lte=high, status__in=OPEN_STATUSES
        )
        .order_by("-pk")
        .values_list("pk", "title", "content", "place")[:MAX_INDEXED]
    )
    return last, [(pk, title, detail_text(content, place)) for pk, title, content, place in rows]


def _touch(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except OSError:  # a read-only or full disk: the page still answers, without candidates
        logger.warning("could not write the similar-index marker %s", path, exc_info=True)


def county_ask(low: str, high: str, *, stale: bool = False) -> None:
    """Tell the worker the county is viewed (and, when `stale`, that its file cannot serve)."""
    _touch(_marker(low, high, "asked"))
    if stale:
        _touch(_marker(low, high, "stale"))


def file_stamp(low: str, high: str) -> Stamp | None:
    try:
        return Stamp.of(index_path(low, high).stat())
    except FileNotFoundError:
        return None


def county_load(low: str, high: str) -> Loaded | None:
    """The county's index from its file; None when there is none or it is unusable (logged,
    and the worker is asked to rebuild it)."""
    path = index_path(low, high)
    try:
        with path.open("rb") as handle:
            stamp = Stamp.of(os.fstat(handle.fileno()))
            index, meta = load_index(handle)
        if (meta.get("low"), meta.get("high")) != (low, high):
            raise IndexFileError(f"{path.name}: holds {meta.get('low')}-{meta.get('high')}")
        return Loaded(index=index, last_pk=int(meta["last_pk"]), stamp=stamp)
    except FileNotFoundError:
        return None
    except (IndexFileError, OSError, KeyError, TypeError, ValueError):
        logger.warning("similar-case index file %s is unusable; asked again", path, exc_info=True)
        county_ask(low, high, stale=True)
        return None


def county_build(low: str, high: str) -> Built:
    """Build the county's index from the database and write its file (the worker's job)."""
    started = time.perf_counter()
    last, items = county_rows(low, high)
    index = MatterIndex(items, space=reference_space())
    meta = {"low": low, "high": high, "last_pk": last, "rows": len(items), "built": time.time()}
    size = save_index(index_path(low, high), index, meta=meta)
    return Built(low=low, rows=len(items), size=size, seconds=time.perf_counter() - started)


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return None


def _asked() -> Iterable[tuple[str, str, float]]:
    try:
        markers = list(index_dir().glob("*.asked"))
    except OSError:
        return []
    found = []
    for marker in markers:
        bounds, when = _bounds(marker), _mtime(marker)
        if bounds is not None and when is not None:
            found.append((*bounds, when))
    return found


def due_counties(now: float | None = None) -> list[tuple[str, str]]:
    """Counties asked lately whose file is missing, stale or old: the neediest first."""
    now = time.time() if now is None else now
    due: list[tuple[tuple[int, float], str, str]] = []
    for low, high, asked_at in _asked():
        if now - asked_at > ASKED_SECONDS or now - _failed.get(low, -1e18) < FAILED_PAUSE_SECONDS:
            continue
        built_at = _mtime(index_path(low, high))
        stale_at = _mtime(_marker(low, high, "stale"))
        if built_at is None or (stale_at is not None and stale_at >= built_at):
            due.append(((0, 0.0), low, high))  # a page is waiting, or serving an old answer
        elif now - built_at >= REBUILD_SECONDS:
            due.append(((1, built_at), low, high))
    return [(low, high) for _, low, high in sorted(due)]


def _bounds(path: Path) -> tuple[str, str] | None:
    low, _, high = path.stem.partition("-")
    if len(low) == len(high) == 12 and low.isdigit() and high.isdigit():
        return low, high
    return None


def forget_unviewed(now: float | None = None) -> int:
    """Delete the file and markers of every county neither viewed nor built within
    `FORGET_SECONDS` (a file built by hand and never viewed counts from its build). Returns
    how many counties were forgotten. A web process holding the county in memory keeps serving
    it; the next view elsewhere asks the worker again, as for a county never viewed."""
    now = time.time() if now is None else now
    try:
        paths = [p for p in index_dir().iterdir() if p.suffix in {".npz", ".asked", ".stale"}]
    except OSError:
        return 0
    counties = {bounds for bounds in map(_bounds, paths) if bounds is not None}
    forgotten = 0
    for low, high in sorted(counties):
        files = [index_path(low, high), _marker(low, high, "asked"), _marker(low, high, "stale")]
        seen = [when for when in map(_mtime, files[:2]) if when is not None]
        if seen and now - max(seen) < FORGET_SECONDS:
            continue
        for path in files:
            path.unlink(missing_ok=True)
        forgotten += 1
    if forgotten:
        logger.info("similar-case index: forgot %d counties not viewed for a week", forgotten)
    return forgotten


def similar_indexes_sweep() -> int:
    """Build the neediest asked county's file, if any: 1 when one was built (the worker's
    sweeper then calls again at once), else 0, after forgetting counties nobody views."""
    due = due_counties()
    if not due:
        forget_unviewed()
    for low, high in due[:1]:
        try:
            built = county_build(low, high)
        except Exception:  # the database restarting, a full disk: tried again after a pause
            _failed[low] = time.time()
            logger.exception("similar-case index of %s failed; tried again later", low)
            return 0
        _failed.pop(low, None)
        logger.info(
            "similar-case index of %s: %d rows, %d bytes in %.1f s",
            low,
            built.rows,
            built.size,
            built.seconds,
        )
        return 1
    return 0
