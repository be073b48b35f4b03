"""Stored reply scores: filled when a reply is recorded and lazily by the readers, kept current."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.cases import services
from liaison.cases.models import Status
from liaison.cases.tests.factories import HandlingUnitFactory, case_in, make_unit_staff
from liaison.insights.models import ReplyScore
from liaison.insights.reply_quality import (
    FLAG_BOILERPLATE,
    ReplyItem,
    assess_replies,
    reply_reference,
)
from liaison.reports import quality
from liaison.reports.quality import (
    _item,
    quality_by_unit,
    reply_scores,
    unit_reply_quality,
)

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
    quality.clear_references()


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


def test_first_run_stores_the_batch_scores_and_second_run_reads_them(yuelu: Any) -> None:
    unit = HandlingUnitFactory()
    cases = _replied(unit, 2) + _replied(unit, 2, reply="已收悉")
    from liaison.cases.models import Case

    everything = Case.objects.all()
    first = quality_by_unit(cases=everything, month=MONTH)
    # What the report showed before scores were stored: the month scored as one batch.
    batch = assess_replies([_item(c) for c in cases], late_after=15)
    stored = {s.case_id: s for s in ReplyScore.objects.all()}
    assert {c.pk for c in cases} == set(stored)
    for case, assessment in zip(cases, batch, strict=True):
        assert stored[case.pk].score == assessment.score
        assert stored[case.pk].flag_list == assessment.flags
    with (
        mock.patch.object(quality, "assess_replies", side_effect=AssertionError("rescored")),
        CaptureQueriesContext(connection) as queries,
    ):
        second = quality_by_unit(cases=everything, month=MONTH)
    assert second == first
    assert len(queries) <= 2  # the rows with their scores, the county's setting
    assert first[0]["boilerplate"] == 2


def test_a_new_reply_after_reopening_is_scored_again(yuelu: Any) -> None:
    unit = HandlingUnitFactory()
    [case] = _replied(unit, 1, reply="已收悉")
    period = (MONTH, datetime.date(2025, 3, 31))
    [before] = reply_scores(case.__class__.objects.filter(pk=case.pk), period)
    assert FLAG_BOILERPLATE in before.flags
    case.reply, case.replied_at = GOOD, _at(20)
    case.save(update_fields=["reply", "replied_at"])
    [after] = reply_scores(case.__class__.objects.filter(pk=case.pk), period)
    assert FLAG_BOILERPLATE not in after.flags
    assert after.score > before.score
    assert ReplyScore.objects.get(pk=case.pk).score == after.score


def test_reply_service_scores_the_reply_on_commit(
    yuelu: Any, django_capture_on_commit_callbacks: Any
) -> None:
    unit = HandlingUnitFactory()
    clerk = make_unit_staff(unit, username="clerk")
    case = case_in(Status.ASSIGNED, unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, actor=clerk, reply="已收悉")
    score = ReplyScore.objects.get(pk=case.pk)
    assert FLAG_BOILERPLATE in score.flag_list
    assert score.score <= 40
    # The reader finds it current and does not score it again.
    today = timezone.localdate()
    with mock.patch.object(quality, "assess_replies", side_effect=AssertionError("rescored")):
        summary = unit_reply_quality(unit=unit, period=(today, today))
    assert summary.replies == 1


def test_few_unscored_replies_borrow_the_county_reference(yuelu: Any) -> None:
    unit = HandlingUnitFactory()
    _replied(unit, quality.MIN_REFERENCE + 5)
    [late] = _replied(unit, 1, reply="已收悉")
    with mock.patch.object(quality, "reply_reference", wraps=reply_reference) as built:
        stored = quality.reply_scores_store(case_ids=[late.pk])
    assert built.call_count == 1
    assert FLAG_BOILERPLATE in stored[late.pk].flag_list


def test_a_reference_gives_the_scores_of_the_batch_it_was_built_from() -> None:
    items = [
        ReplyItem(message=f"第{i}号楼电梯经常停运困人，请检修。", title=f"{i}号楼电梯故障",
                  reply=f"经检查，{i}号楼电梯控制柜故障，已更换主板并完成安全检测，恢复运行。",
                  key=i)
        for i in range(30)
    ]  # fmt: skip
    batch = assess_replies(items, calendar_overrides=False)
    reference = reply_reference(items)
    alone = [
        assess_replies([item], calendar_overrides=False, reference=reference)[0]
        for item in items[:5]
    ]
    assert [a.score for a in alone] == [b.score for b in batch[:5]]
    assert [a.flags for a in alone] == [b.flags for b in batch[:5]]
