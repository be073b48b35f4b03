"""Text helpers of the hot-topic finder: "problem" TF-IDF vectors and readable keywords.

Problem vectors: character bigrams of title + the first ``PROBLEM_CHARS`` characters of the detail,
with every named place cut out, hashed into 2²⁰ columns (no vocabulary to fit), sublinear TF × IDF,
unit rows. Two messages about one compound but different problems share the compound's name; cut
out, the cosine measures the problem alone.

Label phrase (``KeywordScorer.phrase``): the clause of one title, as written, that shares the
most IDF-weighted bigrams with the topic's other titles — a person's words, so not cut inside a
word. Keywords (the fallback): the 2–4-character substrings found in the most titles of a topic,
weighted by their rarity in the whole input (IDF over at most ``IDF_SAMPLE`` titles), without the
place names and a short list of words every message uses (请求, 问题, 反映 …). No word segmenter is
loaded: jieba costs seconds to start.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse

from .duplicates import _mix
from .features import NgramSpace, ngram_keys
from .text import as_text, normalize

HASH_BITS = 20
TITLE_CHARS = 200
PROBLEM_CHARS = 300
IDF_SAMPLE = 20_000
PHRASE_CHARS = 22
VECTOR_CHUNK = 1_000
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_ADMIN = re.compile(r"[a-z]\d{0,2}[省市区县州]|[a-z]0?[省市区县州]")
_STOP_TEXT = (
    "请求 问题 反映 关于 希望 建议 领导 投诉 咨询 如何 什么 为什么 能否"
    " 是否 何时 尽快 解决 要求 市民 我们 请问 严重 部门 相关 有关 处理"
    " 情况 一下 现象 政府 群众 百姓 老百姓 能不能 可以 怎么 谁来 请领导"
    " 管管 重视 存在 进行 没有 还是 一个 这个 西地省 地省 西地"
)
STOP_GRAMS = frozenset(_STOP_TEXT.split())


def _problem_text(title: object, detail: object, places: Sequence[str]) -> str:
    """Normalised title + detail start with the message's place names removed."""
    text = f"{normalize(title, TITLE_CHARS)} {normalize(detail, PROBLEM_CHARS)}"
    for key in places:
        if cut := normalize(key, 50):  # "".replace would insert a space between every character
            text = text.replace(cut, " ")
    return _NOT_WORD.sub(" ", text)


def _bigram_counts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row lengths, int32 hashed columns and float32 counts of one chunk's bigrams (CSR parts)."""
    rows, keys = ngram_keys(texts, 2, 2)
    cols = (_mix(keys) >> np.uint64(64 - HASH_BITS)).astype(np.int32)
    del keys
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(texts)), out=indptr[1:])
    counts = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.float32), cols, indptr), shape=(len(texts), 1 << HASH_BITS)
    )
    counts.sum_duplicates()
    return np.diff(counts.indptr), counts.indices.astype(np.int32), counts.data


