"""The registry of point sources: what makes a deputy's duty countable, told by the apps above.

Points sit below the apps whose records count (activities, receptions, suggestions, duty
reports), so it never imports them. Each of those apps registers, in its `AppConfig.ready`, a
provider that yields the countable facts of a set of deputies in a date range; the ledger
(`services/ledger.py`) turns facts into entries through the rules. The live sync, the worker's
sweep and the rebuild command all ask the same providers, so they cannot disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Fact:
    """One countable thing a deputy did (or failed to do), as its source app sees it."""

    deputy_id: int
    rule: str  # a RuleKey value
    source_kind: str  # e.g. "activity", "reception_duty"; with source_id, names the record
    source_id: int
    on: datetime.date  # decides the period (quarter) the points belong to
    quantity: Decimal = Decimal(1)  # hours of a training; half days of an absence; else 1
    detail: str = ""  # what the rule needs besides the rule (an activity's kind)
    label: str = field(default="", compare=False)  # how it arose, in Chinese, for the ledger


# deputies (None: every deputy), first day, last day → facts in that range.
Provider = Callable[[Collection[int] | None, datetime.date, datetime.date], Iterable[Fact]]
# since → (deputy id, year) pairs whose facts may have changed without their app telling points
# (a case taken at a reception and closed later: cases lie below points and cannot call it).
ChangedSince = Callable[[datetime.datetime], Iterable[tuple[int, int]]]


@dataclass(frozen=True)
class Source:
    name: str
    provider: Provider
    changed_since: ChangedSince | None = None


_sources: dict[str, Source] = {}


def point_source_register(
    name: str, provider: Provider, *, changed_since: ChangedSince | None = None
) -> None:
    """Called from a source app's `AppConfig.ready` (a second call replaces the first)."""
    _sources[name] = Source(name=name, provider=provider, changed_since=changed_since)


def point_source_unregister(name: str) -> None:
    """For tests that swap a provider."""
    _sources.pop(name, None)


def point_sources() -> list[Source]:
    return [_sources[name] for name in sorted(_sources)]


def facts_for(
    deputy_ids: Collection[int] | None, start: datetime.date, end: datetime.date
) -> list[Fact]:
    """Every registered source's facts for the deputies between start and end (inclusive)."""
    wanted = None if deputy_ids is None else set(deputy_ids)
    facts: list[Fact] = []
    for source in point_sources():
        for fact in source.provider(wanted, start, end):
            if start <= fact.on <= end and (wanted is None or fact.deputy_id in wanted):
                facts.append(fact)
    return facts
