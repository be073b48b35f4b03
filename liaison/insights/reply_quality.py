"""Reply quality (答复质量): boilerplate, too short, not addressing the question, late.

A pure engine over (message, reply, dates) tuples; the case-facing aggregates live in
`liaison.reports.selectors`. See docs/insights-reply-quality.md for the rules, the calibration
and the validation on the real replies.

- **boilerplate**: the reply is made of template sentences (已收悉, 已转有关部门调查处理, 感谢您的
  关注 …) with little else, or it is a near-duplicate of a stock reply (built-in ones, and in a
  batch any reply text repeated for several different messages).
- **too short**: under `MIN_SUBSTANCE` characters of substance once salutations, dates, ids,
  thanks and template sentences are removed.
- **irrelevant**: relevance = 0.8 × TF-IDF cosine of character 2-grams (message vs. reply,
  template text and an echoed title removed) + 0.2 × share of the message's key terms (places and
  title words) found in the reply; flagged below `RELEVANCE_THRESHOLD`, calibrated on the real
  replies against replies paired with random other messages.
- **late**: more than `late_after` working days (liaison.common.calendar) between submission (or
  assignment) and reply, or a reply after its due date; never flagged when a date is missing.

Score 0–100 = substance (0–40) + relevance (0–40) + timeliness (0–20), capped at 40 for a
boilerplate or too-short reply.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from django.utils.translation import gettext_lazy as _

from liaison.jurisdiction.registry import SettingDef, register

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

FLAG_BOILERPLATE: Final = "boilerplate"
FLAG_TOO_SHORT: Final = "too_short"
FLAG_IRRELEVANT: Final = "irrelevant"
FLAG_LATE: Final = "late"
FLAG_LABELS: Final = {
    FLAG_BOILERPLATE: _("套话答复"),
    FLAG_TOO_SHORT: _("答复过短"),
    FLAG_IRRELEVANT: _("答非所问"),
    FLAG_LATE: _("答复超期"),
}

for _definition in (
    SettingDef(
        key="reply_late_working_days",
        label=_("答复质量：超期天数"),
        type="int",
        default=DEFAULT_LATE_AFTER,
        min_value=1,
        max_value=120,
        unit=_("个工作日"),
        group=_("研判分析"),
        help=_("没有答复期限的答复，自提交（或交办）起超过此工作日数即标为“答复超期”。"),
    ),
    SettingDef(
        key="reply_quality_low_score",
        label=_("答复质量：督办分数线"),
        type="int",
        default=LOW_SCORE_DEFAULT,
        min_value=1,
        max_value=100,
        group=_("研判分析"),
        help=_("承办单位当月答复质量平均分低于此分数时，列入督办建议。"),
    ),
):
    register(_definition)

# --- cleaning -----------------------------------------------------------------------------------

# Stock replies written for this module (generic wording, not taken from any data set).
STOCK_REPLIES: Final = (
    "已收悉",
    "您的留言已收悉",
    "您好，您的留言已收悉，感谢您的关注",
    "您反映的问题已收悉，已转相关部门调查处理",
    "您反映的问题已转有关部门调查核处",
    "您的留言已收悉，关于您反映的问题，已转有关单位调查处理",
    "您反映的情况已转交相关单位办理，请耐心等待",
    "感谢您对我们工作的关心和支持",
    "此事正在调查处理中",
    "您反映的问题不属于我单位职责范围，感谢您的留言",
    "您反映的问题已进行过回复",
    "请咨询有关部门",
)
_SALUTATION = re.compile(
    r"^(尊敬的)?(网友|网民|市民|群众|用户|朋友|先生|女士)?[:：,，\s]*(您好|你好)?[!！。,，:：\s]*"
)
_QUOTED_ID = re.compile(r"[“\"]?[A-Za-z]{1,4}\d{3,}[”\"]?")
_DATE = re.compile(r"\d{2,4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_SENTENCE = re.compile(r"[^。！？!?；;:\n]+[。！？!?；;:\n]*")
# A short sentence with one of these and nothing of substance is template text.
_TEMPLATE = re.compile(
    "收悉|已转|转交|转至|转办|转给|移交|交由|调查处理|调查核处|核实处理|调查、核处|核处|"
    "感谢|谢谢|您好|你好|答复如下|回复如下|现答复|现回复|特此|关注与支持|关心与支持|"
    "支持与理解|信任和支持|关注和支持|正在调查|正在处理|已进行过回复|已经答复|稍后|"
    "职责范围|耐心等待|相关部门|有关部门|相关单位|有关单位|请咨询|来信|留言"
)
_TEMPLATE_MAX_LEN: Final = 45
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]")
_QUOTED = re.compile(r"[“\"《]([^”\"》]{4,80})[”\"》]")
# Places named in a message: a short proper name followed by a kind of place.
_PLACE = re.compile(
    r"(?:[A-Z]\d{0,2}[市区县镇]|[\u4e00-\u9fff]{2,5}?"
    r"(?:小区|社区|花园|家园|新村|村|镇|乡|街道|大道|路|街|巷|学校|小学|中学|幼儿园|大学|学院|"
    r"医院|公司|广场|市场|公园|车站|园|苑|城))"
)
# Characters that make a 2-gram a function-word fragment rather than a term ("的咨", "题的").
_FUNCTION_CHARS = frozenset(
    "的了在是我你他她们和与及于对为把被等一这那有不也都就还请问吗呢么之其或"
)
# Words that every message and reply share and that say nothing about the matter.
_STOP_TERMS: Final = frozenset(
    [
        "问题",
        "反映",
        "请求",
        "咨询",
        "投诉",
        "建议",
        "希望",
        "关于",
        "情况",
        "相关",
        "部门",
        "我们",
        "你们",
        "您好",
        "你好",
        "网友",
        "政府",
        "领导",
        "解决",
        "处理",
        "调查",
        "答复",
        "回复",
        "感谢",
        "留言",
        "举报",
        "要求",
        "呼吁",
        "能否",
        "是否",
        "什么",
        "怎么",
        "如何",
        "一下",
        "一事",
        "事宜",
        "现象",
        "严重",
        "一个",
        "这个",
        "那个",
        "没有",
        "可以",
        "已经",
        "进行",
        "工作",
        "尊敬",
        "书记",
        "市长",
        "县长",
        "本人",
    ]
)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _word_chars(text: str) -> int:
    return len(_NOT_WORD.sub("", text.lower()))


def strip_echo(reply: str, title: str) -> str:
    """Remove quoted passages that only echo the message's title (“关于您反映的‘…’”)."""
    title_grams = _grams(title)
    if not title_grams:
        return reply

    def drop(match: re.Match[str]) -> str:
        grams = _grams(match.group(1))
        if grams and len(grams & title_grams) / len(grams) >= 0.6:
            return ""
        return match.group(0)

    return _QUOTED.sub(drop, reply)


