"""Reply quality (答复质量): boilerplate, too short, not addressing the question, late.

A pure engine over (message, reply, dates) tuples; it imports no Django. The platform's side
(the jurisdiction settings, the Chinese flag labels, working days counted with the region's
calendar) is `liaison.insights.reply_quality`; stored scores are `liaison.insights.reply_scores`.
See docs/insights-reply-quality.md for the rules, the calibration and the validation on the real
replies.

- **boilerplate**: the reply is made of template sentences (已收悉, 已转有关部门调查处理, 感谢您的
  关注 …) with little else, or it is a near-duplicate of a stock reply (built-in ones, and in a
  batch any reply text repeated for several different messages).
- **too short**: under `MIN_SUBSTANCE` characters of substance once salutations, dates, ids,
  thanks and template sentences are removed.
- **irrelevant**: relevance = 0.8 × TF-IDF cosine of character 2-grams (message vs. reply,
  template text and an echoed title removed) + 0.2 × share of the message's key terms (places and
  title words) found in the reply; flagged below `RELEVANCE_THRESHOLD`, calibrated on the real
  replies against replies paired with random other messages.
- **late**: more than `late_after` working days between submission (or assignment) and reply,
  or a reply after its due date; never flagged when a date is missing. The engine does not know
  the calendar: the caller passes the working days in (`working_days`).

Score 0–100 = substance (0–40) + relevance (0–40) + timeliness (0–20), capped at 40 for a
boilerplate or too-short reply.

Two things depend on the batch: the IDF and the count of repeated skeletons. A reply assessed on
its own (when it is recorded) borrows both from a `ReplyReference` built from other replies of
its county (`reply_reference`), so that a stored score is the one a month batch would give.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Protocol

from .reply_text import (
    _NOT_WORD,
    STOCK_REPLIES,
    _nfkc,
    _term_overlap,
    _word_chars,
    key_terms,
    skeleton,
    strip_echo,
    substance,
)

if TYPE_CHECKING:
    from scipy.sparse import spmatrix

_MAX_CHARS: Final = 1500  # the start of a long text carries the matter
_NGRAMS: Final = (2, 2)
MIN_SUBSTANCE: Final = 15  # characters of substance below which a reply is "too short"
BOILERPLATE_SUBSTANCE: Final = 25  # template sentences with less substance than this: boilerplate
# Relevance is judged only on short replies: a long reply explains in the unit's own words, and
# character similarity then misses more than it finds (see the validation in the docs).
IRRELEVANT_MAX_SUBSTANCE: Final = 60
FULL_SUBSTANCE: Final = 100  # substance at which the substance part of the score is full
RELEVANCE_THRESHOLD: Final = 0.04  # calibrated, see docs/insights-reply-quality.md
STOCK_SIMILARITY: Final = 0.8  # cosine to a stock reply above which the reply is stock
STOCK_REPEATS: Final = 3  # the same reply skeleton for this many different messages: stock
DEFAULT_LATE_AFTER: Final = 15
LOW_SCORE_DEFAULT: Final = 60
# Bump when a rule or a constant above changes: stored scores of an older version are redone.
ENGINE_VERSION: Final = "1"

FLAG_BOILERPLATE: Final = "boilerplate"
FLAG_TOO_SHORT: Final = "too_short"
FLAG_IRRELEVANT: Final = "irrelevant"
FLAG_LATE: Final = "late"
# --- assessment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyItem:
    """One reply to assess. `due` is the reply deadline when known (cases), else None."""

    message: str
    reply: str
    title: str = ""
    submitted_at: datetime.date | None = None
    replied_at: datetime.date | None = None
    due: datetime.date | None = None
    region_code: str | None = None
    key: object = None


@dataclass(frozen=True)
class ReplyAssessment:
    key: object
    score: int
    flags: tuple[str, ...]
    substance_chars: int
    relevance: float
    working_days: int | None
    stock: bool = False
    details: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ReplyReference:
    """What a batch lends to a reply assessed outside it: the fitted IDF, repeated skeletons."""

    transformer: Any  # a fitted sklearn TfidfTransformer
    repeats: Counter[str]
    size: int
    # Skeleton per item key: an assessed item found here is not counted twice as a repeat.
    skeletons: dict[object, str] = field(default_factory=dict)


def _hashed(items: Sequence[ReplyItem]) -> tuple[spmatrix, list[str]]:
    """Hashed char 2-gram counts of messages then replies (2n rows), and the replies' text."""
    from sklearn.feature_extraction.text import HashingVectorizer

    messages = [
        _NOT_WORD.sub(" ", _nfkc(f"{i.title} {i.message}").lower()[:_MAX_CHARS]) for i in items
    ]
    replies = [
        _NOT_WORD.sub(" ", substance(strip_echo(i.reply, i.title))[0].lower()[:_MAX_CHARS])
        for i in items
    ]
    # Hashing keeps a 10,000-reply month fast (no vocabulary to sort).
    hashed = HashingVectorizer(
        analyzer="char", ngram_range=_NGRAMS, n_features=2**20, alternate_sign=False, norm=None
    ).transform(messages + replies)
    return hashed, replies


