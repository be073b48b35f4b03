"""Stored reply scores: written in batches per county, read back, redone when stale."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest

from liaison.cases.tests.factories import HandlingUnitFactory
from liaison.insights import reply_scores
from liaison.insights.models import ReplyScore
from liaison.insights.tests.replies import GOOD, MONTH
from liaison.insights.tests.replies import at as _at
from liaison.insights.tests.replies import replied as _replied
from liaison.nlp.reply_quality import FLAG_BOILERPLATE, reply_reference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_reference() -> None:
    reply_scores.clear_references()


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
