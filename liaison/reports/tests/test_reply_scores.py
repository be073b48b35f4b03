"""The report's reply quality reads stored scores: filled when a reply is recorded or on first read.

The storage itself is tested in liaison/insights/tests/test_reply_scores.py."""

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
from liaison.insights import reply_scores
from liaison.insights.models import ReplyScore
from liaison.insights.reply_quality import assess_with_calendar
from liaison.insights.reply_scores import _item
from liaison.nlp.reply_quality import FLAG_BOILERPLATE
from liaison.reports.quality import quality_by_unit, unit_reply_quality

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


def test_first_run_stores_the_batch_scores_and_second_run_reads_them(yuelu: Any) -> None:
    unit = HandlingUnitFactory()
    cases = _replied(unit, 2) + _replied(unit, 2, reply="已收悉")
    from liaison.cases.models import Case

    everything = Case.objects.all()
    first = quality_by_unit(cases=everything, month=MONTH)
    # What the report showed before scores were stored: the month scored as one batch.
    batch = assess_with_calendar([_item(c) for c in cases], late_after=15)
    stored = {s.case_id: s for s in ReplyScore.objects.all()}
    assert {c.pk for c in cases} == set(stored)
    for case, assessment in zip(cases, batch, strict=True):
        assert stored[case.pk].score == assessment.score
        assert stored[case.pk].flag_list == assessment.flags
    with (
        mock.patch.object(
            reply_scores, "assess_with_calendar", side_effect=AssertionError("rescored")
        ),
        CaptureQueriesContext(connection) as queries,
    ):
        second = quality_by_unit(cases=everything, month=MONTH)
    assert second == first
    assert len(queries) <= 2  # the rows with their scores, the county's setting
    assert first[0]["boilerplate"] == 2


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
    with mock.patch.object(
        reply_scores, "assess_with_calendar", side_effect=AssertionError("rescored")
    ):
        summary = unit_reply_quality(unit=unit, period=(today, today))
    assert summary.replies == 1
