"""The ledger through the real sources: verified activities, absences, reception days,
suggestions, corrections. Entries are appended, never changed; nothing counts twice."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.activities.models import Participation, Status
from liaison.activities.services import activity_record, activity_verify
from liaison.activities.tests.factories import activity_in, training_in
from liaison.audit.models import AuditEvent
from liaison.common.append_only import AppendOnlyError
from liaison.points.models import EntryKind, PointEntry, PointTotal
from liaison.points.rules import RuleKey
from liaison.points.services import points_correct, points_sweep, points_sync
from liaison.points.sources import Fact
from liaison.receptions.models import DayStatus
from liaison.receptions.services.rota import duty_confirm
from liaison.receptions.tests.factories import ReceptionDayFactory, ReceptionDutyFactory, at
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU, region
from liaison.stations.tests.factories import StationFactory
from liaison.suggestions.models import Status as SuggestionStatus
from liaison.suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _net(deputy: Any) -> Decimal:
    return sum((e.points for e in PointEntry.objects.filter(deputy=deputy)), D(0))


def _year_total(deputy: Any, year: int) -> Decimal:
    return PointTotal.objects.get(deputy=deputy, year=year, quarter=0).points


@pytest.fixture
def station(yuelu: Any) -> Any:
    return StationFactory(name="岳麓街道人大代表联络站", region_id="430104002000")


@pytest.fixture
def verifier(yuelu: Any) -> Any:
    return make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="verifier")


def test_unverified_activity_earns_nothing_and_verification_counts_once(
    station: Any, deputies: list[Any], verifier: Any, django_capture_on_commit_callbacks: Any
) -> None:
    deputy = deputies[0]
    activity = activity_in(Status.SUBMITTED, station=station, invited=[deputy], attended=[deputy])
    year = timezone.localtime(activity.starts_at).year
    points_sync(deputy_ids=[deputy.pk], year=year)
    assert not PointEntry.objects.filter(deputy=deputy).exists()  # points for an unverified record
    assert _year_total(deputy, year) == 0
    with django_capture_on_commit_callbacks(execute=True):
        activity_verify(activity=activity, actor=verifier)
    entry = PointEntry.objects.get(deputy=deputy)
    assert (entry.kind, entry.rule, entry.points) == (EntryKind.GRANT, RuleKey.ACTIVITY, D(4))
    assert entry.source_kind == "activity" and entry.source_id == activity.pk
    assert "社区养老服务调研" in entry.source_label
    points_sync(deputy_ids=[deputy.pk], year=year)  # again: nothing counted twice
    assert PointEntry.objects.filter(deputy=deputy).count() == 1
    assert _year_total(deputy, year) == 4


def test_training_counts_by_hour(station: Any, deputies: list[Any]) -> None:
    deputy = deputies[0]
    training = training_in(Status.VERIFIED, hours="3.5", station=station, attended=[deputy])
    points_sync(deputy_ids=[deputy.pk], year=timezone.localtime(training.starts_at).year)
    assert _net(deputy) == D("3.5")


def test_absence_without_leave_deducts_per_half_day_and_leave_spares(
    station: Any, deputies: list[Any]
) -> None:
    absent, excused = deputies[0], deputies[1]
    start = timezone.now() - datetime.timedelta(days=3)
    activity = activity_in(
        Status.VERIFIED, station=station, invited=[absent, excused], attended=[],
        starts_at=start, ends_at=start + datetime.timedelta(hours=5),
    )  # fmt: skip
    Participation.objects.filter(activity=activity, deputy=excused).update(
        on_leave=True, leave_reason="出差"
    )
    points_sync(deputy_ids=[absent.pk, excused.pk], year=timezone.localtime(start).year)
    assert _net(absent) == D(-4)  # 5 hours: two half days × 2
    assert _net(excused) == 0


def test_record_refuses_leave_for_someone_who_came(station: Any, deputies: list[Any]) -> None:
    officer = make_member(Role.LIAISON_OFFICER, station=station, username="leave_officer")
    deputy = deputies[0]
    activity = activity_in(Status.PLANNED, station=station, invited=[deputy])
    from liaison.deputies.models import StationDeputy

    StationDeputy.objects.create(
        station=station, deputy=deputy, starts_on=datetime.date(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        activity_record(
            activity=activity, actor=officer, attended=[deputy], findings="走访",
            on_leave=[deputy], leave_reason="病假",
        )  # fmt: skip
    assert "既出席又请假" in str(error.value)
    assert not Participation.objects.get(activity=activity).attended  # nothing changed


def test_reception_day_attended_then_corrected_to_missed_reverses(
    station: Any, deputies: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    officer = make_member(Role.LIAISON_OFFICER, station=station, username="rec_officer")
    deputy = deputies[0]
    past = timezone.localdate() - datetime.timedelta(days=1)
    day = ReceptionDayFactory(
        station=station, date=past, starts_at=at(past, 9), ends_at=at(past, 11),
        status=DayStatus.SCHEDULED,
    )  # fmt: skip
    duty = ReceptionDutyFactory(day=day, deputy=deputy)
    with django_capture_on_commit_callbacks(execute=True):
        duty_confirm(duty=duty, actor=officer, present=True)
    assert _net(deputy) == D(5)
    with django_capture_on_commit_callbacks(execute=True):
        duty_confirm(duty=duty, actor=officer, present=False)
    kinds = list(
        PointEntry.objects.filter(deputy=deputy)
        .order_by("id")
        .values_list("kind", "rule", "points")
    )
    assert kinds == [
        (EntryKind.GRANT, RuleKey.RECEPTION_DAY, D(5)),
        (EntryKind.REVERSAL, RuleKey.RECEPTION_DAY, D(-5)),
        (EntryKind.GRANT, RuleKey.RECEPTION_MISSED, D(-5)),
    ]
    assert _year_total(deputy, past.year) == D(-5)


def test_accepted_suggestion_counts_and_merge_withdraws_it(deputies: list[Any]) -> None:
    deputy = deputies[0]
    suggestion = SuggestionFactory(
        author=deputy, status=SuggestionStatus.ACCEPTED, accepted_at=timezone.now()
    )
    year = timezone.localdate().year
    points_sync(deputy_ids=[deputy.pk], year=year)
    assert _net(deputy) == D(5)
    suggestion.status = SuggestionStatus.MERGED
    suggestion.save(update_fields=["status"])
    points_sync(deputy_ids=[deputy.pk], year=year)
    assert _net(deputy) == 0
    assert PointEntry.objects.filter(deputy=deputy, kind=EntryKind.REVERSAL).count() == 1


def test_correction_needs_a_reason_and_changes_nothing_without(
    deputies: list[Any], verifier: Any
) -> None:
    deputy = deputies[0]
    year, quarter = timezone.localdate().year, 1
    with pytest.raises(ValidationError) as error:
        points_correct(deputy=deputy, actor=verifier, points="3", reason="  ", year=year,
                       quarter=quarter)  # fmt: skip
    assert "请填写更正原因" in str(error.value)
    with pytest.raises(ValidationError) as error:
        points_correct(deputy=deputy, actor=verifier, points="0", reason="补记", year=year,
                       quarter=quarter)  # fmt: skip
    assert "不为 0" in str(error.value)
    assert not PointEntry.objects.exists()
    entry = points_correct(
        deputy=deputy, actor=verifier, points="-2.5", reason="重复登记的活动", year=year,
        quarter=quarter,
    )  # fmt: skip
    assert (entry.kind, entry.points, entry.created_by) == (
        EntryKind.CORRECTION,
        D("-2.5"),
        verifier,
    )
    assert _year_total(deputy, year) == D("-2.5")
    assert AuditEvent.objects.filter(
        object_type="points.pointentry", object_id=str(entry.pk)
    ).exists()


def test_correction_outside_scope_is_refused(deputies: list[Any], changsha_county: Any) -> None:
    other = make_member(Role.CONGRESS_STAFF, region=region(CHANGSHA_COUNTY), username="cs_other")
    with pytest.raises(PermissionDenied):
        points_correct(deputy=deputies[0], actor=other, points="1", reason="补记",
                       year=timezone.localdate().year, quarter=1)  # fmt: skip
    assert not PointEntry.objects.exists()


def test_entries_are_append_only(deputies: list[Any], hand: Any) -> None:
    hand.put(Fact(deputies[0].pk, RuleKey.DUTY_REPORT, "hand", 1, datetime.date(2025, 5, 1)))
    points_sync(deputy_ids=[deputies[0].pk], year=2025)
    entry = PointEntry.objects.get()
    entry.points = D(99)
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        PointEntry.objects.all().update(points=1)
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_sweep_syncs_what_sources_say_changed(deputies: list[Any], hand: Any) -> None:
    hand.put(Fact(deputies[1].pk, RuleKey.RECEPTION_CASE, "hand", 7, datetime.date(2025, 8, 1)))
    hand.changed = [(deputies[1].pk, 2025)]
    assert points_sweep() == 1
    assert _net(deputies[1]) == D(2)


def test_case_taken_at_a_reception_counts_when_the_sweep_sees_it_closed(
    station: Any, deputies: list[Any]
) -> None:
    from liaison.cases.models import CaseEvent
    from liaison.cases.models import Status as CaseStatus
    from liaison.cases.tests.factories import case_in
    from liaison.receptions.models import Reception, ReceptionItem
    from liaison.workflow.events import event_append, event_build

    deputy = deputies[0]
    past = timezone.localdate() - datetime.timedelta(days=3)
    day = ReceptionDayFactory(
        station=station, date=past, starts_at=at(past, 9), ends_at=at(past, 11),
        status=DayStatus.HELD,
    )  # fmt: skip
    recorder = make_member(Role.LIAISON_OFFICER, station=station, username="case_recorder")
    reception = Reception.objects.create(day=day, visitor_count=3, recorded_by=recorder)
    case = case_in(CaseStatus.ACCEPTED, station=station, region_id=station.region_id)
    ReceptionItem.objects.create(reception=reception, number=1, case=case, deputy=deputy)
    points_sweep()
    assert _net(deputy) == 0  # taken, not closed yet
    case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
    case.save(update_fields=["status", "closed_at"])
    event_append(
        event_build(model=CaseEvent, subject=case, kind="closed", actor=None, role="system",
                    from_status=CaseStatus.ACCEPTED, to_status=CaseStatus.CLOSED)
    )  # fmt: skip
    points_sweep()
    entry = PointEntry.objects.get(deputy=deputy)
    assert (entry.rule, entry.points, entry.source_kind) == (
        RuleKey.RECEPTION_CASE, D(2), "reception_item",
    )  # fmt: skip
    assert "第 1 项" in entry.source_label


def test_a_deputy_ranks_where_their_station_is_else_at_home(station: Any) -> None:
    from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory
    from liaison.points.services.ledger import placements

    provincial = DeputyFactory(home_region_id="430000000000")  # serves at a Yuelu station
    StationDeputyFactory(station=station, deputy=provincial)
    at_home = DeputyFactory(home_region_id="430121001000")  # no station
    assert placements([provincial.pk, at_home.pk]) == {
        provincial.pk: station.region_id,
        at_home.pk: "430121001000",
    }
