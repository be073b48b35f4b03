"""Named places in Chinese messages: compounds, schools, roads, villages, hospitals, markets, firms.

A message about "one compound's noise" or "one school's fees" names the place; two messages naming
the same compound are much more likely to be about the same matter. Extraction is a regular
expression over the text (name characters followed by a place suffix such as 小区, 小学, 路, 村,
医院, 市场, 公司), then the name is trimmed at the last function word or pronoun before it
("投诉我们小区" → no place; "反映A3区麓谷街道枫林小区" → "枫林小区"), and generic names
("这个小区", "民办学校") are dropped. jieba's place tags were not used: segmenting is ~20× slower
than the expression and tags masked names (A市, A3区) badly.

The data masks cities and districts as A市 / A3区 / K9县; such a mask right before a place stays in
its label ("A市A3区枫林小区"); the matching key leaves it out, so "A3区枫林小区" and "枫林小区" are
the same place. Counties, towns and streets (A3区, 麓谷街道, 茅竹镇) are returned with kind
``"area"``: they locate a place but are too broad to say two messages are about the same matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_SCAN_CHARS = 600  # the place is named early; a 50,000-character paste costs no more

# kind → suffixes, longest first inside the alternation so "中心小学" wins over "小学".
SUFFIXES: dict[str, tuple[str, ...]] = {
    "compound": (
        "安置小区",
        "小区",
        "花园",
        "家园",
        "新村",
        "公寓",
        "山庄",
        "公馆",
        "华庭",
        "嘉园",
        "佳园",
        "雅苑",
        "名苑",
        "苑",
        "大厦",
        "新城",
    ),
    "school": (
        "幼儿园",
        "小学",
        "中学",
        "学校",
        "学院",
        "大学",
        "职校",
    ),
    "hospital": ("人民医院", "中医院", "医院", "卫生院", "卫生室", "诊所", "保健院"),
    "village": ("村委会", "居委会", "社区", "村"),
    "market": ("农贸市场", "菜市场", "市场", "超市", "商场", "步行街", "商业街"),
    "company": ("有限公司", "公司", "集团", "工厂", "厂", "酒店", "宾馆", "银行"),
    "park": ("公园", "广场", "高铁站", "火车站", "汽车站", "地铁站", "车站", "机场"),
    "road": ("大道", "路", "街", "巷"),
    "area": ("街道", "镇", "乡"),
}
SPECIFIC_KINDS = frozenset(SUFFIXES) - {"area", "road"}

_ADMIN = r"(?:[A-Z]\d{0,2}[省市区县州])"
_SUFFIX_KIND = {s: k for k, suffixes in SUFFIXES.items() for s in suffixes}
_SUFFIX_ALT = "|".join(sorted(_SUFFIX_KIND, key=len, reverse=True))
# Suffixes first (one fast scan), then the name is read backwards from each: the run of name
# characters (at most MAX_NAME) right before it. "大学生" and "学院派" are not places.
_SUFFIX_RE = re.compile(rf"(?:{_SUFFIX_ALT})(?!生)(?P<group>[0-9一二三四五六七八九十]{{1,3}}组)?")
MAX_NAME = 12
_NAME_TAIL = re.compile(r"[\u4e00-\u9fffA-Z0-9]+$")
# Trim the name after the last of these (verbs, pronouns, prepositions, quantity words).
_BOUNDARY = re.compile(
    "(?:关于|反映|投诉|举报|咨询|请求|要求|希望|建议|位于|住在|居住|我们|我家|你们|他们|这个|那个|这些"
    "|整个|每个|各个|全体|所有|周边|附近|旁边|对面|门口|现在|目前|但是|而且|因为|所以|造成|严重|影响"
    "|导致|进入|还有|没有|以及|我|的|了|是|和|与|及|或|对|向|给|被|把|由|为|将|请|在|于|从|到|至|该|此"
    "|这|那|其|等|进|一个|一所|一些|两个|很多|如果|当地|来自|什么|扰乱|他|她|它|去|而|所|各|问|让)"
)
# Whole names that say nothing about which place ("民办学校", "农村", "住宅小区").
_GENERIC = frozenset(
    {
        "民办",
        "公办",
        "住宅",
        "安置",
        "农",
        "乡",
        "城",
        "山",
        "美丽乡",
        "私立",
        "公立",
        "培训",
        "城乡",
        "乡镇",
        "高档",
        "老旧",
        "商品房",
        "物业",
        "开发",
        "国有",
        "私营",
        "民营",
        "马",
        "道",
        "公",
        "出",
        "思",
        "网",
        "门",
        "线",
        "铁",
        "水",
        "一",
        "两",
        "几",
        "本",
        "该",
        "医",
        "卫生",
        "村",
        "社",
        "居",
        "镇",
        "街",
        "房地产",
        "电力",
        "科技",
        "保险",
        "中小",
        "大中",
        "中",
        "大",
        "小",
        "高等",
        "职业",
        "重点",
        "实验",
        "幼",
        "各级",
        "基层",
        "全省",
        "上",
        "初",
        "家",
        "分",
        "新农",
        "城中",
        "西地省农",
        "很多",
        "三甲",
        "一所",
        "附属",
        "本村",
        "居民",
        "城区",
        "县级",
        "个体",
        "初级",
        "生产",
        "建筑",
        "人才",
        "街道",
        "县",
        "市级",
    }
)
_ADMIN_TAIL = re.compile(rf"{_ADMIN}+$")
_ADMIN_HEAD = re.compile(rf"{_ADMIN}+")
_WIDTH = re.compile("[\uff01-\uff5e]")


@dataclass(frozen=True)
class Place:
    """A place named in a text: `label` as written (with its A市/A3区 mask), `key` for matching."""

    label: str
    key: str
    kind: str

    @property
    def is_specific(self) -> bool:
        """A compound, school, village, hospital, market, firm or park (not a road or an area)."""
        return self.kind in SPECIFIC_KINDS


def _prepare(text: str) -> str:
    text = _WIDTH.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text[:MAX_SCAN_CHARS])
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.upper()


def _trim(name: str) -> str:
    end = 0
    for match in _BOUNDARY.finditer(name):
        end = match.end()
    return name[end:]


def extract_places(text: object) -> list[Place]:
    """Places named in `text`, in order of first mention, each once."""
    if not isinstance(text, str) or not text:
        return []
    found: dict[str, Place] = {}
    text = _prepare(text)
    previous_end, previous_label = -1, ""
    for match in _SUFFIX_RE.finditer(text):
        start = match.start()
        tail = _NAME_TAIL.search(text, max(previous_end, start - MAX_NAME, 0), start)
        if tail is None:
            continue
        raw = tail.group()
        name = _trim(raw)
        before = raw[: len(raw) - len(name)]
        admin_match = _ADMIN_TAIL.search(before)
        admin = admin_match.group() if admin_match else ""
        inner = _ADMIN_HEAD.match(name)
        if inner:  # "反映A3区枫林" trimmed to "A3区枫林": the mask belongs to the label
            admin, name = admin + inner.group(), name[inner.end() :]
        if len(name) < 2 or name in _GENERIC or name.isdigit() or name.endswith("农"):
            continue
        suffix = match.group()[: len(match.group()) - len(match["group"] or "")]
        kind = _SUFFIX_KIND[suffix]
        key = name + match.group()
        # "A3区麓谷街道枫林小区": the street right before a compound locates it.
        if not admin and start - len(name) == previous_end and len(previous_label) <= 12:
            admin = previous_label
        label = admin + key
        previous_end, previous_label = match.end(), label
        if key not in found:
            found[key] = Place(label=label, key=key, kind=kind)
    return list(found.values())


def place_keys(title: object, detail: object) -> list[str]:
    """Matching keys of the specific places (not roads or areas) of one message, title first."""
    head = extract_places(title)
    body = extract_places(detail)
    keys: list[str] = []
    for place in (*head, *body):
        if place.is_specific and place.key not in keys:
            keys.append(place.key)
    return keys


def admin_prefix(text: object) -> str:
    """The first A市A3区-style mask sequence of the text ("" when none)."""
    if not isinstance(text, str):
        return ""
    match = re.search(rf"{_ADMIN}+", _prepare(text))
    return match.group() if match else ""
