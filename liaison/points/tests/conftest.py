"""Fixtures of the points tests: a source whose facts the test sets by hand."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator
from typing import Any

import pytest

from liaison.points.sources import Fact, point_source_register, point_source_unregister


class HandSource:
    """Facts held in a dict, as a source app's records would be; `changed` for the sweep."""

    name = "hand"

    def __init__(self) -> None:
        self.facts: dict[tuple[str, int], Fact] = {}
        self.changed: list[tuple[int, int]] = []

    def put(self, fact: Fact) -> None:
        self.facts[(fact.rule, fact.source_id)] = fact

    def drop(self, rule: str, source_id: int) -> Fact:
        return self.facts.pop((rule, source_id))

    def provide(
        self, deputy_ids: Collection[int] | None, start: datetime.date, end: datetime.date
    ) -> list[Fact]:
        return [
            f for f in self.facts.values()
            if (deputy_ids is None or f.deputy_id in deputy_ids) and start <= f.on <= end
        ]  # fmt: skip

    def changed_since(self, since: datetime.datetime) -> list[tuple[int, int]]:
        return list(self.changed)


@pytest.fixture
def hand() -> Iterator[HandSource]:
    source = HandSource()
    point_source_register(source.name, source.provide, changed_since=source.changed_since)
    yield source
    point_source_unregister(source.name)


@pytest.fixture
def world(hunan: None, hand: HandSource) -> dict[str, Any]:
    """Two counties, each with a station, a deputy with points and a user of every role."""
    from liaison.points.tests.world import build_world

    return build_world(hand)


@pytest.fixture
def deputies(yuelu: Any) -> list[Any]:
    """Four deputies of 岳麓街道 (岳麓区)."""
    from liaison.deputies.tests.factories import DeputyFactory

    return [DeputyFactory(name=f"积分代表{i}", home_region_id="430104002000") for i in range(4)]
