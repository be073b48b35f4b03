"""One rating per person: a code counts once, a second or late rating is refused in Chinese and
changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from liaison.dutyreports.models import Rating, RatingCode, Status, Verdict
from liaison.dutyreports.services import duty_report_rate
from liaison.dutyreports.tests.factories import codes_of, report_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(station_officer: Any, deputy: Any, station: Any) -> Any:
    return report_in(Status.SCHEDULED, actor=station_officer, deputy=deputy, station=station)


def test_a_code_rates_once(report: Any) -> None:
    code = codes_of(report, 1)[0]
    rating = duty_report_rate(report=report, code=code, verdict=Verdict.SATISFIED, comment="很好")
    assert rating.verdict == Verdict.SATISFIED
    assert RatingCode.objects.get(pk=rating.code_id).used_at is not None


def test_a_second_rating_with_the_same_code_is_refused_and_nothing_counts_twice(
    report: Any,
) -> None:
    code = codes_of(report, 1)[0]
    duty_report_rate(report=report, code=code, verdict=Verdict.SATISFIED)
    with pytest.raises(ValidationError) as refused:
        duty_report_rate(report=report, code=f"{code[:4]} {code[4:]}", verdict=Verdict.UNSATISFIED)
    assert "每人只能测评一次" in " ".join(refused.value.messages)
    assert list(Rating.objects.values_list("verdict", flat=True)) == [Verdict.SATISFIED]


def test_different_codes_each_count(report: Any) -> None:
    for code in codes_of(report, 3):
        duty_report_rate(report=report, code=code, verdict=Verdict.BASIC)
    assert Rating.objects.filter(report=report).count() == 3


def test_a_wrong_code_is_refused(report: Any) -> None:
    wrong = "00000000" if codes_of(report, 1)[0] != "00000000" else "11111111"
    for bad in (wrong, "1234", "abc"):
        with pytest.raises(ValidationError) as refused:
            duty_report_rate(report=report, code=bad, verdict=Verdict.SATISFIED)
        assert "测评码" in " ".join(refused.value.messages)
    assert not Rating.objects.exists()


def test_a_code_of_another_report_does_not_work(
    report: Any, station_officer: Any, deputy: Any, station: Any
) -> None:
    other = report_in(Status.SCHEDULED, actor=station_officer, deputy=deputy, station=station)
    with pytest.raises(ValidationError):
        duty_report_rate(report=report, code=codes_of(other, 1)[0], verdict=Verdict.SATISFIED)
    assert not Rating.objects.exists()


def test_a_rating_after_the_window_is_refused(report: Any) -> None:
    code = codes_of(report, 1)[0]
    late = report.rating_closes_at + datetime.timedelta(seconds=1)
    with time_machine.travel(late), pytest.raises(ValidationError) as refused:
        duty_report_rate(report=report, code=code, verdict=Verdict.SATISFIED)
    assert "截止" in " ".join(refused.value.messages)
    assert not Rating.objects.exists()
    assert not RatingCode.objects.filter(used_at__isnull=False).exists()


def test_the_window_is_open_until_its_last_moment(report: Any) -> None:
    with time_machine.travel(report.rating_closes_at - datetime.timedelta(seconds=1)):
        duty_report_rate(report=report, code=codes_of(report, 1)[0], verdict=Verdict.BASIC)
    assert Rating.objects.count() == 1


def test_a_rating_before_the_meeting_is_refused(
    station_officer: Any, deputy: Any, station: Any
) -> None:
    later = report_in(
        Status.SCHEDULED,
        actor=station_officer,
        deputy=deputy,
        station=station,
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    with pytest.raises(ValidationError) as refused:
        duty_report_rate(report=later, code=codes_of(later, 1)[0], verdict=Verdict.SATISFIED)
    assert "尚未开始" in " ".join(refused.value.messages)


def test_a_cancelled_report_takes_no_rating(
    station_officer: Any, deputy: Any, station: Any
) -> None:
    cancelled = report_in(Status.CANCELLED, actor=station_officer, deputy=deputy, station=station)
    with pytest.raises(ValidationError):
        duty_report_rate(report=cancelled, code=codes_of(cancelled, 1)[0], verdict="satisfied")
    assert not Rating.objects.exists()


def test_bad_verdict_and_long_comment_are_refused(report: Any) -> None:
    code = codes_of(report, 1)[0]
    with pytest.raises(ValidationError) as refused:
        duty_report_rate(report=report, code=code, verdict="great", comment="长" * 301)
    assert set(refused.value.error_dict) == {"verdict", "comment"}
    # The refused attempt did not use the code up.
    duty_report_rate(report=report, code=code, verdict=Verdict.SATISFIED)


def test_the_comment_is_encrypted_at_rest(report: Any) -> None:
    from django.db import connection

    duty_report_rate(
        report=report, code=codes_of(report, 1)[0], verdict="basic", comment="电话13912345678"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT comment FROM dutyreports_rating")
        (stored,) = cursor.fetchone()
    assert "13912345678" not in stored


def test_the_database_keeps_no_code(report: Any) -> None:
    codes = set(codes_of(report, 60))
    hashes = set(RatingCode.objects.filter(report=report).values_list("code_hash", flat=True))
    assert len(hashes) == 60
    assert not codes & hashes


def test_the_schema_refuses_a_second_rating_when_two_submissions_race(report: Any) -> None:
    """The other request rated with the code between our conditional update and our insert: the
    one-to-one on the code refuses ours, which is told the code was used."""
    code = codes_of(report, 1)[0]
    first = duty_report_rate(report=report, code=code, verdict=Verdict.SATISFIED)
    RatingCode.objects.filter(pk=first.code_id).update(used_at=None)  # as if not yet marked
    with pytest.raises(ValidationError) as refused:
        duty_report_rate(report=report, code=code, verdict=Verdict.UNSATISFIED)
    assert "每人只能测评一次" in " ".join(refused.value.messages)
    assert list(Rating.objects.values_list("verdict", flat=True)) == [Verdict.SATISFIED]
