"""Text handling for reply quality: cleaning, substance, stock-reply skeletons, key terms.

Split from `reply_quality` so that each reads in one sitting; the rules are documented there.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

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
