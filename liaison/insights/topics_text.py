"""Text helpers of the hot-topic finder: "problem" TF-IDF vectors and readable keywords.

Problem vectors: character bigrams of title + the first ``PROBLEM_CHARS`` characters of the detail,
with every named place cut out, hashed into 2²⁰ columns (no vocabulary to fit), sublinear TF × IDF,
unit rows. Two messages about one compound but different problems share the compound's name; cut
out, the cosine measures the problem alone.

Keywords: the 2–4-character substrings found in the most titles of a topic, weighted by their
rarity in the whole input (IDF over at most ``IDF_SAMPLE`` titles), without the place names and a
short list of words every message uses (请求, 问题, 反映 …). No word segmenter is loaded: jieba
costs seconds to start and the substrings read well enough as a label.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from .duplicates import _mix
from .features import ngram_keys
from .text import normalize

HASH_BITS = 20
PROBLEM_CHARS = 300
IDF_SAMPLE = 20_000
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_ADMIN = re.compile(r"[a-z]\d{0,2}[省市区县州]|[a-z]0?[省市区县州]")
STOP_GRAMS = frozenset(
    [
        "请求",
        "问题",
        "反映",
        "关于",
        "希望",
        "建议",
        "领导",
        "投诉",
        "咨询",
        "如何",
        "什么",
        "为什么",
        "能否",
        "是否",
        "何时",
        "尽快",
        "解决",
        "要求",
        "市民",
        "我们",
        "请问",
        "严重",
        "部门",
        "相关",
        "有关",
        "处理",
        "情况",
        "一下",
        "现象",
        "政府",
        "群众",
        "百姓",
        "老百姓",
        "能不能",
        "可以",
        "怎么",
        "谁来",
        "请领导",
        "管管",
        "重视",
        "存在",
        "进行",
        "没有",
        "还是",
        "一个",
        "这个",
        "西地省",
        "地省",
        "西地",
    ]
)


def problem_texts(
    titles: Sequence[object], details: Sequence[object], places: Sequence[list[str]]
) -> list[str]:
    """Normalised title + detail start with the messages' place names removed."""
    out: list[str] = []
    for title, detail, keys in zip(titles, details, places, strict=True):
        text = f"{normalize(title, 200)} {normalize(detail, PROBLEM_CHARS)}"
        for key in keys:
            text = text.replace(normalize(key, 50), " ")
        out.append(_NOT_WORD.sub(" ", text))
    return out


def problem_vectors(texts: Sequence[str]) -> sparse.csr_matrix:
    """Unit-length hashed bigram TF-IDF rows."""
    n = len(texts)
    rows, keys = ngram_keys(texts, 2, 2)
    cols = (_mix(keys) >> np.uint64(64 - HASH_BITS)).astype(np.int32)
    matrix = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(n, 1 << HASH_BITS)
    )
    matrix.sum_duplicates()
    df = np.bincount(matrix.indices, minlength=1 << HASH_BITS).astype(np.float32)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0.0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr)).astype(np.float32)
    return matrix


def pair_cosine(matrix: sparse.csr_matrix, pairs: np.ndarray, chunk: int = 50_000) -> np.ndarray:
    """Cosine of each row pair (rows are unit length)."""
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
