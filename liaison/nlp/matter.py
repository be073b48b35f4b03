"""Same matter or not, for the duplicate hint at intake and on the case page (疑似重复).

Why not the MinHash index of ``duplicates.py``: it estimates the Jaccard similarity of character
3-gram sets, which is right for re-posts and campaign copies but far too strict for two people
describing one problem in their own words. "人民路人行道地砖松动，下雨天踩上去溅水" and "人民路
步行街人行道上的地砖很多松动了，雨天一踩就溅一身泥水" share few 3-grams (Jaccard ≈ 0.09, below
every threshold), so the hint stayed silent on an obvious duplicate at the same station. The
place bonus did not help either: roads were not places, and the bonus needed Jaccard ≥ 0.1.

What is compared instead (measured in docs/insights-duplicates.md):

- **text**: cosine of character-bigram TF-IDF vectors (title + the first ``DETAIL_CHARS``
  characters, normalised like the classifier's input). The IDF is a *reference* one — the bigram
  part of the shipped classifier's vocabulary, fitted on 7,500 real messages — because a county's
  few open cases give an IDF that weighs "尽快" like "地砖". Without a model the index fits its own.
  Every indexed case is compared (a sparse product: the open cases of one county are few
  thousand, capped at ``MAX_ROWS``), so no paraphrase is lost to candidate selection;
- **same place**: both name the same compound, school, village … *or road* (``places.py``);
  inside one county a road name says where, and "same road, same problem" is the commonest
  duplicate staff meet. The text similarity is raised ``PLACE_BONUS`` of the way to 1 when the
  texts overlap at all (≥ ``PLACE_MIN_TEXT``). Places named by many indexed cases give no bonus;
- **different places**: both name roads, or both name compounds/schools/…, and share none
  ("芙蓉路地砖松动" vs "人民路地砖松动"): one template about two places is two matters, so the
  text similarity is scaled by ``CONFLICT_FACTOR``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .features import BITS, NgramSpace
from .places import extract_places
from .text import normalize

DETAIL_CHARS = 800
MAX_ROWS = 20_000
PLACE_BONUS = 0.3
PLACE_MIN_TEXT = 0.25
CONFLICT_FACTOR = 0.5
MIN_COMMON_PLACE = 20
COMMON_PLACE_SHARE = 0.002
DEFAULT_MIN_SIMILARITY = 0.4
PLACE_KINDS = frozenset(
    {"compound", "school", "hospital", "village", "market", "company", "park", "road"}
)

__all__ = [
    "MatterIndex",
    "MatterMatch",
    "bigram_space",
    "matter_places",
    "matter_text",
    "places_conflict",
    "reference_space",
]
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MatterMatch:
    """An indexed case like the query: `similarity` in [0, 1], with the reasons for it."""

    id: Hashable
    similarity: float
    text_similarity: float
    same_place: bool
    other_place: bool


def matter_text(title: object, detail: object) -> str:
    """The normalised text that is vectorised: title, then the start of the detail."""
    return f"{normalize(title, 200)} {normalize(detail, DETAIL_CHARS)}".strip()


def matter_places(title: object, detail: object) -> frozenset[str]:
    """Matching keys of the places (specific ones and roads, not areas) a message names; a
    road's key starts with "路:" so that the conflict test can tell roads from the rest."""
    found: set[str] = set()
    for text in (title, detail):
        found.update(
            f"路:{p.key}" if p.kind == "road" else p.key
            for p in extract_places(text)
            if p.kind in PLACE_KINDS
        )
    return frozenset(found)


def places_conflict(one: frozenset[str], other: frozenset[str]) -> bool:
    """Both name places of one sort (roads, or compounds/schools/…) and share none of them.

    A road and a compound are no conflict: the compound may well stand on the road."""
    if one & other:
        return False
    roads = [{k for k in keys if k.startswith("路:")} for keys in (one, other)]
    rest = [keys - road for keys, road in zip((one, other), roads, strict=True)]
    return bool(roads[0] and roads[1]) or bool(rest[0] and rest[1])


