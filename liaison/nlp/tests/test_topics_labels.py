"""Topic labels read as a place plus the problem phrase the titles share."""

from __future__ import annotations

from liaison.nlp.topics import Message, find_topics
from liaison.nlp.topics_text import PHRASE_CHARS, KeywordScorer


def _topic_label(titles: list[str], detail: str) -> str:
    messages = [Message(i, title, f"{detail}（第{i}次）") for i, title in enumerate(titles)]
    (topic,) = find_topics(messages)
    return topic.label


def test_label_is_place_plus_whole_shared_phrase() -> None:
    label = _topic_label(
        [
            "投诉A3区枫林小区夜间施工噪音扰民的问题",
            "A3区枫林小区夜间施工噪音扰民",
            "枫林小区夜间施工噪音扰民严重！",
        ],
        "枫林小区旁边工地每晚施工到凌晨，噪音扰民，居民无法休息。",
    )
    assert label == "A3区枫林小区 夜间施工噪音扰民"


def test_second_suffix_of_the_place_does_not_start_the_phrase() -> None:
    label = _topic_label(
        ["E2区和乐中央公园小区垃圾场臭气熏天", "和乐中央公园小区的垃圾场臭气熏天"],
        "和乐中央公园小区旁的垃圾场夏天臭气熏天，蚊蝇成群。",
    )
    assert label == "E2区和乐中央公园小区 垃圾场臭气熏天"


def test_label_without_place_is_the_shared_clause() -> None:
    label = _topic_label(
        ["关于环保局整治污染不作为的投诉", "环保局整治污染不作为，请求查处"],
        "有人长期往河里偷排污水，环保局多次接到举报都没有处理。",
    )
    assert label == "环保局整治污染不作为"


def test_a_long_clause_is_cut_to_a_window_of_shared_words() -> None:
    titles = [
        "要求追回村道公路硬化工程拖欠多年的运费和农民工工资以及材料款项目",
        "追回村道公路硬化工程拖欠多年的运费和农民工工资以及材料款",
    ]
    phrase = KeywordScorer(titles).phrase(titles, [])
    assert 0 < len(phrase) <= PHRASE_CHARS
    assert phrase in titles[1]
    assert not phrase.endswith(("和", "的"))
