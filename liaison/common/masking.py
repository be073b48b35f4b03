"""Masking of personal data for display (138****1234), in contact fields and in free text.

One function masks free text everywhere it is shown (`mask_free_text`: the echo wall, the public
tracking page, the staff case page, exports and reports); `mask_numbers` is its first half, the
part intake applies before a title or a content is stored (docs/security.md, "personal data in free
text").

What is personal: phone numbers (mobile and landline), ID card numbers (18 and 15 digits), bank
card numbers, people's names where they can be found reliably (the submitter's own name, "王先生",
"李阿姨", "老张", "姓名：张三"), and the numbers that pin down a home ("3栋2单元501室", "12号楼",
"5-2-301", "解放路18号"). What is not: communities, roads, villages, building complexes, dates,
amounts, document numbers and everything else, which stay readable — a wall of asterisks tells
nobody anything.

Every rule keeps the length of the text (one "*" per masked character), so a masked title still
fits its column and the share of the text that stays readable is easy to measure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# --- contact fields ---------------------------------------------------------------------------


def mask_phone(phone: str) -> str:
    """Keep the first three and last four digits of a phone number."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_name(name: str) -> str:
    """Keep the family name: 张三 → 张*, 欧阳修 → 欧**."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_id_number(value: str) -> str:
    value = value.strip()
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


# --- numbers in free text ---------------------------------------------------------------------
# `\d` matches full-width digits too (１３８…), which people type on some phone keyboards.

# 18-digit ID (last character may be X) and the old 15-digit one; letters around mean a code.
ID_RE: Final = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Bank cards: 16-19 digits in one run, or in groups of four ("6222 0212 3456 7890 123").
CARD_RE: Final = re.compile(
    r"(?<![\d*])(?:\d{16,19}|\d{4}(?:[ \-]\d{4}){3}(?:[ \-]?\d{1,3})?)(?!\d)"
)
# Mainland mobiles, with an optional +86 and separators: 13812345678, 138-1234-5678, 138 1234 5678.
PHONE_RE: Final = re.compile(
    r"(?<![\d*])(?:(?:\+|00)?86[\s\-]?)?([1１][3-9３-９]\d)[\s\-]?(\d{4})[\s\-]?(\d{4})(?![\d*])"
)
# Landlines with an area code: 0731-88888888, 0731 8888888, (0731)88888888, 0731—88888888.
LANDLINE_RE: Final = re.compile(
    r"(?<![\d*])[(（]?0\d{2,3}[)）]?[\s\-－—–]{0,3}(\d{5,6})(?=\d{2}(?:[-－转]\d{1,5})?(?![\d*]))"
)
# A bare number announced as a phone ("电话：8413602", "手机号 1775612"); 5-digit service lines
# (12345, 12315) stay readable.
CALLED_NUMBER_RE: Final = re.compile(
    r"(?:电话|手机|座机|联系方式|号码|热线)(?:号码|号)?[\s:：为是]{0,3}(\d[\d\s\-]{5,14}\d)(?![\d*])"
)

# --- names ------------------------------------------------------------------------------------

# The most frequent family names (about 85 % of people). Left out on purpose, because after 老
# or before an honorific they are mostly ordinary words: 白 (老白姓), 黄 (老黄历, 老黄牛),
# 石 (老石板), 马 (老马路), 林 (深山老林), 高 (老高), 武 (老武装部), 房 (老房子), 任 (主任),
# 于 (由于), 史 (历史).
SURNAMES: Final = (
    "王李张刘陈杨赵吴周徐孙朱胡郭何罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "沈姚卢姜崔钟谭陆汪范金廖贾夏韦付傅方邹孟熊秦邱江尹薛闫段雷侯龙陶黎贺顾毛郝龚邵万钱严覃"
    "戴莫孔向汤易左常康伍匡颜聂欧"
)
COMPOUND_SURNAMES: Final = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐")
_SURNAME: Final = "(?:" + "|".join(COMPOUND_SURNAMES) + f"|[{SURNAMES}])"
# "王先生", "李女士", "张阿姨", "刘师傅": the family name before a form of address.
HONORIFIC_RE: Final = re.compile(
    f"({_SURNAME})(?=先生|女士|小姐|阿姨|师傅|大爷|大妈|大娘|奶奶|爷爷|叔叔|伯伯|婆婆|嫂子)"
)
# "老张", "老王"; not 养老金, 敬老, 老方法, 老毛病, nor 老何家村 (a village is a place).
_WORDS_AFTER_OLD: Final = "毛病|方[法案式向面]|江湖|汤|姜|陈醋"
OLD_NAME_RE: Final = re.compile(
    f"(?<![养敬尊])老(?!{_WORDS_AFTER_OLD})({_SURNAME})(?!家[村庄湾冲坪屋台山岭垅塘桥店])"
)
# "我叫张三，", "姓名：李四", "名叫王小明": a name that a phrase announces.
NAMED_RE: Final = re.compile(
    f"(?:姓名[\\s:：]*|名叫|我叫|本人叫)({_SURNAME})([\\u4e00-\\u9fff]{{1,2}})"
    r"(?=[\s，,。.；;：:、）)（(]|$|男|女|电话|手机|身份证|联系|住)"
)
MIN_OWN_NAME: Final = 2  # a one-character name would mask every occurrence of that character

# --- the numbers that pin down a home ---------------------------------------------------------

_NUM: Final = r"[0-9０-９一二三四五六七八九十零〇]+"
# "3栋", "A栋", "二单元", "501室", "12号楼", "3号院", "502房"; then a floor or a room right after
# a building or a unit ("3栋5楼", "2单元501"). Not "三室两厅" (a flat's layout).
HOME_PART_RE: Final = re.compile(
    rf"(?<![0-9A-Za-z])({_NUM}|[A-Za-z]\d*)"
    r"(?=\s*(?:栋|幢|单元|号楼|号院|号房|室(?![一二两三四五六\d]?[厅卫])))"
    r"|(?<![0-9A-Za-z])(\d+)(?=\s*房(?![屋子间产地东价租]))"
    rf"|(?:(?<=[栋幢座])|(?<=单元))({_NUM})(?=\s*(?:楼|层|号|房|室))"
)
# The room right after a building or a unit: "2单元501", "3栋1202" (not "3栋1998年", "…2000元").
ROOM_AFTER_RE: Final = re.compile(
    r"(?:(?<=[栋幢])|(?<=单元))[\s\-]?(\d{3,4})(?![\d年月日号元米平万千人户个多余天次块%％.．])"
)
# "5-2-301", "12-3-1502": building-unit-room (dates have four-digit years and are left alone).
TRIPLE_RE: Final = re.compile(r"(?<![\d\-*])(\d{1,3})-(\d{1,2})-(\d{3,4})(?![\d\-])")
# A door number: "解放路18号", "桂花村3组", "门牌号：18号". Not "4月18号", "3号线", "1号文件".
DOOR_RE: Final = re.compile(
    r"(?:(?<=[路街巷道弄里村])|(?<=门牌)|(?<=门牌号)|(?<=门牌号码))[\s:：为是]{0,3}(\d+(?:-\d+)?)"
    r"(?=\s*(?:号|组|弄)(?![线文令楼院]))"
)


def _stars(match: re.Match[str], *, keep_head: int = 0, keep_tail: int = 0) -> str:
    """The match with its digits starred, except the first `keep_head` and last `keep_tail`
    digits; separators and letters stay where they are so the length never changes."""
    text = match.group(0)
    digit_at = [i for i, c in enumerate(text) if c.isdigit()]
    keep = set(digit_at[:keep_head]) | set(digit_at[len(digit_at) - keep_tail :])
    return "".join("*" if c.isdigit() and i not in keep else c for i, c in enumerate(text))


def _star_groups(match: re.Match[str]) -> str:
    """The match with every captured group starred (the rest of the match stays)."""
    text, start = match.group(0), match.start()
    chars = list(text)
    for index in range(1, (match.lastindex or 0) + 1):
        if match.group(index) is None:
            continue
        for position in range(match.start(index), match.end(index)):
            chars[position - start] = "*"
    return "".join(chars)


def mask_numbers(text: str) -> str:
    """Phone, ID and bank card numbers in free text masked: what intake stores in clear."""
    if not text:
        return text
    text = ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    text = CARD_RE.sub(lambda m: _stars(m, keep_tail=4), text)
    text = PHONE_RE.sub(lambda m: _stars(m, keep_tail=4, keep_head=_mobile_head(m)), text)
    # The area code is a place, not a person: it stays, and so do the last two digits.
    text = LANDLINE_RE.sub(_star_groups, text)
    return CALLED_NUMBER_RE.sub(_star_groups, text)


def _mobile_head(match: re.Match[str]) -> int:
    """Keep 138 of 13812345678, and of +86 138…, 86 and 138 (the country code is no secret)."""
    prefix = match.group(0)[: match.start(1) - match.start()]
    return 3 + sum(c.isdigit() for c in prefix)


def mask_names(text: str, *, names: Iterable[str] = ()) -> str:
    """The given names (the submitter's own) and the names the text announces, masked."""
    for name in names:
        name = (name or "").strip()
        if len(name) >= MIN_OWN_NAME:
            text = text.replace(name, mask_name(name))
    text = NAMED_RE.sub(lambda m: m.group(0)[: m.start(2) - m.start()] + "*" * len(m[2]), text)
    text = HONORIFIC_RE.sub(lambda m: "*" * len(m.group(1)), text)
    return OLD_NAME_RE.sub(lambda m: "老" + "*" * len(m.group(1)), text)


def mask_home_numbers(text: str) -> str:
    """Building, unit, room and door numbers masked; the community and the road stay."""
    text = TRIPLE_RE.sub(_star_groups, text)
    text = HOME_PART_RE.sub(_star_groups, text)
    text = ROOM_AFTER_RE.sub(_star_groups, text)
    return DOOR_RE.sub(_star_groups, text)


def mask_free_text(text: str, *, names: Iterable[str] = (), phones: Iterable[str] = ()) -> str:
    """Personal data in free text masked, the rest readable: the one masking of every page.

    `names` and `phones` are the submitter's own, masked wherever they occur (even in a form no
    pattern knows); then numbers, names and home numbers by pattern."""
    if not text:
        return text
    for phone in phones:
        phone = (phone or "").strip()
        if len(phone) >= 5:
            text = text.replace(phone, mask_phone(phone))
    text = mask_numbers(text)
    text = mask_names(text, names=names)
    return mask_home_numbers(text)


def mask_text(text: str) -> str:
    """`mask_free_text` without a submitter (reports, exports, the timeline's notes)."""
    return mask_free_text(text)
