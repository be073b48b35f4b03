"""Near-duplicate messages in sub-quadratic time: MinHash signatures with LSH banding.

Text: title + the first ``DETAIL_CHARS`` characters of the detail, normalised like the classifier's
input (``text.normalize``: NFKC, lower case, digit runs → ``0``), then stripped of punctuation and
spaces. Shingles: character 3-grams, packed into integers by ``features.ngram_keys``.

Signature: one-permutation MinHash (Li, Owen & Zhang 2012) with 64 bins. Every shingle is hashed
once (splitmix64); the top 6 bits choose a bin and the low 32 bits are its value; a bin keeps its
minimum (``np.minimum.at``). Empty bins of short texts borrow from the next non-empty bin to the
right
(rotation densification, Shrivastava & Li 2014), so two signatures agree in a bin with probability
equal to the Jaccard similarity of the shingle sets. Cost is one hash per shingle, not one per
shingle and permutation, which is what lets a million messages be indexed on a laptop. Only the low
16 bits of each bin are kept (b-bit MinHash: 128 bytes a message; a chance agreement of 1/65,536
biases the estimate by nothing that matters).

Index: 20 bands of 3 bins. Each band's bins are hashed to a 32-bit key; per band the keys are kept
sorted with the message numbers, so a query is 20 binary searches plus a vectorised comparison of
the candidates' signatures. Two messages become candidates with probability 1 − (1 − J³)²⁰: 0.74 at
Jaccard 0.4, 0.93 at 0.5, 0.99 at 0.6. Keys of very common buckets (templates, boilerplate) are
capped at ``MAX_BUCKET`` newest members, so a query never degenerates into a scan.

Same place (optional, ``places=True``): messages naming the same specific place (``places.py``) are
candidates too, and the similarity of a pair that shares a place is raised by ``PLACE_BONUS`` of
the way to 1 when their texts overlap at all (Jaccard ≥ ``PLACE_MIN_TEXT``) — same compound plus
overlapping wording is the "same matter" staff want to see. Places named by more than 0.2 % of the
index (at least 20 messages: 自来水公司, 人民医院) give no bonus.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .features import ngram_keys
from .places import place_keys
from .text import normalize

BINS = 64
BANDS = 20
ROWS = 3
DETAIL_CHARS = 800
MAX_BUCKET = 2_000
PLACE_BONUS = 0.3
MAX_PLACE_POSTINGS = 500
MIN_COMMON_PLACE = 20
COMMON_PLACE_SHARE = 0.002
PLACE_MIN_TEXT = 0.1
CHUNK = 20_000
DEFAULT_MIN_SIMILARITY = 0.5
_EMPTY = np.uint32(0xFFFFFFFF)
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
# Everything str.isalnum() rejects (\W plus the underscore \w lets through), as one fast C pass.
_NOT_ALNUM = re.compile(r"[\W_]+")

__all__ = ["DuplicateIndex", "Match", "group_duplicates", "shingle_text", "signatures"]


@dataclass(frozen=True)
class Match:
    """An indexed message like the query: `similarity` in [0, 1] (text Jaccard + place bonus)."""

    id: Hashable
    similarity: float
    text_similarity: float = 0.0
    same_place: bool = False


def shingle_text(title: object, detail: object) -> str:
    """The text whose 3-grams are compared: normalised title and detail, word characters only."""
    head = normalize(title, 200)
    body = normalize(detail, DETAIL_CHARS)
    return _NOT_ALNUM.sub("", f"{head}{body}")


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on uint64 (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def signatures(texts: Sequence[str]) -> np.ndarray:
    """(n, BINS) uint32 MinHash signatures; a text with no 3-gram gets a row of 0xFFFFFFFF."""
    n = len(texts)
    flat = np.full(n * BINS, _EMPTY, dtype=np.uint32)
    if n == 0:
        return flat.reshape(0, BINS)
    rows, keys = ngram_keys(texts, 3, 3)
    if len(keys):
        hashed = _mix(keys)
        bins = (hashed >> np.uint64(58)).astype(np.int64)
        values = (hashed & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        np.minimum.at(flat, rows * BINS + bins, values)
    sig = flat.reshape(n, BINS)
    empty = sig == _EMPTY
    todo = empty.any(axis=1) & ~empty.all(axis=1)
    if todo.any():
        part = sig[todo]
        source = part.copy()
        with np.errstate(over="ignore"):
            for step in range(1, BINS):
                holes = part == _EMPTY
                if not holes.any():
                    break
                rolled = np.roll(source, -step, axis=1)
                take = holes & (rolled != _EMPTY)
                part[take] = rolled[take] + np.uint32(step * 0x9E3779B1 & 0xFFFFFFFF)
        sig[todo] = part
    return sig


def band_keys(sig: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint32 bucket keys, one per band of ROWS bins."""
    parts = sig[:, : BANDS * ROWS].astype(np.uint64).reshape(len(sig), BANDS, ROWS)
    with np.errstate(over="ignore"):
        combined = np.zeros((len(sig), BANDS), dtype=np.uint64)
        for r in range(ROWS):
            combined = _mix(combined * np.uint64(0x100000001B3) + parts[:, :, r])
        combined += np.arange(BANDS, dtype=np.uint64)  # the same bins in two bands differ
    return (_mix(combined) >> np.uint64(32)).astype(np.uint32)


