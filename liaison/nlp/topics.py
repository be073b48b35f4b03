"""Hot topics: groups of messages about the same concrete matter, ranked by a heat index.

A topic is a named place plus a problem ("A市A3区枫林小区 噪音扰民"), or a matter re-posted by many.
Messages are linked when (all candidate pairs come from indexes, never from all pairs):

1. near-duplicates: their MinHash signatures (``duplicates.py``) share an LSH bucket and the
   estimated Jaccard similarity of their 3-gram sets is ≥ ``DUPLICATE_JACCARD`` (0.5); when both
   name specific places and share none ("A小区噪音" vs "B小区噪音" from one template) the bar is
   ``CONFLICT_JACCARD`` (0.85);
2. same place, same problem: they name the same specific place (compound, school, village,
   hospital, market, firm, park — ``places.py``) or the same road, and the cosine of their
   "problem" vectors (bigram TF-IDF with the place names cut out, ``topics_text.py``) is ≥
   ``PLACE_COSINE`` (0.3). Places named by more than ``MAX_PLACE_GROUP`` messages of the input
   are too generic to link anything;
3. same wording without a place: an LSH candidate pair with problem cosine ≥ ``TEXT_COSINE`` (0.6).
   In a small input (≤ ``SMALL_INPUT`` messages: a county's month) every pair is a candidate, not
   only LSH ones: reworded messages share too few 3-grams to meet in a bucket; pairs naming
   different places of one sort (two roads, two compounds) are left out.

The IDF of the problem vectors: in a small input the reference IDF (``matter.reference_space``,
fitted on real messages) when the shipped model is there; a few dozen cases cannot estimate one.
Roads count as places because a county's or station's cases are the input on the platform: there
"人民路" names one road (on the province-wide sample data some road names recur across cities, so
the cosine bar still has to be met).

Topics are the connected components of these links with at least two messages.

Heat (documented in docs/insights-hot-topics.md too)::

    heat = 10 × ln(1 + P) × (1 + 0.25 × ln D) × (1 + 0.2 × ln(1 + S)) × R

- ``P`` people affected: distinct submitters where the user is known, plus one per message
  without a known user (a campaign re-posted by one person counts once);
- ``D`` distinct days with a message (1 without dates): a matter raised again and again over weeks
  outweighs one afternoon's burst;
- ``S`` support: Σ likes − Σ dislikes, floored at 0 (0 when unknown);
- ``R`` recency: 0.5 + 0.5 × 2^(−age / 14), ``age`` = days from the topic's last message to the
  reference day (the latest date in the input, or the day given), so a topic fades to half weight
  but never disappears; 1 when the input has no dates at all, 0.5 for an undated topic of a dated
  input (it cannot be shown to be recent).

Ranking: heat, then size, then the earliest message id. Heat is rounded to two decimals.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from scipy import sparse

from .duplicates import (
    BINS,
    candidate_pairs,
    components,
    pair_similarity,
    shingle_text,
    signatures,
    unpack_pairs,
)
from .features import NgramSpace
from .matter import places_conflict, reference_space
from .places import extract_places
from .topics_text import KeywordScorer, pair_cosine, problem_vectors

DUPLICATE_JACCARD = 0.5
CONFLICT_JACCARD = 0.85
PLACE_COSINE = 0.3
TEXT_COSINE = 0.6
MAX_PLACE_GROUP = 400
RECENCY_HALF_LIFE_DAYS = 14.0
SIGNATURE_CHUNK = 2_000
SMALL_INPUT = 2_000
LINK_KINDS = frozenset({"compound", "school", "hospital", "village", "market", "company", "park"})


@dataclass(frozen=True)
class Message:
    """One message as the topic finder reads it; everything but the id may be missing."""

    id: Hashable
    title: str = ""
    detail: str = ""
    submitted_at: datetime | date | None = None
    likes: int | None = None
    dislikes: int | None = None
    user: str | None = None


@dataclass
class Topic:
    rank: int
    heat: float
    label: str
    places: list[str]
    keywords: list[str]
    people: int
    start: date | None
    end: date | None
    size: int
    message_ids: list[Hashable] = field(default_factory=list)

    @property
    def place(self) -> str:
        return "；".join(self.places)


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def heat_index(*, people: int, days: int, support: int, age_days: float | None) -> float:
    """The documented heat formula (see the module docstring)."""
    recency = 1.0 if age_days is None else 0.5 + 0.5 * 2 ** (-max(age_days, 0.0) / 14.0)
    value = (
        10.0
        * math.log1p(people)
        * (1.0 + 0.25 * math.log(max(days, 1)))
        * (1.0 + 0.2 * math.log1p(max(support, 0)))
        * recency
    )
    return round(value, 2)


def _place_info(
    messages: Sequence[Message],
) -> tuple[list[list[str]], dict[str, str], list[frozenset[str]]]:
    """Place keys per message (specific places and roads), the fullest label seen for each key,
    and each message's places as `matter.places_conflict` reads them (roads marked "路:")."""
    keys: list[list[str]] = []
    sorts: list[frozenset[str]] = []
    labels: dict[str, Counter[str]] = {}
    for message in messages:
        found: list[str] = []
        marked: set[str] = set()
        for text in (message.title, message.detail):
            for place in extract_places(text):
                if place.kind != "road" and not place.is_specific:
                    continue
                marked.add(f"路:{place.key}" if place.kind == "road" else place.key)
                if place.key not in found:
                    found.append(place.key)
                    labels.setdefault(place.key, Counter())[place.label] += 1
        keys.append(found)
        sorts.append(frozenset(marked))
    best = {
        key: max(counter.items(), key=lambda item: (len(item[0]) > len(key), item[1]))[0]
        for key, counter in labels.items()
    }
    return keys, best, sorts


