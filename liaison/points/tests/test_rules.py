"""Point rules without the database: values per kind, deductions, caps per quarter and year,
applied in a fixed order so that any order of facts gives the same points."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from liaison.points.rules import (
    DEFAULT_CAPS,
    Band,
    RuleKey,
    RuleValues,
    apply_rules,
    quarter_of,
    validate_caps,
)
from liaison.points.sources import Fact

D = Decimal


def values(caps: tuple[tuple[str, str, int], ...] = ()) -> RuleValues:
    return RuleValues(
        points={
            RuleKey.TRAINING_HOUR: 1, RuleKey.RECEPTION_DAY: 5, RuleKey.RECEPTION_CASE: 2,
            RuleKey.DUTY_REPORT: 10, RuleKey.SUGGESTION: 5, RuleKey.ABSENCE: 2,
            RuleKey.RECEPTION_MISSED: 5,
        },
        activity_kinds={"research": 4, "publicity": 2},
        activity_other=1,
        caps=caps,
        band_good=80,
        band_fair=60,
    )  # fmt: skip


def fact(rule: str, day: datetime.date, source_id: int, **kw: object) -> Fact:
    return Fact(1, rule, "test", source_id, day, **kw)  # type: ignore[arg-type]


JAN, FEB, APR = datetime.date(2026, 1, 5), datetime.date(2026, 2, 5), datetime.date(2026, 4, 5)


def test_each_rule_has_its_value_and_deductions_are_negative() -> None:
    got = apply_rules(
        [
            fact(RuleKey.ACTIVITY, JAN, 1, detail="research"),
            fact(RuleKey.ACTIVITY, JAN, 2, detail="local_council"),  # not listed: "other"
            fact(RuleKey.TRAINING_HOUR, JAN, 3, quantity=D("3.5")),
            fact(RuleKey.RECEPTION_DAY, JAN, 4),
            fact(RuleKey.ABSENCE, JAN, 5, quantity=D(3)),
            fact(RuleKey.RECEPTION_MISSED, JAN, 6),
            fact(RuleKey.DUTY_REPORT, JAN, 7),
        ],
        values(),
    )
    assert [points for _fact, points in got] == [D(4), D(1), D("3.5"), D(5), D(-6), D(-5), D(10)]


def test_quarter_cap_fills_by_date_and_resets_next_quarter() -> None:
    facts = [fact(RuleKey.ACTIVITY, d, i, detail="research") for i, d in
             enumerate([FEB, JAN, FEB, JAN, APR], start=1)]  # fmt: skip
    got = {f.source_id: p for f, p in apply_rules(facts, values((("activity", "quarter", 10),)))}
    # January's two first (4 + 4), then February's by source id: 2 left, then 0; April anew.
    assert got == {2: D(4), 4: D(4), 1: D(2), 3: D(0), 5: D(4)}


def test_year_cap_and_quarter_cap_both_bound() -> None:
    caps = (("reception_day", "quarter", 10), ("reception_day", "year", 12))
    facts = [fact(RuleKey.RECEPTION_DAY, d, i) for i, d in enumerate([JAN, JAN, JAN, APR], 1)]
    assert [p for _f, p in apply_rules(facts, values(caps))] == [D(5), D(5), D(0), D(2)]


def test_deduction_cap_limits_what_is_taken() -> None:
    facts = [fact(RuleKey.ABSENCE, JAN, i, quantity=D(2)) for i in range(1, 5)]
    got = [p for _f, p in apply_rules(facts, values((("absence", "year", 10),)))]
    assert got == [D(-4), D(-4), D(-2), D(0)]


def test_order_of_facts_does_not_change_points() -> None:
    facts = [
        fact(rule, datetime.date(2026, m, d), i, detail="research", quantity=D(q))
        for i, (rule, m, d, q) in enumerate(
            [(RuleKey.ACTIVITY, m, d, 1) for m in (1, 2, 5) for d in (3, 9)]
            + [(RuleKey.TRAINING_HOUR, 3, 1, 7), (RuleKey.TRAINING_HOUR, 3, 1, 9)]
        )
    ]
    caps = (("activity", "quarter", 10), ("training_hour", "year", 12))
    first = sorted((f.source_id, p) for f, p in apply_rules(facts, values(caps)))
    for seed in range(5):
        shuffled = facts[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted((f.source_id, p) for f, p in apply_rules(shuffled, values(caps))) == first


@pytest.mark.parametrize(
    ("total", "band"),
    [(D(80), Band.GOOD), (D("79.5"), Band.FAIR), (D(60), Band.FAIR), (D("59.9"), Band.POOR)],
)
def test_bands_at_their_edges(total: Decimal, band: Band) -> None:
    assert values().band(total) == band


def test_quarters() -> None:
    assert [quarter_of(datetime.date(2026, m, 1)) for m in (1, 3, 4, 7, 12)] == [1, 1, 2, 3, 4]


def test_default_caps_are_valid_and_bad_caps_are_refused_in_chinese() -> None:
    validate_caps(DEFAULT_CAPS)
    for bad in (
        [{"rule": "nonsense", "period": "year", "max": 1}],
        [{"rule": "activity", "period": "month", "max": 1}],
        [{"rule": "activity", "period": "year", "max": -1}],
        [{"rule": "correction", "period": "year", "max": 1}],
        [{"rule": "activity", "period": "year", "max": 1}] * 2,
    ):
        with pytest.raises(ValidationError) as error:
            validate_caps(bad)
        assert "第 " in error.value.messages[0]