def _grams(text: str) -> set[str]:
    clean = _NOT_WORD.sub("", _nfkc(text).lower())
    return {clean[i : i + 2] for i in range(len(clean) - 1)}


def substance(reply: str) -> tuple[str, int]:
    """(the reply without salutations, ids, dates and template sentences, template count)."""
    text = _DATE.sub("", _QUOTED_ID.sub("", _nfkc(reply)))
    kept: list[str] = []
    templates = 0
    for index, sentence in enumerate(_sentences(text)):
        if index == 0:
            sentence = _SALUTATION.sub("", sentence)
        if _TEMPLATE.search(sentence) and len(sentence) <= _TEMPLATE_MAX_LEN:
            templates += 1
            continue
        if _word_chars(sentence) <= 2:
            continue
        kept.append(sentence)
    return "".join(kept), templates


def skeleton(reply: str) -> str:
    """A reply reduced to its wording: no digits, ids, dates, masked place codes or punctuation."""
    text = _DATE.sub("", _QUOTED_ID.sub("", _nfkc(reply).lower()))
    text = re.sub(r"[a-z]\d*", "", text)
    return _NOT_WORD.sub("", re.sub(r"\d+", "", text))


def key_terms(title: str, detail: str = "") -> set[str]:
    """The message's places (short names before 小区/路/村 …) and the title's content 2-grams."""
    head = _nfkc(title)
    body = _nfkc(detail)[:300]
    places = {
        m.group(0)
        for m in _PLACE.finditer(head + " " + body)
        if not _FUNCTION_CHARS.intersection(m.group(0))
    }
    clean = _NOT_WORD.sub(" ", head.lower())
    terms: set[str] = set()
    for chunk in clean.split():
        for i in range(len(chunk) - 1):
            gram = chunk[i : i + 2]
            if gram not in _STOP_TERMS and not _FUNCTION_CHARS.intersection(gram):
                terms.add(gram)
    return terms | {p.lower() for p in places if p not in _STOP_TERMS}