def _place_pairs(place_keys: list[list[str]]) -> np.ndarray:
    postings: dict[str, list[int]] = {}
    for row, keys in enumerate(place_keys):
        for key in keys:
            postings.setdefault(key, []).append(row)
    n = len(place_keys)
    packed: list[np.ndarray] = []
    for rows in postings.values():
        if 2 <= len(rows) <= MAX_PLACE_GROUP:
            members = np.asarray(rows, dtype=np.int64)
            a, b = np.triu_indices(len(members), k=1)
            packed.append(members[a] * n + members[b])
    if not packed:
        return np.zeros((0, 2), dtype=np.int32)
    return unpack_pairs(np.unique(np.concatenate(packed)), n)


def _signatures(messages: Sequence[Message]) -> np.ndarray:
    """MinHash rows, shingled a chunk at a time so the n-gram arrays of one chunk are all that
    is ever held (the whole input's would be several hundred megabytes)."""
    sig = np.empty((len(messages), BINS), dtype=np.uint32)
    for start in range(0, len(messages), SIGNATURE_CHUNK):
        part = messages[start : start + SIGNATURE_CHUNK]
        sig[start : start + len(part)] = signatures([shingle_text(m.title, m.detail) for m in part])
    return sig


def _all_similar_pairs(vectors: sparse.csr_matrix, bar: float) -> np.ndarray:
    """(m, 2) pairs i < j whose rows' cosine is ≥ `bar` (small inputs only: one sparse product)."""
    product = sparse.triu(vectors @ vectors.T, k=1, format="coo")
    keep = product.data >= bar
    return np.stack([product.row[keep], product.col[keep]], axis=1).astype(np.int32)


def _links(
    messages: Sequence[Message],
    place_keys: list[list[str]],
    place_sorts: list[frozenset[str]],
    space: NgramSpace | None,
) -> np.ndarray:
    """Edges (i, j) of the topic graph, int32."""
    sig = _signatures(messages)
    lsh = candidate_pairs(sig)
    jaccard = pair_similarity(sig, lsh)
    del sig
    place_sets = [frozenset(k for k in keys if not k.startswith("路:")) for keys in place_sorts]
    conflict = np.fromiter(
        (
            bool(place_sets[i]) and bool(place_sets[j]) and not (place_sets[i] & place_sets[j])
            for i, j in lsh.tolist()
        ),
        dtype=bool,
        count=len(lsh),
    )
    del place_sets
    near = jaccard >= np.where(conflict, CONFLICT_JACCARD, DUPLICATE_JACCARD)
    by_place = _place_pairs(place_keys)
    unsure = lsh[~near & ~conflict & (jaccard >= 0.2)]
    to_check = np.concatenate([by_place, unsure])
    edges = [lsh[near]]
    del lsh, jaccard, conflict, near
    small = len(messages) <= SMALL_INPUT
    if len(to_check) or small:
        vectors = problem_vectors(
            [m.title for m in messages], [m.detail for m in messages], place_keys, space
        )
        cosine = pair_cosine(vectors, to_check)
        bar = np.concatenate(
            [np.full(len(by_place), PLACE_COSINE), np.full(len(unsure), TEXT_COSINE)]
        )
        edges.append(to_check[cosine >= bar])
        if small:
            similar = _all_similar_pairs(vectors, TEXT_COSINE)
            apart = np.fromiter(
                (places_conflict(place_sorts[i], place_sorts[j]) for i, j in similar.tolist()),
                dtype=bool,
                count=len(similar),
            )
            edges.append(similar[~apart])
        del vectors
    valid = np.concatenate(edges)
    kept: np.ndarray = valid[valid[:, 0] != valid[:, 1]]
    return kept


