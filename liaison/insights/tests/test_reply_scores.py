"""Stored reply scores: written in batches per county, read back, redone when stale."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from liaison.cases.models import Status
from liaison.cases.tests.factories import HandlingUnitFactory, case_in
from liaison.insights import reply_scores
from liaison.insights.models import ReplyScore
from liaison.nlp.reply_quality import FLAG_BOILERPLATE, reply_reference

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2025, 3, 1)
GOOD = (
    "经现场核查，桃花小区门口两盏路灯因线路老化损坏，已于3月12日更换线路和灯具，"
    "目前路灯已恢复正常照明，后续将加强巡查。"
)


def _at(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, 3, day, 10))


@pytest.fixture(autouse=True)
def _fresh_reference() -> None:
    reply_scores.clear_references()


def _replied(unit: Any, n: int, *, reply: str = GOOD, **kw: Any) -> list[Any]:
    return [
        case_in(
            Status.REPLIED,
            unit=unit,
            title="桃花小区路灯不亮",
            content="桃花小区门口路灯坏了两个月，晚上出行不便。",
            submitted_at=_at(1),
            assigned_at=_at(2),
            reply_due=datetime.date(2025, 3, 25),
            replied_at=_at(3 + i % 20),
            reply=reply,
            **kw,
        )
        for i in range(n)
    ]


def test_a_new_reply_after_reopening_is_scored_again(yuelu: Any) -> None:
    unit = HandlingUnitFactory()
    [case] = _replied(unit, 1, reply="已收悉")
    period = (MONTH, datetime.date(2025, 3, 31))
    [before] = reply_scores.reply_scores(case.__class__.objects.filter(pk=case.pk), period)
    assert FLAG_BOILERPLATE in before.flags
    case.reply, case.replied_at = GOOD, _at(20)
    case.save(update_fields=["reply", "replied_at"])
    [after] = reply_scores.reply_scores(case.__class__.objects.filter(pk=case.pk), period)
    assert FLAG_BOILERPLATE not in after.flags
    assert after.score > before.score
    assert ReplyScore.objects.get(pk=case.pk).score == after.score


def test_few_unscored_replies_borrow_the_county_reference(yuelu: Any) -> None:
    unit = HandlingUnitFactory()
    _replied(unit, reply_scores.MIN_REFERENCE + 5)
    [late] = _replied(unit, 1, reply="已收悉")
    with mock.patch.object(reply_scores, "reply_reference", wraps=reply_reference) as built:
        stored = reply_scores.reply_scores_store(case_ids=[late.pk])
    assert built.call_count == 1
    assert FLAG_BOILERPLATE in stored[late.pk].flag_list