def reply_reference(items: Sequence[ReplyItem]) -> ReplyReference:
    """The IDF and the skeleton counts of a batch, for assessing other replies as if in it."""
    from sklearn.feature_extraction.text import TfidfTransformer

    hashed, _replies = _hashed(items)
    transformer = TfidfTransformer(sublinear_tf=True).fit(hashed)
    skeletons = {i.key: skeleton(i.reply) for i in items}
    repeats = Counter(s for s in skeletons.values() if len(s) >= 4)
    return ReplyReference(
        transformer=transformer, repeats=repeats, size=len(items), skeletons=skeletons
    )


def _relevances(
    items: Sequence[ReplyItem], reference: ReplyReference | None = None
) -> tuple[list[float], list[float]]:
    """TF-IDF char 2-gram cosine per pair (IDF of the batch or the reference), key-term overlap."""
    from sklearn.feature_extraction.text import TfidfTransformer

    hashed, replies = _hashed(items)
    cosines = [0.0] * len(items)
    if any(r.strip() for r in replies):
        if reference is None:
            matrix = TfidfTransformer(sublinear_tf=True).fit_transform(hashed)
        else:
            matrix = reference.transformer.transform(hashed)
        n = len(items)
        products = matrix[:n].multiply(matrix[n:]).sum(axis=1)
        cosines = [float(v) for v in products.A1]
    overlaps = [
        _term_overlap(key_terms(i.title or i.message[:40], i.message), replies_text)
        for i, replies_text in zip(items, replies, strict=True)
    ]
    return cosines, overlaps


def assess_replies(
    items: Sequence[ReplyItem],
    *,
    late_after: int = DEFAULT_LATE_AFTER,
    working_days: Sequence[int | None] | None = None,
    reference: ReplyReference | None = None,
) -> list[ReplyAssessment]:
    """Assess every reply of a batch (one TF-IDF fit for the batch); order is kept.

    `working_days` are the working days submitted → replied of each item, counted by the caller
    with the calendar that applies (None: unknown, so only a missed due date makes a reply
    late). With a `reference` the IDF and the repeated skeletons come from it (plus the items'
    own skeletons), not from the items.
    """
    if not items:
        return []
    if working_days is None:
        working_days = [None] * len(items)
    cosines, overlaps = _relevances(items, reference)
    skeletons = [skeleton(i.reply) for i in items]
    repeats = Counter(s for s in skeletons if len(s) >= 4)
    if reference is not None:
        repeats.update(reference.repeats)
        for item in items:
            own = reference.skeletons.get(item.key) if item.key is not None else None
            if own is not None and repeats[own] > 0:
                repeats[own] -= 1
    stock_skeletons = {skeleton(s) for s in STOCK_REPLIES}
    results: list[ReplyAssessment] = []
    for index, item in enumerate(items):
        body, templates = substance(item.reply)
        chars = _word_chars(body)
        skel = skeletons[index]
        stock = (
            skel in stock_skeletons
            or (repeats[skel] >= STOCK_REPEATS and chars < FULL_SUBSTANCE)
            or _near_stock(skel, stock_skeletons)
        )
        relevance = round(0.8 * cosines[index] + 0.2 * overlaps[index], 3)
        days = working_days[index]
        flags: list[str] = []
        if stock or (templates and chars < BOILERPLATE_SUBSTANCE):
            flags.append(FLAG_BOILERPLATE)
        if chars < MIN_SUBSTANCE:
            flags.append(FLAG_TOO_SHORT)
        if relevance < RELEVANCE_THRESHOLD and chars < IRRELEVANT_MAX_SUBSTANCE:
            flags.append(FLAG_IRRELEVANT)
        late = _is_late(item, days, late_after)
        if late:
            flags.append(FLAG_LATE)
        score = _score(chars, relevance, days, late_after, late, flags)
        results.append(
            ReplyAssessment(
                key=item.key,
                score=score,
                flags=tuple(flags),
                substance_chars=chars,
                relevance=relevance,
                working_days=days,
                stock=stock,
                details={"cosine": round(cosines[index], 3), "overlap": round(overlaps[index], 3)},
            )
        )
    return results


