"""Named places in Chinese messages: compounds, schools, roads, villages, hospitals, markets, firms.

A message about "one compound's noise" or "one school's fees" names the place; two messages naming
the same compound are much more likely to be about the same matter. Extraction is a regular
expression over the text (name characters followed by a place suffix such as 小区, 小学, 路, 村,
医院, 市场, 公司), then the start of the name is found:

- after the last masked admin unit of the run (A市, A3区, K9县, 西地省):
  "帮忙要回G7县西安镇磨子平村" → "G7县" + "西安镇磨子平村"; the scan reaches far enough back that
  a mask is never cut in half ("4县…" fragments);
- else after the last boundary word: verbs, adverbs, pronouns, time words, quantities, dates and
  house numbers ("投诉我们小区" → no place, "一家…公司", "2016年…公司", "139号…苑");
- a run longer than ``MAX_NAME`` with no boundary is a sentence, not a name, and is dropped rather
  than cut into a fragment; generic names ("这个小区", "民办学校", "几十家公司") are dropped.

Two suffixes in a row make one place ("和盛中央公园小区"); a suffix right after a town or road
names a place after it ("安沙镇小学"). jieba's place tags were not used: segmenting is ~20× slower
than the expression and tags masked names (A市, A3区) badly.

The mask stays in the label ("A市A3区枫林小区"); the matching key leaves it out, so "A3区枫林小区"
and "枫林小区" are the same place (a bare "西地省大学" keeps it: there is no other name).
Counties, towns and streets (麓谷街道, 茅竹镇) are returned with kind ``"area"``: they locate a
place but are too broad to say two messages are about the same matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_SCAN_CHARS = 600  # the place is named early; a 50,000-character paste costs no more


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# kind → suffixes, longest first inside the alternation so "中心小学" wins over "小学".
SUFFIXES: dict[str, tuple[str, ...]] = {
    "compound": _words(
        "安置小区 小区 花园 家园 新村 公寓 山庄 公馆 华庭 嘉园 佳园 雅苑 名苑 苑 大厦 新城"
    ),
    "school": _words("幼儿园 小学 中学 学校 学院 大学 职校"),
    "hospital": _words("人民医院 中医院 医院 卫生院 卫生室 诊所 保健院"),
    "village": _words("村委会 居委会 社区 村"),
    "market": _words("农贸市场 菜市场 市场 超市 商场 步行街 商业街"),
    "company": _words("有限公司 公司 集团 工厂 厂 酒店 宾馆 银行"),
    "park": _words("公园 广场 高铁站 火车站 汽车站 地铁站 车站 机场"),
    "road": _words("大道 路 街 巷"),
    "area": _words("街道 镇 乡"),
}
SPECIFIC_KINDS = frozenset(SUFFIXES) - {"area", "road"}
# Masked admin units (A市, A3区, K9县) and the data's masked province: they locate a place and
# anchor its name, which starts right after the last of them.
_ADMIN = r"(?:[A-Z]\d{0,2}[省市区县州]|西地省)"
_SUFFIX_KIND = {s: k for k, suffixes in SUFFIXES.items() for s in suffixes}
_SUFFIX_ALT = "|".join(sorted(_SUFFIX_KIND, key=len, reverse=True))
# Suffixes first (one fast scan), then the name is read backwards from each: the run of name
# characters right before it. "大学生" and "学院派" are not places.
_SUFFIX_RE = re.compile(rf"(?:{_SUFFIX_ALT})(?!生)(?P<group>[0-9一二三四五六七八九十]{{1,3}}组)?")
MAX_NAME = 12
SCAN = MAX_NAME + 12  # room for a mask chain before the name
_NAME_RUN = re.compile(r"[\u4e00-\u9fffA-Z0-9]+")
# Never part of a name; the name starts after the last one. Beyond pronouns and prepositions,
# the verbs, adverbs and time words met in front of place names in the real messages.
_WORDS = _words(
    "关于 反映 投诉 举报 咨询 请求 要求 希望 建议 位于 住在 家住 居住 我们 我家 你们 他们 这个 那个"
    " 这些 整个 全体 所有 周边 附近 旁边 对面 门口 现在 目前 当时 如今 近日 最近 今年 去年 曾经"
    " 每晚 每天 但是 而且 并且 因为 所以 造成 严重 影响 导致 进入 还有 没有 以及 如果 当地 来自"
    " 什么 扰乱 解决 帮忙 要回 查处 严厉 打击 督促 敦促 监督 审查 调查 处理 处罚 盼望 呼唤 怀疑"
    " 准备 陆续 修改 根据 按照 通过 依法 可以 距离 发现 利用 维护 损害 侵占 包括 事情 本人 群众"
    " 相关 有关 有些 难道 多次 领导 一下 加快 尽快 只有 然后 无论 岂不 知道 开办 申办 取消 提高"
    " 推动 成立 后面 前面 里面 有一 有个 一个 一所 一些 两个 很多 作为 属于 不能 各个 部分 不顾"
    " 确保 破坏 符合 已经 经常 参与 争取 用于 用来 以后 以来 不按 追缴 探索 建立 满足 划分 入读"
    " 进行 诉求 指令 许多 能够 一样 历经 迁入 户口 适于 成为 一带 考虑 新建 进 及 与 等 致 我"
    " 的 了 是 对 给 被 把 由 请 在 从 到 该 此 这 那 其 他 她 它 去 而 问 让 但 可 着 系 说 跟 拿"
    " 就 也 又 还 再 离 算 以 修复 每年 都会 明确 否则 不许 只能 停靠 落户 何况 创办"
)
_QUANTITY = "0-9一二两三四五六七八九十几数百千多每某"
# The lookahead on first characters lets the engine skip most positions without trying ~200
# alternatives at each (twice as fast on the real messages).
_BOUNDARY = re.compile(
    f"(?=[有{_QUANTITY}{''.join(sorted({word[0] for word in _WORDS}))}])"
    f"(?:有?[{_QUANTITY}]+[家个名条所座栋层户位间处些批次人份]|"
    + "|".join(sorted(_WORDS, key=len, reverse=True))
    + r"|\d+[年月日号])"
)
# Conjunctions that also start or end real names (和平路, 向阳小区, 于家村, 太和村): a boundary
# only right after another place ("枫林小区和翠湖花园").
_WEAK = frozenset("和向于为将至")
# Whole names that say nothing about which place ("民办学校", "农村", "住宅小区").
_GENERIC = frozenset(
    _words(
        "民办 公办 住宅 安置 农 乡 城 山 美丽乡 私立 公立 私办 培训 城乡 乡镇 高档 老旧 商品房 物业"
        " 开发 国有 私营 民营 马 道 公 出 思 网 门 线 铁 水 一 两 几 本 该 医 卫生 村 社 居 镇 街"
        " 房地产 电力 科技 保险 中小 大中 中 大 小 高等 职业 重点 实验 幼 各级 基层 全省 上 初 家"
        " 分 新农 城中 西地省农 很多 三甲 附属 本村 居民 城区 县级 个体 初级 生产 建筑 人才 街道"
        " 县 市级 普惠性 招生 薄弱 市直 开放式 高层住宅 一带 贫困 污染 堆积 业主 周围 外面 每晚"
        " 配套 行政 居民 优秀 重要 辖区 传销 维保 百货 参与 小山 下属物业 指定物业 城区及城郊"
    )
)
# Kinds that can belong to the place named right before them ("…大学监理公司", "…医院门诊部").
_INSTITUTIONS = frozenset({"company", "school", "hospital"})
_ADMIN_RUN = re.compile(rf"{_ADMIN}+")
# Full-width ASCII (Ａ３区, "，"): folded first, so most texts are then NFKC already and skip
# the much slower unicodedata.normalize.
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


def _split(raw: str, after_place: bool) -> tuple[str, str]:
    """(mask chain, name) of the run of name characters read back from a suffix."""
    masks = list(_ADMIN_RUN.finditer(raw)) if any(c in raw for c in "省市区县州") else []
    admin, name = (masks[-1].group(), raw[masks[-1].end() :]) if masks else ("", raw)
    end = 0
    for found in _BOUNDARY.finditer(name):
        end = found.end()
    if end == 0 and after_place and not admin and name[:1] in _WEAK:
        end = 1
    return admin, name[end:]


def _is_generic(name: str) -> bool:
    return name in _GENERIC or name.isdigit() or name.endswith("农") or len(name) > MAX_NAME


def extract_places(text: object) -> list[Place]:
    """Places named in `text`, in order of first mention, each once."""
    if not isinstance(text, str) or not text:
        return []
    found: dict[str, Place] = {}
    text = _prepare(text)
    previous: Place | None = None
    previous_end = -1
    for match in _SUFFIX_RE.finditer(text):
        start = match.start()
        suffix = match.group()[: len(match.group()) - len(match["group"] or "")]
        kind = _SUFFIX_KIND[suffix]
        adjacent = previous if start == previous_end else None
        if adjacent is not None and adjacent.is_specific and suffix == "小区":
            # "和盛中央公园小区": one compound; the key stays the first name's, so a message
            # writing "和盛中央公园" names the same place.
            merged = Place(adjacent.label + match.group(), adjacent.key, "compound")
            found[adjacent.key] = merged
            previous, previous_end = merged, match.end()
            continue
        # The window read backwards: one match from its end (a "…+$" search from the front would
        # rescan the window from every start position).
        first = max(previous_end, start - SCAN, 0)
        run = _NAME_RUN.match(text[first:start][::-1])
        raw = text[start - run.end() : start] if run else ""
        follows = previous if raw and start - len(raw) == previous_end else None
        admin, name = _split(raw, after_place=follows is not None and follows.is_specific)
        if not name and adjacent is not None and not adjacent.is_specific:
            # "安沙镇小学", "书院路小学": the town or road is the name.
            admin, name = adjacent.label[: len(adjacent.label) - len(adjacent.key)], adjacent.key
        elif follows is not None and not follows.is_specific and raw == name:
            # "A3区麓谷街道枫林小区": the street locates the compound (a short chain only).
            admin = follows.label if len(follows.label) <= MAX_NAME else ""
        elif (
            follows is not None and raw == name and kind in _INSTITUTIONS and not _is_generic(name)
        ):
            # "西地省大学监理公司", "楚雅医院附属…": an institution of the place before it.
            admin = follows.label[: len(follows.label) - len(follows.key)]
            name = follows.key + name
        if not name and admin and kind in ("school", "hospital"):
            key = admin + match.group()  # "西地省大学": the mask is the only name it has
        elif len(name) < 2 or _is_generic(name):
            continue
        else:
            key = name + match.group()
        place = Place(label=admin + key if not key.startswith(admin) else key, key=key, kind=kind)
        previous, previous_end = place, match.end()
        if key not in found:
            found[key] = place
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