def find_topics(
    messages: Sequence[Message], *, top: int | None = None, today: date | None = None
) -> list[Topic]:
    """Topics (≥ 2 messages) of `messages`, hottest first; `top` keeps only the first ones."""
    if len(messages) < 2:
        return []
    place_keys, place_labels, place_sorts = _place_info(messages)
    small = len(messages) <= SMALL_INPUT
    edges = _links(messages, place_keys, place_sorts, reference_space() if small else None)
    if len(edges) == 0:
        return []
    labels = components(len(messages), edges)
    members: dict[int, list[int]] = {}
    for row in np.unique(edges):
        members.setdefault(int(labels[row]), []).append(int(row))
    groups = [rows for rows in members.values() if len(rows) >= 2]
    days = [_day(m.submitted_at) for m in messages]
    known = [d for d in days if d is not None]
    reference = today or (max(known) if known else None)
    scored = [(_score(rows, messages, days, reference), rows) for rows in groups]
    scored.sort(key=lambda item: (-item[0], -len(item[1]), min(item[1])))
    if top is not None:
        scored = scored[: max(top, 0)]
    scorer = KeywordScorer([m.title or m.detail[:60] for m in messages])
    return [
        _topic(rank, heat, rows, messages, days, place_keys, place_labels, scorer)
        for rank, (heat, rows) in enumerate(scored, start=1)
    ]


def _people(rows: list[int], messages: Sequence[Message]) -> int:
    users = {messages[r].user for r in rows if messages[r].user}
    return len(users) + sum(1 for r in rows if not messages[r].user)


def _score(
    rows: list[int], messages: Sequence[Message], days: list[date | None], reference: date | None
) -> float:
    dated = {d for r in rows if (d := days[r]) is not None}
    support = sum(messages[r].likes or 0 for r in rows) - sum(
        messages[r].dislikes or 0 for r in rows
    )
    age: float | None = None
    if reference is not None:
        # Undated topics in a dated input get the floor (age ∞ → R = 0.5): without it, half of
        # a partly dated input (the real data) outranked every dated topic at R = 1.
        age = float((reference - max(dated)).days) if dated else math.inf
    return heat_index(
        people=_people(rows, messages), days=len(dated) or 1, support=support, age_days=age
    )


def _topic(
    rank: int,
    heat: float,
    rows: list[int],
    messages: Sequence[Message],
    days: list[date | None],
    place_keys: list[list[str]],
    place_labels: dict[str, str],
    scorer: KeywordScorer,
) -> Topic:
    rows = sorted(rows)
    counts = Counter(key for r in rows for key in place_keys[r])
    shared = [key for key, count in counts.most_common(3) if count >= max(2, len(rows) * 0.3)]
    places = [place_labels[key] for key in shared]
    sample = [messages[r].title or messages[r].detail[:60] for r in rows[:50]]
    keywords = scorer.keywords(sample, shared)
    # The place as written plus the clause the titles share ("A3区枫林小区 夜间施工噪音扰民");
    # the keywords only when no clause is shared.
    problem = scorer.phrase(sample, [*places, *shared]) or " ".join(keywords)
    label = " ".join(part for part in (places[0] if places else "", problem) if part)
    dated = [d for r in rows if (d := days[r]) is not None]
    return Topic(
        rank=rank,
        heat=heat,
        label=label or (messages[rows[0]].title[:30] or str(messages[rows[0]].id)),
        places=places,
        keywords=keywords,
        people=_people(rows, messages),
        start=min(dated) if dated else None,
        end=max(dated) if dated else None,
        size=len(rows),
        message_ids=[messages[r].id for r in rows],
    )


__all__ = ["Message", "Topic", "find_topics", "heat_index"]