def assess_reply(
    item: ReplyItem, *, late_after: int = DEFAULT_LATE_AFTER, working_days: int | None = None
) -> ReplyAssessment:
    """Assess one reply on its own (IDF from the pair only; a batch is better calibrated)."""
    return assess_replies([item], late_after=late_after, working_days=[working_days])[0]


def _near_stock(skel: str, stock: set[str]) -> bool:
    if not skel or len(skel) > 60:
        return False
    grams = {skel[i : i + 2] for i in range(len(skel) - 1)}
    for other in stock:
        other_grams = {other[i : i + 2] for i in range(len(other) - 1)}
        union = grams | other_grams
        if union and len(grams & other_grams) / len(union) >= STOCK_SIMILARITY:
            return True
    return False


def _is_late(item: ReplyItem, days: int | None, late_after: int) -> bool:
    if item.replied_at is None:
        return False
    if item.due is not None:
        return item.replied_at > item.due
    return days is not None and days > late_after


def _score(
    chars: int, relevance: float, days: int | None, late_after: int, late: bool, flags: list[str]
) -> int:
    substance_part = 40 * min(1.0, chars / FULL_SUBSTANCE)
    relevance_part = 40 * min(1.0, relevance / (3 * RELEVANCE_THRESHOLD))
    if chars >= IRRELEVANT_MAX_SUBSTANCE:
        relevance_part = max(relevance_part, 20.0)  # weak evidence on long replies
    if not late:
        time_part = 20.0
    elif days is None:
        time_part = 10.0  # past the due date, working days unknown
    else:
        time_part = max(0.0, 20 - 2 * (days - late_after))
    total = substance_part + relevance_part + time_part
    if FLAG_BOILERPLATE in flags or FLAG_TOO_SHORT in flags:
        total = min(total, 40)
    return round(total)


@dataclass(frozen=True)
class QualitySummary:
    """Aggregate over a set of replies (a unit's month)."""

    replies: int
    mean_score: float | None
    boilerplate: int
    too_short: int
    irrelevant: int
    late: int


class Scored(Protocol):
    """A scored reply: an assessment, or a score read back from storage."""

    @property
    def score(self) -> int: ...

    @property
    def flags(self) -> tuple[str, ...]: ...


def summarize(assessments: Sequence[Scored]) -> QualitySummary:
    """Mean score and flag counts of a set of assessments."""
    counts = Counter(f for a in assessments for f in a.flags)
    mean = round(sum(a.score for a in assessments) / len(assessments), 1) if assessments else None
    return QualitySummary(
        replies=len(assessments),
        mean_score=mean,
        boilerplate=counts[FLAG_BOILERPLATE],
        too_short=counts[FLAG_TOO_SHORT],
        irrelevant=counts[FLAG_IRRELEVANT],
        late=counts[FLAG_LATE],
    )
