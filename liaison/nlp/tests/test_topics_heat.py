"""Recency in a partly dated input: an undated topic cannot outrank a recent dated one."""

from __future__ import annotations

from datetime import date

from liaison.nlp.topics import Message, find_topics


def _pair(name: str, day: date | None) -> list[Message]:
    return [
        Message(f"{name}{i}", f"{name}夜间施工噪音扰民", f"{name}工地每晚施工噪音扰民", day)
        for i in range(2)
    ]


def test_undated_topic_of_a_dated_input_gets_the_recency_floor() -> None:
    messages = _pair("枫林小区", date(2020, 1, 10)) + _pair("翠湖花园", None)
    recent, undated = find_topics(messages)
    assert recent.message_ids == ["枫林小区0", "枫林小区1"]
    assert abs(undated.heat - recent.heat / 2) <= 0.01


def test_without_any_date_recency_is_neutral() -> None:
    (a, b) = find_topics(_pair("枫林小区", None) + _pair("翠湖花园", None))
    assert a.heat == b.heat > 0