def _chunks(
    items: Iterable[tuple[Hashable, object, object]],
) -> Iterator[list[tuple[Hashable, object, object]]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


class DuplicateIndex:
    """Messages indexed for near-duplicate queries; `build` once, `add` more, `query` many times."""

    def __init__(self, *, places: bool = False) -> None:
        self.use_places = places
        self._ids: list[Hashable] = []
        self._sig16 = np.zeros((0, BINS), dtype=np.uint16)
        self._pending_sig: list[np.ndarray] = []
        self._sorted_keys = [np.zeros(0, dtype=np.uint32) for _ in range(BANDS)]
        self._sorted_rows = [np.zeros(0, dtype=np.int32) for _ in range(BANDS)]
        self._pending_keys: list[np.ndarray] = []
        self._pending_rows: list[np.ndarray] = []
        self._pending_count = 0
        self._postings: dict[str, list[int]] = {}
        self._place_of: dict[int, tuple[str, ...]] = {}

    @classmethod
    def build(
        cls, items: Iterable[tuple[Hashable, object, object]], *, places: bool = False
    ) -> DuplicateIndex:
        """An index of (id, title, detail) items, read in chunks (a generator is fine)."""
        index = cls(places=places)
        for chunk in _chunks(items):
            index._add_chunk(chunk)
        index._seal()
        return index

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, id: Hashable, title: object, detail: object) -> None:
        """Index one more message (kept in a small unsorted part until it grows)."""
        self._add_chunk([(id, title, detail)])
        if self._pending_count > max(20_000, len(self._ids) // 10):
            self._seal()

    def _add_chunk(self, chunk: list[tuple[Hashable, object, object]]) -> None:
        start = len(self._ids)
        sig = signatures([shingle_text(title, detail) for _, title, detail in chunk])
        valid = np.flatnonzero(sig[:, 0] != _EMPTY)
        self._ids.extend(item[0] for item in chunk)
        self._pending_sig.append((sig & 0xFFFF).astype(np.uint16))
        if len(valid):
            self._pending_keys.append(band_keys(sig[valid]))
            self._pending_rows.append((valid + start).astype(np.int32))
            self._pending_count += len(valid)
        if self.use_places:
            for offset, (_, title, detail) in enumerate(chunk):
                keys = tuple(place_keys(title, detail))
                if keys:
                    self._place_of[start + offset] = keys
                for key in keys:
                    self._postings.setdefault(key, []).append(start + offset)

    def _seal(self) -> None:
        """Merge the pending part into the sorted band arrays."""
        if self._pending_sig:
            self._sig16 = np.concatenate([self._sig16, *self._pending_sig])
            self._pending_sig = []
        if not self._pending_keys:
            return
        new_keys = np.concatenate(self._pending_keys)
        new_rows = np.concatenate(self._pending_rows)
        for band in range(BANDS):
            keys = np.concatenate([self._sorted_keys[band], new_keys[:, band]])
            rows = np.concatenate([self._sorted_rows[band], new_rows])
            order = np.argsort(keys, kind="stable")
            self._sorted_keys[band], self._sorted_rows[band] = keys[order], rows[order]
        self._pending_keys, self._pending_rows, self._pending_count = [], [], 0

    def _signature_rows(self, rows: np.ndarray) -> np.ndarray:
        if self._pending_sig:
            self._sig16 = np.concatenate([self._sig16, *self._pending_sig])
            self._pending_sig = []
        signatures: np.ndarray = self._sig16[rows]
        return signatures

    def _candidates(self, keys: np.ndarray) -> np.ndarray:
        found: list[np.ndarray] = []
        for band in range(BANDS):
            sorted_keys = self._sorted_keys[band]
            low = int(np.searchsorted(sorted_keys, keys[band], side="left"))
            high = int(np.searchsorted(sorted_keys, keys[band], side="right"))
            if high > low:
                found.append(self._sorted_rows[band][max(low, high - MAX_BUCKET) : high])
        for pending_keys, pending_rows in zip(self._pending_keys, self._pending_rows, strict=True):
            hits = (pending_keys == keys).any(axis=1)
            found.append(pending_rows[hits])
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int32)

    def query(
        self,
        title: object,
        detail: object,
        k: int = 5,
        min_similarity: float = DEFAULT_MIN_SIMILARITY,
        exclude: Iterable[Hashable] = (),
    ) -> list[Match]:
        """The `k` indexed messages most like (title, detail) with similarity ≥ `min_similarity`."""
        sig = signatures([shingle_text(title, detail)])
        rows = self._candidates(band_keys(sig)[0]) if sig[0, 0] != _EMPTY else np.zeros(0)
        rows = rows.astype(np.int64)
        query_places = set(place_keys(title, detail)) if self.use_places else set()
        # A place named by many messages (自来水公司, 人民医院) says little about the matter.
        common = max(MIN_COMMON_PLACE, int(len(self._ids) * COMMON_PLACE_SHARE))
        query_places = {key for key in query_places if len(self._postings.get(key, ())) <= common}
        if query_places:
            extra = [
                row
                for key in query_places
                for row in self._postings.get(key, [])[-MAX_PLACE_POSTINGS:]
            ]
            rows = np.unique(np.concatenate([rows, np.asarray(extra, dtype=np.int64)]))
        if len(rows) == 0:
            return []
        if sig[0, 0] == _EMPTY:
            text_sim = np.zeros(len(rows))
        else:
            query16 = (sig[0] & 0xFFFF).astype(np.uint16)
            text_sim = (self._signature_rows(rows) == query16).mean(axis=1)
        same = np.array(
            [bool(query_places.intersection(self._place_of.get(int(r), ()))) for r in rows]
            if query_places
            else np.zeros(len(rows), dtype=bool),
            dtype=bool,
        )
        same &= text_sim >= PLACE_MIN_TEXT
        score = np.where(same, text_sim + PLACE_BONUS * (1.0 - text_sim), text_sim)
        excluded = set(exclude)
        order = np.argsort(-score, kind="stable")
        matches: list[Match] = []
        for position in order:
            if score[position] < min_similarity or len(matches) >= k:
                break
            item_id = self._ids[int(rows[position])]
            if item_id in excluded:
                continue
            matches.append(
                Match(
                    id=item_id,
                    similarity=round(float(score[position]), 4),
                    text_similarity=round(float(text_sim[position]), 4),
                    same_place=bool(same[position]),
                )
            )
        return matches


