"""The rebuild command finds no difference after normal use: a random sequence of record,
verify, withdraw, re-date and correct operations, each followed by the live sync the source's
service would trigger; then `points_rebuild` must report a clean ledger, and every total must
equal what the rules give for the facts plus the corrections."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.points.models import EntryKind, PointEntry, PointTotal
from liaison.points.rules import RuleKey, apply_rules, rule_values
from liaison.points.services import ledger_sync, points_correct, points_sync
from liaison.points.sources import Fact
from liaison.regions.tests.factories import YUELU, region

pytestmark = pytest.mark.django_db

YEAR = 2025
RULES = [r for r in RuleKey.values if r != RuleKey.CORRECTION]
KINDS = ["research", "publicity", "local_council"]


def _random_fact(rng: random.Random, deputy_id: int, source_id: int) -> Fact:
    rule = rng.choice(RULES)
    quantity = Decimal(rng.choice(["1", "2", "3.5"])) if rule in (
        RuleKey.TRAINING_HOUR, RuleKey.ABSENCE,
    ) else Decimal(1)  # fmt: skip
    day = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(365))
    return Fact(deputy_id, rule, "hand", source_id, day, quantity=quantity,
                detail=rng.choice(KINDS), label=f"记录{source_id}")  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_operations_leave_nothing_for_the_rebuild(
    seed: int, hand: Any, deputies: list[Any]
) -> None:
    rng = random.Random(seed)
    staff = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username=f"cs{seed}")
    corrections: dict[int, Decimal] = defaultdict(Decimal)
    next_id = 1
    for _step in range(50):
        deputy = rng.choice(deputies)
        op = rng.random()
        mine = [k for k, f in hand.facts.items() if f.deputy_id == deputy.pk]
        if op < 0.45 or not mine:  # a record is verified / confirmed: it counts
            hand.put(_random_fact(rng, deputy.pk, next_id))
            next_id += 1
        elif op < 0.65:  # withdrawn (returned, unconfirmed, merged): it stops counting
            hand.drop(*rng.choice(mine))
        elif op < 0.8:  # re-dated or re-measured (a course's hours, a case closed again)
            rule, source_id = rng.choice(mine)
            old = hand.facts[(rule, source_id)]
            day = datetime.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
            more = old.quantity + 1
            hand.put(Fact(old.deputy_id, old.rule, old.source_kind, old.source_id, day,
                          quantity=more, detail=old.detail, label=old.label))  # fmt: skip
        else:  # a staff correction with its reason
            points = Decimal(rng.choice(["-3", "2", "1.5"]))
            points_correct(deputy=deputy, actor=staff, points=points, reason="核对台账后更正",
                           year=YEAR, quarter=rng.randint(1, 4))  # fmt: skip
            corrections[deputy.pk] += points
            continue
        points_sync(deputy_ids=[deputy.pk], year=YEAR)  # what the source's service triggers

    out = StringIO()
    call_command("points_rebuild", "--year", str(YEAR), stdout=out)
    assert "matches" in out.getvalue()
    assert ledger_sync(deputy_ids=None, year=YEAR, write=False).clean

    values = rule_values("430104002000")
    for deputy in deputies:
        own = [f for f in hand.facts.values() if f.deputy_id == deputy.pk]
        expected = sum((p for _f, p in apply_rules(own, values)), Decimal(0))
        expected += corrections[deputy.pk]
        total = PointTotal.objects.get(deputy=deputy, year=YEAR, quarter=0)
        assert total.points == expected
        quarters = PointTotal.objects.filter(deputy=deputy, year=YEAR, quarter__gte=1)
        assert sum(q.points for q in quarters) == total.points
        assert total.entries == PointEntry.objects.filter(deputy=deputy, year=YEAR).count()


def test_a_change_nobody_synced_is_reported_and_fixed_by_appending(
    hand: Any, deputies: list[Any]
) -> None:
    deputy = deputies[0]
    hand.put(Fact(deputy.pk, RuleKey.RECEPTION_DAY, "hand", 1, datetime.date(YEAR, 3, 1)))
    points_sync(deputy_ids=[deputy.pk], year=YEAR)
    hand.drop(RuleKey.RECEPTION_DAY, 1)  # withdrawn, but its service never told points
    with pytest.raises(CommandError, match="1 differing entries"):
        call_command("points_rebuild", "--year", str(YEAR), stdout=StringIO())
    out = StringIO()
    call_command("points_rebuild", "--year", str(YEAR), "--fix", stdout=out)
    assert "appended 1" in out.getvalue()
    assert [e.kind for e in PointEntry.objects.order_by("id")] == [
        EntryKind.GRANT, EntryKind.REVERSAL,
    ]  # fmt: skip
    call_command("points_rebuild", "--year", str(YEAR), stdout=StringIO())  # clean again


def test_a_changed_rule_is_applied_by_the_rebuild_as_adjustments(
    hand: Any, deputies: list[Any]
) -> None:
    from liaison.jurisdiction.models import JurisdictionSetting

    deputy = deputies[0]
    hand.put(Fact(deputy.pk, RuleKey.DUTY_REPORT, "hand", 1, datetime.date(YEAR, 6, 1)))
    points_sync(deputy_ids=[deputy.pk], year=YEAR)
    JurisdictionSetting.objects.create(region_id=YUELU, key="points_duty_report", value=12)
    from liaison.common import hotcache

    hotcache.clear_all()
    result = ledger_sync(deputy_ids=None, year=YEAR, write=True)
    assert result.written == 1
    assert PointEntry.objects.order_by("id").last().kind == EntryKind.ADJUST  # type: ignore[union-attr]
    assert PointTotal.objects.get(deputy=deputy, year=YEAR, quarter=0).points == 12
