"""The report's reply quality reads stored scores: filled when a reply is recorded or on first read.

The storage itself is tested in liaison/insights/tests/test_reply_scores.py."""

from __future__ import annotations

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
from liaison.insights.tests.replies import MONTH
from liaison.insights.tests.replies import replied as _replied
from liaison.nlp.reply_quality import FLAG_BOILERPLATE
from liaison.reports.quality import quality_by_unit, unit_reply_quality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_reference() -> None:
    reply_scores.clear_references()


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
