"""Reads of grids, posts and assignments, scoped for staff; the post's work-log hook."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from liaison.grids.models import Post

# --- a post's work log -------------------------------------------------------------------------
# A post's work log is the duty activities of its kind, which the activities app (above grids)
# owns. It hands in, from its AppConfig.ready, how to read them: `fn(post, limit)` gives the number
# of entries and the `limit` most recent. Without it (no activities app) a post has no work log.


@dataclass(frozen=True)
class WorkLogRow:
    date: datetime.date
    title: str
    kind: str  # the label shown to people, e.g. "安全巡查"
    url: str = ""


@dataclass(frozen=True)
class PostWorkLog:
    count: int = 0
    rows: list[WorkLogRow] = field(default_factory=list)


PostWorkLogProvider = Callable[[Post, int], PostWorkLog]
_post_work_log: PostWorkLogProvider | None = None


def post_work_log_provider_set(fn: PostWorkLogProvider | None) -> None:
    """Register how to read a post's work log (None removes it, for tests)."""
    global _post_work_log
    _post_work_log = fn


def post_work_log(post: Post, *, limit: int = 10) -> PostWorkLog:
    """The post's work log: its number of entries and the latest `limit` (empty if no provider)."""
    if _post_work_log is None:
        return PostWorkLog()
    return _post_work_log(post, limit)