def _term_overlap(terms: set[str], reply: str) -> float:
    if not terms:
        return 0.0
    text = _nfkc(reply).lower()
    return sum(1 for t in terms if t.lower() in text) / len(terms)


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

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[f]) for f in self.flags]


def _relevances(items: Sequence[ReplyItem]) -> tuple[list[float], list[float]]:
    """TF-IDF char 2-gram cosine per pair (IDF fitted on the batch) and key-term overlap."""
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

    messages = [
        _NOT_WORD.sub(" ", _nfkc(f"{i.title} {i.message}").lower()[:_MAX_CHARS]) for i in items
    ]
    replies = [
        _NOT_WORD.sub(" ", substance(strip_echo(i.reply, i.title))[0].lower()[:_MAX_CHARS])
        for i in items
    ]
    cosines = [0.0] * len(items)
    if any(r.strip() for r in replies):
        # Hashing keeps a 10,000-reply month fast (no vocabulary to sort); IDF from the batch.
        hashed = HashingVectorizer(
            analyzer="char", ngram_range=_NGRAMS, n_features=2**20, alternate_sign=False, norm=None
        ).transform(messages + replies)
        matrix = TfidfTransformer(sublinear_tf=True).fit_transform(hashed)
        n = len(items)
        products = matrix[:n].multiply(matrix[n:]).sum(axis=1)
        cosines = [float(v) for v in products.A1]
    overlaps = [
        _term_overlap(key_terms(i.title or i.message[:40], i.message), replies_text)
        for i, replies_text in zip(items, replies, strict=True)
    ]
    return cosines, overlaps


def _working_days(items: Sequence[ReplyItem], *, overrides: bool) -> list[int | None]:
    """Working days submitted → replied per item, one calendar per region for the batch."""
    from liaison.common.calendar import WorkingCalendar

    class _Statutory(WorkingCalendar):
        def _load(self, low: datetime.date, high: datetime.date) -> None:
            return None  # national calendar only: no database

    calendars: dict[str | None, WorkingCalendar] = {}
    result: list[int | None] = []
    for item in items:
        if item.submitted_at is None or item.replied_at is None:
            result.append(None)
            continue
        calendar = calendars.get(item.region_code)
        if calendar is None:
            calendar = (WorkingCalendar if overrides else _Statutory)(item.region_code)
            calendars[item.region_code] = calendar
        result.append(calendar.working_days_between(item.submitted_at, item.replied_at))
    return result


def assess_replies(
    items: Sequence[ReplyItem],
    *,
    late_after: int = DEFAULT_LATE_AFTER,
    working_days: Sequence[int | None] | None = None,
    calendar_overrides: bool = True,
) -> list[ReplyAssessment]:
    """Assess every reply of a batch (one TF-IDF fit for the batch); order is kept.

    `working_days` lets a caller that already counted them pass them in; otherwise they are
    counted with the region's calendar (`calendar_overrides=False`: the national statutory
    calendar only, no database, for files and offline checks).
    """
    if not items:
        return []
    if working_days is None:
        working_days = _working_days(items, overrides=calendar_overrides)
    cosines, overlaps = _relevances(items)
    skeletons = [skeleton(i.reply) for i in items]
    repeats = Counter(s for s in skeletons if len(s) >= 4)
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
    item: ReplyItem, *, late_after: int = DEFAULT_LATE_AFTER, calendar_overrides: bool = True
) -> ReplyAssessment:
    """Assess one reply on its own (IDF from the pair only; a batch is better calibrated)."""
    return assess_replies([item], late_after=late_after, calendar_overrides=calendar_overrides)[0]


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


def summarize(assessments: Sequence[ReplyAssessment]) -> QualitySummary:
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
