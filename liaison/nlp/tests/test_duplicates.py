"""Near-duplicate index and grouping, on synthetic text and on the real campaign re-posts."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

from liaison.nlp.duplicates import DuplicateIndex, group_duplicates, signatures

BASE = [
    (
        "A市A3区枫林小区夜间施工噪音扰民",
        "枫林小区旁边的工地每天晚上十点以后还在施工，噪音很大，居民无法休息。",
    ),
    (
        "A7县蓓蕾小学违规收取补课费",
        "蓓蕾小学要求每个学生交八百元补课费，不交就不让上课，请教育局查处。",
    ),
    ("K1区上田村道路年久失修", "上田村到镇上的村道坑坑洼洼，下雨天无法通行，请求尽快修复。"),
    ("B市人民医院停车难", "医院门口停车位太少，看病的车辆排队到马路上，造成交通拥堵。"),
]


def _perturb(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(2):
        chars.insert(rng.randrange(len(chars)), "！")
    return "".join(chars) + "望领导重视"


def test_query_finds_reposts_and_not_other_matters() -> None:
    rng = random.Random(1)
    items = [(f"base{i}", t, d) for i, (t, d) in enumerate(BASE)]
    items += [(f"filler{i}", f"其他问题第{i}号", f"与本题无关的内容{i}" * 3) for i in range(300)]
    index = DuplicateIndex.build(items)
    title, detail = BASE[0]
    matches = index.query(title, _perturb(detail, rng), k=3)
    assert matches
    assert matches[0].id == "base0"
    assert matches[0].similarity > 0.6
    assert all(m.id != "base1" for m in matches)


def test_add_then_query_and_exclude() -> None:
    index = DuplicateIndex.build([])
    for i, (title, detail) in enumerate(BASE):
        index.add(i, title, detail)
    assert len(index) == len(BASE)
    assert index.query(*BASE[2])[0].id == 2
    assert index.query(*BASE[2], exclude=[2]) == []


def test_empty_and_huge_and_non_chinese_text() -> None:
    index = DuplicateIndex.build([(1, "", ""), (2, "hello world noise", "x" * 60_000)])
    assert index.query("", "") == []
    assert index.query(None, None) == []
    assert [m.id for m in index.query("hello world noise", "x" * 50_000)] == [2]
    assert signatures([]).shape == (0, 64)


def test_same_place_raises_similarity() -> None:
    items = [(1, "枫林小区垃圾无人清运", "小区垃圾站垃圾堆了一周没人清运，臭气熏天")]
    items += [(100 + i, f"其他事项{i}", f"无关内容{i}") for i in range(50)]
    plain = DuplicateIndex.build(items)
    placed = DuplicateIndex.build(items, places=True)
    query = ("枫林小区垃圾站很臭", "垃圾长期不清运，夏天臭气熏天")
    low = plain.query(*query, min_similarity=0.0)
    high = placed.query(*query, min_similarity=0.0)
    assert high
    assert high[0].id == 1
    assert high[0].same_place
    assert not low or high[0].similarity > low[0].similarity


def test_group_duplicates_synthetic() -> None:
    rng = random.Random(2)
    items = []
    for i, (title, detail) in enumerate(BASE):
        for copy in range(3 if i < 2 else 1):
            items.append((f"{i}-{copy}", title, _perturb(detail, rng)))
    groups = group_duplicates(items)
    assert sorted(map(sorted, groups)) == [["0-0", "0-1", "0-2"], ["1-0", "1-1", "1-2"]]
    assert group_duplicates([]) == []


def test_real_campaign_reposts_are_grouped(labeled_rows: list[dict[str, str]]) -> None:
    rows = labeled_rows[:4000]
    items = [(i, row["title"], row["detail"]) for i, row in enumerate(rows)]
    groups = group_duplicates(items)
    assert len(groups) >= 50
    # Hand-checkable precision proxy: members of a group share their title or detail opening.
    agree = 0
    for group in groups:
        first = rows[group[0]]
        other = rows[group[1]]
        text_a = first["title"] + first["detail"][:300]
        text_b = other["title"] + other["detail"][:300]
        agree += SequenceMatcher(None, text_a, text_b, autojunk=False).ratio() >= 0.5
    assert agree / len(groups) >= 0.9
    index = DuplicateIndex.build(items)
    hits = sum(
        1
        for group in groups[:30]
        if group[1]
        in {m.id for m in index.query(rows[group[0]]["title"], rows[group[0]]["detail"])}
    )
    assert hits >= 27
