"""Near-duplicate groups, so cross-validation never tests on a re-post of a training message.

Two messages fall in one group when their normalised titles match, or when the first 60 characters
of their normalised details match (campaign re-posts and copied complaints); groups are closed
under both links (union-find). Keys shorter than 6 characters are ignored ("咨询", "投诉" …).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]")
MIN_KEY = 6
DETAIL_PREFIX = 60


def _key(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "").lower())


def near_duplicate_groups(texts: Sequence[tuple[str, str]]) -> list[int]:
    """A group number for each (title, detail); equal numbers mean near-duplicates."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_seen: dict[tuple[str, str], int] = {}
    for index, (title, detail) in enumerate(texts):
        for kind, key in (("t", _key(title)), ("d", _key(detail)[:DETAIL_PREFIX])):
            if len(key) < MIN_KEY:
                continue
            other = first_seen.setdefault((kind, key), index)
            if other != index:
                parent[find(index)] = find(other)
    return [find(i) for i in range(len(texts))]