def bigram_space(space: NgramSpace) -> NgramSpace:
    """The character-bigram part of a fitted 1–3-gram vocabulary, with its IDF."""
    low, high = np.int64(1) << BITS, np.int64(1) << (2 * BITS)
    keep = (space.keys >= low) & (space.keys < high)
    return NgramSpace(n_min=2, n_max=2, keys=space.keys[keep], idf=space.idf[keep])


@functools.cache
def reference_space() -> NgramSpace | None:
    """The bigram IDF of the shipped classifier (fitted on real messages), or None without one."""
    try:
        from .classifier import load_classifier

        return bigram_space(load_classifier().body_space)
    except Exception:  # no model file: callers fit an IDF on their own input
        logger.warning("no reference IDF: the classifier could not be loaded", exc_info=True)
        return None


class MatterIndex:
    """Cases indexed for "same matter" queries: built once, grown by `add`, queried many times.

    A query reads only what the query text touches: the columns of its bigrams in column-major
    blocks (a few thousand stored weights, not every indexed row) and the rows naming its places
    from an inverted index. The staff case page asks on every view, at up to ``MAX_ROWS`` rows.
    Rows added later go into small blocks of their own (the reference IDF is fixed, so a row's
    vector does not depend on the others); the blocks after the first are merged when there are
    more than ``MAX_BLOCKS``.
    """

    MAX_BLOCKS = 8

    def __init__(
        self,
        items: Iterable[tuple[Hashable, object, object]],
        *,
        space: NgramSpace | None = None,
    ) -> None:
        rows = list(items)[:MAX_ROWS]
        texts = [matter_text(title, detail) for _, title, detail in rows]
        if space is None or space.size == 0:
            # Without a model the IDF is fitted on the first rows and kept for those added.
            space = NgramSpace(n_min=2, n_max=2)
            space.fit(texts, min_df=1)
        self._start(space)
        self._add(rows, texts)

    def _start(self, space: NgramSpace) -> None:
        self._space = space
        self._ids: list[Hashable] = []
        self._blocks: list[sparse.csc_matrix] = []
        self._places: list[frozenset[str]] = []
        self._rows_of: dict[str, list[int]] = {}
        self._common: frozenset[str] = frozenset()
        # Rows naming a road, or another specific place, that is not common.
        self._road = np.zeros(0, dtype=bool)
        self._rest = np.zeros(0, dtype=bool)

    @classmethod
    def restored(
        cls,
        *,
        space: NgramSpace,
        ids: Sequence[Hashable],
        vectors: sparse.spmatrix | sparse.sparray,
        places: Sequence[frozenset[str]],
    ) -> MatterIndex:
        """An index from the parts another one gave (`parts`), without vectorising any text:
        the common places and the conflict flags are derived again, as a build derives them."""
        if not len(ids) == vectors.shape[0] == len(places):
            raise ValueError("ids, vectors and places disagree on the number of rows")
        if vectors.shape[1] != space.size:
            raise ValueError("the vectors were made in another n-gram space")
        index = cls.__new__(cls)
        index._start(space)
        if len(ids):
            index._append(list(ids), sparse.csc_matrix(vectors), list(places))
        return index

    def parts(
        self,
    ) -> tuple[NgramSpace, list[Hashable], sparse.csc_matrix, list[frozenset[str]]]:
        """What `restored` needs: the space, the ids, every row's vector and places, in order."""
        if not self._blocks:
            vectors = sparse.csc_matrix((0, self._space.size), dtype=np.float32)
        elif len(self._blocks) == 1:
            vectors = self._blocks[0]
        else:
            vectors = sparse.vstack(self._blocks, format="csc")
        return self._space, list(self._ids), vectors, list(self._places)

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, items: Iterable[tuple[Hashable, object, object]]) -> None:
        """Index more rows (say, the cases that arrived since the index was built)."""
        rows = list(items)
        self._add(rows, [matter_text(title, detail) for _, title, detail in rows])

    def _add(self, rows: list[tuple[Hashable, object, object]], texts: list[str]) -> None:
        if not rows:
            return
        self._append(
            [item[0] for item in rows],
            self._space.transform(texts).tocsc(),
            [matter_places(title, detail) for _, title, detail in rows],
        )

    def _append(
        self, ids: list[Hashable], block: sparse.csc_matrix, places: list[frozenset[str]]
    ) -> None:
        start = len(self._ids)
        self._ids.extend(ids)
        self._blocks.append(block)
        if len(self._blocks) > self.MAX_BLOCKS:
            self._blocks[1:] = [sparse.vstack(self._blocks[1:], format="csc")]
        for offset, keys in enumerate(places):
            self._places.append(keys)
            for key in keys:
                self._rows_of.setdefault(key, []).append(start + offset)
        # A place many cases name (人民医院, a county's main road) says little about the matter.
        limit = max(MIN_COMMON_PLACE, int(len(self._ids) * COMMON_PLACE_SHARE))
        common = frozenset(key for key, found in self._rows_of.items() if len(found) > limit)
        if common != self._common or start == 0:
            self._common = common
            self._road = np.zeros(len(self._ids), dtype=bool)
            self._rest = np.zeros(len(self._ids), dtype=bool)
            for key, found in self._rows_of.items():
                if key not in common:
                    (self._road if key.startswith("路:") else self._rest)[found] = True
            return
        road = [any(k.startswith("路:") for k in keys - common) for keys in self._places[start:]]
        rest = [
            any(not k.startswith("路:") for k in keys - common) for keys in self._places[start:]
        ]
        self._road = np.concatenate([self._road, np.array(road, dtype=bool)])
        self._rest = np.concatenate([self._rest, np.array(rest, dtype=bool)])

    def query(
        self,
        title: object,
        detail: object,
        *,
        k: int = 5,
        min_similarity: float = DEFAULT_MIN_SIMILARITY,
        exclude: Sequence[Hashable] = (),
    ) -> list[MatterMatch]:
        """The `k` indexed cases most like (title, detail) with similarity ≥ `min_similarity`."""
        if not self._ids:
            return []
        vector = self._space.transform([matter_text(title, detail)])
        columns, weights = vector.indices, vector.data
        text = np.concatenate([block[:, columns] @ weights for block in self._blocks])
        text = text.clip(0.0, 1.0)
        places = matter_places(title, detail) - self._common
        same = np.zeros(len(self._ids), dtype=bool)
        other = np.zeros(len(self._ids), dtype=bool)
        if places:
            for key in places:
                found = self._rows_of.get(key)
                if found:
                    same[found] = True
            # Both name roads, or both name other places, and share none (`places_conflict`).
            if any(key.startswith("路:") for key in places):
                other |= self._road
            if any(not key.startswith("路:") for key in places):
                other |= self._rest
            other &= ~same
        same &= text >= PLACE_MIN_TEXT
        score = np.where(same, text + PLACE_BONUS * (1.0 - text), text)
        score = np.where(other, text * CONFLICT_FACTOR, score)
        candidates = np.flatnonzero(score >= min_similarity)
        excluded = set(exclude)
        matches: list[MatterMatch] = []
        for row in candidates[np.argsort(-score[candidates], kind="stable")]:
            if len(matches) >= k:
                break
            if self._ids[row] in excluded:
                continue
            matches.append(
                MatterMatch(
                    id=self._ids[row],
                    similarity=round(float(score[row]), 4),
                    text_similarity=round(float(text[row]), 4),
                    same_place=bool(same[row]),
                    other_place=bool(other[row]),
                )
            )
        return matches