def unpack_pairs(packed: np.ndarray, n: int) -> np.ndarray:
    """(m, 2) int32 pairs from unique `i * n + j` codes (int32 halves the memory of int64)."""
    if len(packed) == 0:
        return np.zeros((0, 2), dtype=np.int32)
    pairs = np.empty((len(packed), 2), dtype=np.int32)
    np.floor_divide(packed, n, out=pairs[:, 0], casting="unsafe")
    np.remainder(packed, n, out=pairs[:, 1], casting="unsafe")
    return pairs


def candidate_pairs(sig: np.ndarray, window: int = 24) -> np.ndarray:
    """(m, 2) pairs i < j sharing an LSH bucket (each member vs its next `window` in the band)."""
    valid = np.flatnonzero(sig[:, 0] != _EMPTY)
    if len(valid) < 2:
        return np.zeros((0, 2), dtype=np.int32)
    keys = band_keys(sig[valid])
    packed: list[np.ndarray] = []
    n = len(sig)
    for band in range(BANDS):
        order = np.argsort(keys[:, band], kind="stable")
        sorted_keys = keys[order, band]
        rows = valid[order]
        for step in range(1, min(window, len(rows) - 1) + 1):
            same = np.flatnonzero(sorted_keys[:-step] == sorted_keys[step:])
            if len(same) == 0:
                break
            a, b = rows[same], rows[same + step]
            packed.append(np.minimum(a, b) * n + np.maximum(a, b))
    if not packed:
        return np.zeros((0, 2), dtype=np.int32)
    return unpack_pairs(np.unique(np.concatenate(packed)), n)


def pair_similarity(sig: np.ndarray, pairs: np.ndarray, chunk: int = 50_000) -> np.ndarray:
    """Estimated Jaccard similarity of each pair's shingle sets."""
    out = np.empty(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        out[start : start + chunk] = (sig[part[:, 0]] == sig[part[:, 1]]).mean(axis=1)
    return out


def components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Connected-component label of each of `n` nodes under the edges `pairs`."""
    graph = sparse.coo_matrix(
        (np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n)
    )
    labels: np.ndarray = connected_components(graph, directed=False)[1]
    return labels


def group_duplicates(
    items: Iterable[tuple[Hashable, object, object]],
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
) -> list[list[Hashable]]:
    """Groups (size ≥ 2) of near-duplicate messages, largest first, ids in input order."""
    ids: list[Hashable] = []
    parts: list[np.ndarray] = []
    for chunk in _chunks(items):
        ids.extend(item[0] for item in chunk)
        parts.append(signatures([shingle_text(title, detail) for _, title, detail in chunk]))
    if len(ids) < 2:
        return []
    sig = np.concatenate(parts)
    pairs = candidate_pairs(sig)
    pairs = pairs[pair_similarity(sig, pairs) >= min_similarity]
    labels = components(len(ids), pairs)
    members: dict[int, list[int]] = {}
    for row in np.unique(pairs):
        members.setdefault(int(labels[row]), []).append(int(row))
    groups = [sorted(rows) for rows in members.values() if len(rows) >= 2]
    groups.sort(key=lambda rows: (-len(rows), rows[0]))
    return [[ids[row] for row in rows] for rows in groups]