def problem_vectors(
    titles: Sequence[object],
    details: Sequence[object],
    places: Sequence[Sequence[str]],
    space: NgramSpace | None = None,
) -> sparse.csr_matrix:
    """Unit-length hashed bigram TF-IDF rows of the messages' problem texts.

    With `space` (a fitted bigram vocabulary, see ``matter.reference_space``) its IDF is used
    instead of one fitted on the input: a county's month of a few dozen cases gives an IDF that
    weighs "尽快" like "地砖", and reworded messages about one matter fell under the bar.

    Texts are made and counted ``VECTOR_CHUNK`` at a time: the int64 n-gram arrays of a whole
    100,000-message input are several times the size of the finished matrix. The matrix is
    written straight into buffers sized for the longest possible texts; pages of ``np.empty``
    are only resident once written, so the unused tail costs address space, not memory, and no
    list of chunks is ever concatenated (which would hold the matrix twice).
    """
    n = len(titles)
    if space is not None:
        texts = [_problem_text(titles[i], details[i], places[i]) for i in range(n)]
        return space.transform(texts)
    bound = n * (TITLE_CHARS + PROBLEM_CHARS)  # a text of k characters has < k bigrams
    indices = np.empty(bound, dtype=np.int32)
    data = np.empty(bound, dtype=np.float32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    df = np.zeros(1 << HASH_BITS, dtype=np.int64)
    for first in range(0, n, VECTOR_CHUNK):
        last = min(first + VECTOR_CHUNK, n)
        texts = [_problem_text(titles[i], details[i], places[i]) for i in range(first, last)]
        lengths, cols, counts = _bigram_counts(texts)
        low = int(indptr[first])
        indices[low : low + len(cols)] = cols
        data[low : low + len(cols)] = counts
        np.cumsum(lengths, out=indptr[first + 1 : last + 1])
        indptr[first + 1 : last + 1] += low
        df += np.bincount(cols, minlength=1 << HASH_BITS)
    # Shrunk in place (realloc gives the tail back without copying); a slice would be copied by
    # scipy, which will not keep a view of a much larger buffer.
    nnz = int(indptr[-1])
    indices.resize(nnz, refcheck=False)
    data.resize(nnz, refcheck=False)
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    _weigh_rows(data, indices, indptr, idf)
    return sparse.csr_matrix((data, indices, indptr), shape=(n, 1 << HASH_BITS), copy=False)


def _weigh_rows(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, idf: np.ndarray) -> None:
    """Sublinear TF × IDF and unit length, in place, a block of rows at a time (no temporary the
    size of the whole matrix)."""
    for first in range(0, len(indptr) - 1, VECTOR_CHUNK):
        last = min(first + VECTOR_CHUNK, len(indptr) - 1)
        low, high = int(indptr[first]), int(indptr[last])
        block = data[low:high]
        np.log(block, out=block)
        block += 1.0
        block *= idf[indices[low:high]]
        owner = np.repeat(np.arange(last - first), np.diff(indptr[first : last + 1]))
        norms = np.sqrt(np.bincount(owner, weights=block * block, minlength=last - first))
        norms[norms == 0.0] = 1.0
        block /= norms[owner].astype(np.float32)


def pair_cosine(matrix: sparse.csr_matrix, pairs: np.ndarray, chunk: int = 4_000) -> np.ndarray:
    """Cosine of each row pair (rows are unit length); small chunks keep the row copies small."""
    out = np.zeros(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        product = matrix[part[:, 0]].multiply(matrix[part[:, 1]])
        out[start : start + chunk] = np.asarray(product.sum(axis=1)).ravel()
    return out


def _title_key(title: object, places: Sequence[str]) -> str:
    text = normalize(title, 200)
    for key in places:
        text = text.replace(normalize(key, 50), " ")
    return _NOT_WORD.sub(" ", _ADMIN.sub(" ", text))


def _grams(text: str) -> set[str]:
    grams: set[str] = set()
    for part in text.split():
        for size in (2, 3, 4):
            grams.update(part[i : i + size] for i in range(len(part) - size + 1))
    return grams


class KeywordScorer:
    """Distinctive title substrings of a group of messages, against the whole input."""

    def __init__(self, titles: Sequence[object]) -> None:
        step = max(1, len(titles) // IDF_SAMPLE)
        sample = titles[::step]
        self.docs = max(1, len(sample))
        self.df: Counter[str] = Counter()
        for title in sample:
            self.df.update(_grams(_title_key(title, ())))

    def keywords(
        self, titles: Sequence[object], places: Sequence[str], limit: int = 2
    ) -> list[str]:
        """Up to `limit` substrings shared by the titles (no place names, no stop words)."""
        counts: Counter[str] = Counter()
        for title in titles:
            counts.update(_grams(_title_key(title, places)))
        need = max(2, math.ceil(len(titles) * 0.3))
        scored = []
        for gram, count in counts.items():
            if count < need or gram in STOP_GRAMS or gram.isdigit() or "0" in gram:
                continue
            idf = math.log((1 + self.docs) / (1 + self.df.get(gram, 0))) + 1.0
            scored.append((count / len(titles) * idf * (1.0 + 0.25 * (len(gram) - 2)), gram))
        scored.sort(key=lambda item: (-item[0], item[1]))
        keys = [_title_key(title, places) for title in titles]
        chosen: list[str] = []
        for _score, gram in scored:
            gram = _extend(gram, keys, need)
            if any(_overlaps(gram, other) for other in chosen):
                continue
            chosen.append(gram)
            if len(chosen) >= limit:
                break
        return chosen

    def phrase(self, titles: Sequence[object], places: Sequence[str]) -> str:
        """The clause of one title that best says what the titles share, as written.

        Titles are read as written (NFKC), with masks (A市, A3区) and the topic's place names
        cut out, split at punctuation, stripped of request words at the start ("关于", "投诉")
        and of filler at the end ("的问题", "吗"). A clause scores the IDF-weighted bigrams it
        shares with the other titles, so the chosen one is the matter the messages have in
        common, written by a person and never cut inside a word unless longer than
        ``PHRASE_CHARS`` (then the best window is kept, with edges no other title shares).
        """
        keys = [_title_key(title, places) for title in titles]
        shared: Counter[str] = Counter()
        for key in keys:
            shared.update({key[i : i + 2] for i in range(len(key) - 1)} - {""})
        need = 2 if len(titles) > 1 else 1

        def weight(gram: str) -> float:
            count = shared.get(gram, 0)
            if count < need or gram in STOP_GRAMS or " " in gram:
                return 0.0
            idf = math.log((1 + self.docs) / (1 + self.df.get(gram, 0))) + 1.0
            return count / len(titles) * idf

        best, best_score = "", 0.0
        for title in titles:
            for clause in _clauses(title, places):
                clause = _TAIL.sub("", _window(clause, weight, self.df))
                grams = {normalize(clause, 200)[i : i + 2] for i in range(len(clause) - 1)}
                score = sum(weight(g) for g in grams) / (1.0 + 0.02 * len(clause))
                if score > best_score:
                    best, best_score = clause, score
        return best


_LEAD = re.compile(
    "^(?:关于|反映|投诉|举报|咨询|请求|要求|希望|建议|申请|请问|恳请|强烈|紧急|求助|再次|有关|对于"
    "|针对|致|请|在|对|的|和|与|及|就|将|把|给|让|被|向|从)+"
)
_TAIL = re.compile(
    "(?:的问题|问题|的情况|情况|的建议|的投诉|的请求|的申请|请求解决|的事|一事|事宜|的|了|啊|吗|呢|呀"
    "|和|与|及|在|对|从|到|至|向|把|将|给|被|让|以)+$"
)
_CLAUSE = re.compile(r"[\W_]+")
_MASK = re.compile(r"[A-Za-z]\d{0,2}[省市区县州]|西地省")


def _clauses(title: object, places: Sequence[str]) -> list[str]:
    text = unicodedata.normalize("NFKC", as_text(title))[:200]
    for place in sorted(places, key=len, reverse=True):
        text = text.replace(place, " ")
    text = _MASK.sub(" ", text)
    out = []
    for part in _CLAUSE.split(text):
        part = _TAIL.sub("", _LEAD.sub("", part))
        if len(part) >= 2 and not part.isdigit():
            out.append(part)
    return out


def _window(clause: str, weight: Callable[[str], float], df: Counter[str]) -> str:
    """At most PHRASE_CHARS characters of `clause`: the window with the most shared bigrams, its
    ends moved (by up to 4 characters) to where the bigram across the cut is rarest in the input:
    "农民工|工资" is a rare pair, "农民工工|资" cuts the common word 工资."""
    if len(clause) <= PHRASE_CHARS:
        return clause
    low = normalize(clause, len(clause))
    if len(low) != len(clause):  # digit runs were folded: positions no longer match
        return clause[:PHRASE_CHARS]
    weights = [weight(low[i : i + 2]) for i in range(len(low) - 1)]
    span = PHRASE_CHARS - 1
    start = max(range(len(weights) - span + 1), key=lambda i: sum(weights[i : i + span]))

    def cut(at: int) -> int:
        return -1 if at <= 0 or at >= len(low) else df.get(low[at - 1 : at + 1], 0)

    start = min(range(start, start + 5), key=lambda at: (cut(at), at))
    end = min(start + PHRASE_CHARS, len(clause))
    end = min(range(end - 4, end + 1), key=lambda at: (cut(at), -at))
    return clause[start:end]


def _overlaps(one: str, other: str) -> bool:
    return any(one[i : i + 2] in other for i in range(len(one) - 1))


def _extend(gram: str, keys: Sequence[str], need: int, longest: int = 6) -> str:
    """Grow `gram` a character at a time while at least `need` titles still contain it."""
    holders = [key for key in keys if gram in key]
    while len(gram) < longest:
        grown = Counter(
            key[i - 1 : i + len(gram)] if side < 0 else key[i : i + len(gram) + 1]
            for key in holders
            for side in (-1, 1)
            if (i := key.find(gram)) >= 0 and (i > 0 if side < 0 else i + len(gram) < len(key))
        )
        best = max(
            ((g, c) for g, c in grown.items() if " " not in g and "0" not in g and c >= need),
            key=lambda item: item[1],
            default=None,
        )
        if best is None:
            break
        gram = best[0]
        holders = [key for key in holders if gram in key]
    return gram
