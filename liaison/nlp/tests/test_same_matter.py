"""The duplicate hint and hot topics on reworded messages about one matter (issue 11, item 3).

Before: two opinions about loose paving on the same road at the same station, worded a little
differently, were neither a duplicate hint (3-gram Jaccard ≈ 0.09) nor a hot topic.
"""

from __future__ import annotations

import random

import pytest

from liaison.nlp.matter import DEFAULT_MIN_SIMILARITY as MIN_SIMILARITY
from liaison.nlp.matter import MatterIndex, reference_space
from liaison.nlp.topics import Message, find_topics

PAVING = (
    "人民路人行道地砖松动",
    "人民路步行街一段人行道地砖松动，下雨天踩上去溅水，老人容易摔倒，希望尽快修复。",
)
PAVING_AGAIN = (
    "反映人民路地砖松动问题",
    "人民路步行街人行道上的地砖很多松动了，雨天一踩就溅一身泥水，老年人走路容易摔跤，请尽快维修。",
)
SAME_ROAD_OTHER_PROBLEM = ("人民路路灯不亮", "人民路步行街晚上路灯不亮，行人看不清。")
OTHER_ROAD_SAME_PROBLEM = ("芙蓉路人行道地砖松动", "芙蓉路人行道地砖松动，雨天溅水，请修复。")


def _index(*items: tuple[str, str]) -> MatterIndex:
    return MatterIndex(
        [(i, title, detail) for i, (title, detail) in enumerate(items)], space=reference_space()
    )


def test_reworded_paving_complaint_on_the_same_road_is_a_duplicate() -> None:
    index = _index(PAVING, SAME_ROAD_OTHER_PROBLEM, OTHER_ROAD_SAME_PROBLEM)
    found = index.query(*PAVING_AGAIN, min_similarity=MIN_SIMILARITY)
    assert [m.id for m in found] == [0]
    assert found[0].same_place


def test_without_a_model_the_index_fits_its_own_idf() -> None:
    index = MatterIndex([(0, *PAVING), (1, *SAME_ROAD_OTHER_PROBLEM)], space=None)
    assert [m.id for m in index.query(*PAVING_AGAIN, min_similarity=MIN_SIMILARITY)] == [0]


def test_same_template_about_another_road_is_not_a_duplicate() -> None:
    found = _index(OTHER_ROAD_SAME_PROBLEM).query(*PAVING, min_similarity=MIN_SIMILARITY)
    assert found == []


def test_paving_pair_is_a_hot_topic_and_the_others_are_not() -> None:
    messages = [
        Message(id=name, title=title, detail=detail)
        for name, (title, detail) in {
            "paving": PAVING,
            "again": PAVING_AGAIN,
            "lamp": SAME_ROAD_OTHER_PROBLEM,
            "other_road": OTHER_ROAD_SAME_PROBLEM,
        }.items()
    ]
    topics = find_topics(messages)
    assert [sorted(map(str, t.message_ids)) for t in topics] == [["again", "paving"]]
    assert "人民路" in topics[0].label
    assert "地砖" in topics[0].label


def test_real_messages_keep_the_hint_quiet_and_find_the_pair(
    labeled_rows: list[dict[str, str]],
) -> None:
    rows = random.Random(7).sample(labeled_rows, 2_300)
    background, queries = rows[:2_000], rows[2_000:]
    index = MatterIndex(
        [(i, r["title"], r["detail"]) for i, r in enumerate(background)]
        + [("paving", *PAVING), ("lamp", *SAME_ROAD_OTHER_PROBLEM)],
        space=reference_space(),
    )
    assert [m.id for m in index.query(*PAVING_AGAIN, min_similarity=MIN_SIMILARITY)] == ["paving"]
    # A hint on a message with no duplicate wastes staff time: on real messages (which do
    # include some true re-posts) it fires for few of them.
    fired = sum(1 for r in queries if index.query(r["title"], r["detail"], k=1))
    assert fired / len(queries) < 0.05


def test_real_month_with_the_pair_gives_its_topic(labeled_rows: list[dict[str, str]]) -> None:
    month = random.Random(3).sample(labeled_rows, 300)
    messages = [Message(id=i, title=r["title"], detail=r["detail"]) for i, r in enumerate(month)]
    messages += [Message(id="paving", title=PAVING[0], detail=PAVING[1])]
    messages += [Message(id="again", title=PAVING_AGAIN[0], detail=PAVING_AGAIN[1])]
    topics = find_topics(messages)
    ours = [t for t in topics if "paving" in t.message_ids]
    assert ours
    assert "again" in ours[0].message_ids
    assert ours[0].size <= 4  # not swallowed by an unrelated cluster


# --- rows added to a built index (decision 0046) ------------------------------------------------


def _same(one: MatterIndex, other: MatterIndex, title: str, detail: str) -> None:
    first = one.query(title, detail, k=15, min_similarity=0.2)
    second = other.query(title, detail, k=15, min_similarity=0.2)
    assert [(m.id, m.same_place, m.other_place) for m in first] == [
        (m.id, m.same_place, m.other_place) for m in second
    ]
    assert [m.similarity for m in first] == pytest.approx([m.similarity for m in second], abs=1e-4)


def _rows() -> list[tuple[int, str, str]]:
    rows = [
        (i, f"人民路第{i}段路灯不亮", f"人民路{i}号附近路灯坏了，晚上很黑，枫林小区居民出行不便。")
        for i in range(30)
    ]
    rows += [(100 + i, *item) for i, item in enumerate([PAVING, OTHER_ROAD_SAME_PROBLEM] * 3)]
    rows += [(200 + i, "蓓蕾小学收费", f"蓓蕾小学要求交{i}百元补课费") for i in range(5)]
    return random.Random(5).sample(rows, len(rows))


def test_rows_added_later_are_found_as_if_built_with_them() -> None:
    rows = _rows()
    whole = MatterIndex(rows, space=reference_space())
    grown = MatterIndex(rows[:12], space=reference_space())
    for start in range(12, len(rows), 5):  # more blocks than MAX_BLOCKS: some are merged
        grown.add(rows[start : start + 5])
    assert len(grown) == len(whole) == len(rows)
    # 人民路 became common (named by more than MIN_COMMON_PLACE rows) only as rows were added.
    assert whole._common == grown._common
    assert any("人民路" in key for key in whole._common)
    for title, detail in (
        PAVING_AGAIN,
        SAME_ROAD_OTHER_PROBLEM,
        ("枫林小区路灯", "小区门口路灯坏了"),
    ):
        _same(whole, grown, title, detail)
    _same(whole, grown, "蓓蕾小学补课费", "蓓蕾小学要求每个学生交八百元补课费")


def test_adding_nothing_or_to_an_empty_index() -> None:
    empty = MatterIndex([], space=reference_space())
    assert empty.query(*PAVING) == []
    empty.add([])
    empty.add([(1, *PAVING)])
    assert [m.id for m in empty.query(*PAVING_AGAIN, min_similarity=MIN_SIMILARITY)] == [1]


def test_real_messages_added_later_match_a_whole_build(labeled_rows: list[dict[str, str]]) -> None:
    sample = random.Random(11).sample(labeled_rows, 1_600)
    rows = [(i, r["title"], r["detail"]) for i, r in enumerate(sample[:1_500])]
    whole = MatterIndex(rows, space=reference_space())
    grown = MatterIndex(rows[:900], space=reference_space())
    for start in range(900, len(rows), 60):
        grown.add(rows[start : start + 60])
    for r in sample[1_500:]:
        _same(whole, grown, r["title"], r["detail"])
