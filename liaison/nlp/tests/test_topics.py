"""Places extraction and hot topics."""

from __future__ import annotations

from datetime import date

import pytest

from liaison.nlp.places import extract_places, place_keys
from liaison.nlp.topics import Message, find_topics, heat_index


@pytest.mark.parametrize(
    ("text", "label", "kind"),
    [
        ("反映A市A3区麓谷街道枫林小区噪音扰民", "A市A3区麓谷街道枫林小区", "compound"),
        ("住在A7县蓓蕾小学旁边", "A7县蓓蕾小学", "school"),
        ("K1区珠山镇上田村3组修路", "K1区珠山镇上田村3组", "village"),
        ("K9县中心医院药价太贵", "K9县中心医院", "hospital"),
        ("关于A市A3区华润置地公司拖欠工资", "A市A3区华润置地公司", "company"),
        ("月湖大市场里有传销", "月湖大市场", "market"),
        ("书院路主干道占道施工", "书院路", "road"),
    ],
)
def test_places_are_extracted_with_their_masks(text: str, label: str, kind: str) -> None:
    found = {p.label: p.kind for p in extract_places(text)}
    assert found.get(label) == kind


@pytest.mark.parametrize("text", ["投诉我们小区物业", "民办学校收费", "我们村", "", "hello"])
def test_generic_places_are_not_places(text: str) -> None:
    assert [p for p in extract_places(text) if p.is_specific] == []


def test_place_keys_drop_the_mask() -> None:
    assert place_keys("A3区枫林小区", "枫林小区噪音") == ["枫林小区"]
    assert extract_places(None) == []


def _noise(i: int, place: str, day: int) -> Message:
    return Message(
        id=f"{place}{i}",
        title=f"A市A3区{place}夜间施工噪音扰民{'！' * i}",
        detail=f"{place}旁边工地每晚施工到凌晨，噪音扰民，第{i}次反映，居民无法休息。",
        submitted_at=date(2020, 1, day),
    )


def test_two_compounds_become_two_topics_and_a_singleton_is_none() -> None:
    messages = [_noise(i, "枫林小区", 1 + i) for i in range(4)]
    messages += [_noise(i, "翠湖花园", 10) for i in range(2)]
    messages.append(Message(id="lone", title="B市人民医院停车难", detail="停车位太少"))
    topics = find_topics(messages)
    assert [sorted(t.message_ids) for t in topics] == [
        [f"枫林小区{i}" for i in range(4)],
        ["翠湖花园0", "翠湖花园1"],
    ]
    first = topics[0]
    assert first.rank == 1
    assert first.size == 4
    assert first.people == 4
    assert "枫林小区" in first.label
    assert "A3区" in first.label
    assert first.start == date(2020, 1, 1)
    assert first.end == date(2020, 1, 4)
    assert first.heat > topics[1].heat
    assert len(find_topics(messages, top=1)) == 1


def test_same_place_different_problem_is_not_one_topic() -> None:
    messages = [
        Message(1, "枫林小区夜间施工噪音扰民", "工地每晚施工噪音大"),
        Message(2, "枫林小区物业费上涨", "物业公司擅自把物业费从一元涨到两元"),
    ]
    assert find_topics(messages) == []


def test_heat_grows_with_people_days_support_and_recency() -> None:
    base = heat_index(people=3, days=1, support=0, age_days=0)
    assert heat_index(people=6, days=1, support=0, age_days=0) > base
    assert heat_index(people=3, days=5, support=0, age_days=0) > base
    assert heat_index(people=3, days=1, support=20, age_days=0) > base
    assert heat_index(people=3, days=1, support=0, age_days=60) < base
    assert heat_index(people=3, days=1, support=0, age_days=None) == base


def test_one_user_reposting_counts_once() -> None:
    messages = [
        Message(i, "枫林小区噪音扰民严重", "工地夜间施工噪音扰民", user="u1") for i in range(3)
    ]
    (topic,) = find_topics(messages)
    assert topic.size == 3
    assert topic.people == 1


def test_real_messages_give_topics(labeled_rows: list[dict[str, str]]) -> None:
    messages = [Message(i, r["title"], r["detail"]) for i, r in enumerate(labeled_rows[:3000])]
    topics = find_topics(messages, top=20)
    assert len(topics) == 20
    assert all(t.size >= 2 and t.label for t in topics)
    assert [t.heat for t in topics] == sorted((t.heat for t in topics), reverse=True)
