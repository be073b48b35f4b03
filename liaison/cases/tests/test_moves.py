"""Every move of the loop: success with its milestones and events, and each way it is refused."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.audit.models import AuditAction, AuditEvent
from liaison.cases import services
from liaison.cases.deadlines import reply_due_for
from liaison.cases.models import (
    Attachment,
    Case,
    CoHandling,
    DueState,
    EventKind,
    Rating,
    Status,
    Supervision,
)
from liaison.cases.services import CaseConflict
from liaison.cases.tests.factories import CaseFactory, case_in
from liaison.cases.workflow import TransitionNotAllowed
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.notifications.models import Notification, OutboundMessage
from liaison.regions.tests.factories import CHANGSHA, region

pytestmark = pytest.mark.django_db

NAME, PHONE = "王小明", "13812345678"


def kinds(case: Case) -> list[str]:
    return list(case.events.order_by("id").values_list("kind", flat=True))


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def unchanged(case: Case) -> None:
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (case.status, case.version)
    assert not fresh.events.exists()


# --- accept / decline ----------------------------------------------------------------------------


def test_officer_accepts_case_of_own_station(station: Any, station_officer: Any) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    case = services.case_accept(case=case, actor=station_officer, note="属实", expected_version=0)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert case.accepted_at
    assert case.version == 1
    event = case.events.get()
    assert (event.kind, event.is_public, event.actor_role) == (
        EventKind.ACCEPTED,
        True,
        Role.LIAISON_OFFICER,
    )
    assert event.data == {"note": "属实"}
    assert "属实" not in event.note
    audit = AuditEvent.objects.get(object_type="cases.case", object_id=str(case.pk))
    assert audit.action == AuditAction.UPDATE
    assert audit.region_code == case.region_id


@pytest.mark.parametrize("who", ["other_county_staff", "auditor", "security_admin", "unit_clerk"])
def test_staff_outside_the_case_cannot_accept(request: Any, station: Any, who: str) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    with pytest.raises(PermissionDenied):
        services.case_accept(case=case, actor=request.getfixturevalue(who))
    unchanged(case)


def test_stale_version_is_a_conflict_with_a_chinese_message(
    station: Any, station_officer: Any, station_head: Any
) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    seen_by_officer = Case.objects.get(pk=case.pk)
    services.case_accept(case=case, actor=station_head, expected_version=0)
    with pytest.raises(CaseConflict) as info:
        services.case_decline(
            case=seen_by_officer,
            actor=station_officer,
            reason="outside_remit",
            note="不属于受理范围",
            expected_version=0,
        )
    assert "该件已被他人处理" in str(info.value)
    assert "已受理" in str(info.value)
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_move_on_a_case_that_changed_under_the_caller_is_a_conflict(
    station: Any, station_officer: Any, station_head: Any
) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    stale = Case.objects.get(pk=case.pk)
    services.case_accept(case=case, actor=station_head)
    with pytest.raises(CaseConflict):
        services.case_accept(case=stale, actor=station_officer)
    assert Case.objects.get(pk=case.pk).version == 1


def test_move_not_in_the_table_is_refused(station: Any, station_officer: Any) -> None:
    case = case_in(Status.CLOSED, station=station)
    with pytest.raises(TransitionNotAllowed):
        services.case_accept(case=case, actor=station_officer)


def test_decline_tells_the_person_with_masked_note_and_sms(
    station: Any, station_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_decline(
            case=case,
            actor=station_officer,
            reason="litigation",
            note=f"{NAME}（{PHONE}）反映的事项已进入诉讼程序",
        )
    case.refresh_from_db()
    assert case.status == Status.DECLINED
    assert case.decline_reason == "litigation"
    event = case.events.get()
    assert event.is_public
    assert NAME not in event.note
    assert PHONE not in event.note
    assert "王**" in event.note
    assert "138****5678" in event.note
    sms = OutboundMessage.objects.about(case).get()
    assert sms.recipient_masked == "138****5678"
    assert "不予受理" in sms.body


@pytest.mark.parametrize(
    ("reason", "note", "field"), [("nope", "说明", "reason"), ("litigation", "  ", "note")]
)
def test_decline_needs_reason_and_note(
    station: Any, station_officer: Any, reason: str, note: str, field: str
) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    with pytest.raises(ValidationError) as info:
        services.case_decline(case=case, actor=station_officer, reason=reason, note=note)
    assert field in info.value.message_dict
    unchanged(case)


# --- assign / forward ----------------------------------------------------------------------------


def test_assign_to_unit_with_co_units_sets_due_and_notifies(
    station: Any,
    station_officer: Any,
    unit: Any,
    unit_clerk: Any,
    co_unit: Any,
    co_clerk: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = case_in(Status.ACCEPTED, station=station)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_assign(case=case, actor=station_officer, unit=unit, co_units=[co_unit])
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.unit == unit
    assert case.assigned_at
    assert case.reply_due == reply_due_for(region=case.region_id, assigned_at=case.assigned_at)
    assert list(CoHandling.objects.filter(case=case).values_list("unit_id", flat=True)) == [
        co_unit.pk
    ]
    assert kinds(case) == [EventKind.ASSIGNED]
    assert Notification.objects.filter(user=unit_clerk).about(case).exists()
    assert Notification.objects.filter(user=co_clerk).about(case).exists()
    assert not Notification.objects.filter(user=station_officer).exists()


@time_machine.travel(datetime.datetime(2025, 9, 29, 10, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize("due", [datetime.date(2025, 10, 3), datetime.date(2025, 9, 1)])
def test_assign_refuses_due_on_holiday_or_in_the_past(
    station: Any, station_officer: Any, unit: Any, due: datetime.date
) -> None:
    case = case_in(Status.ACCEPTED, station=station)
    with pytest.raises(ValidationError):
        services.case_assign(case=case, actor=station_officer, unit=unit, due=due)
    unchanged(case)


def test_assign_with_given_due(station: Any, station_officer: Any, unit: Any) -> None:
    case = case_in(Status.ACCEPTED, station=station)
    due = datetime.date.today() + datetime.timedelta(days=30)
    while due.weekday() >= 5:
        due += datetime.timedelta(days=1)
    from liaison.jurisdiction.calendar import next_working_day

    due = next_working_day(due - datetime.timedelta(days=1))
    case = services.case_assign(case=case, actor=station_officer, unit=unit, due=due)
    assert case.reply_due == due


def test_assign_refuses_unit_of_another_county_and_bad_choices(
    station: Any, station_officer: Any, unit: Any, other_unit: Any, deputy_user: Any
) -> None:
    case = case_in(Status.ACCEPTED, station=station)
    with pytest.raises(ValidationError):
        services.case_assign(case=case, actor=station_officer, unit=other_unit)
    with pytest.raises(ValidationError):
        services.case_assign(case=case, actor=station_officer, unit=unit, deputy=deputy_user.deputy)
    with pytest.raises(ValidationError):
        services.case_assign(case=case, actor=station_officer)
    with pytest.raises(ValidationError):
        services.case_assign(case=case, actor=station_officer, unit=unit, co_units=[unit])
    unchanged(case)


def test_reassign_and_assign_to_deputy(
    station: Any, station_officer: Any, unit: Any, deputy_user: Any
) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit)
    case = services.case_assign(case=case, actor=station_officer, deputy=deputy_user.deputy)
    assert case.unit is None
    assert case.assigned_deputy == deputy_user.deputy
    assert kinds(case) == [EventKind.REASSIGNED]
    # The deputy replies as the handler.
    case = services.case_reply(case=case, actor=deputy_user, reply="已协调社区解决")
    assert case.events.last().actor_role == Role.DEPUTY  # type: ignore[union-attr]


def test_forward_to_city_then_city_staff_accept(
    station: Any, station_officer: Any, county_staff: Any
) -> None:
    city_staff = make_member(Role.CONGRESS_STAFF, region=region(CHANGSHA), username="city")
    case = case_in(Status.ACCEPTED, station=station)
    with pytest.raises(ValidationError):  # not a higher congress
        services.case_forward(
            case=case, actor=station_officer, to_region=region("430121000000"), note="转"
        )
    case = services.case_forward(
        case=case, actor=station_officer, to_region=region(CHANGSHA), note="涉及全市规划"
    )
    assert case.status == Status.FORWARDED
    assert case.region_id == CHANGSHA
    assert case.accept_due
    event = case.events.get()
    assert event.data["from_region"] == "430104002000"
    with pytest.raises(PermissionDenied):  # the county no longer holds it
        services.case_accept(case=case, actor=county_staff)
    with pytest.raises(PermissionDenied):  # forwarded cases are accepted by congress staff
        services.case_accept(case=case, actor=station_officer)
    case = services.case_accept(case=case, actor=city_staff)
    assert case.status == Status.ACCEPTED


# --- co-handling, reply, relay -------------------------------------------------------------------


def test_co_unit_sends_its_view_lead_cannot(
    station: Any, unit: Any, unit_clerk: Any, co_unit: Any, co_clerk: Any
) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit)
    CoHandling.objects.create(case=case, unit=co_unit)
    with pytest.raises(PermissionDenied):
        services.case_co_opinion(case=case, actor=unit_clerk, unit=co_unit, opinion="同意")
    co = services.case_co_opinion(case=case, actor=co_clerk, unit=co_unit, opinion="建议尽快维修")
    assert co.opinion == "建议尽快维修"
    assert co.opinion_at
    assert case.events.get().kind == EventKind.CO_OPINION
    assert not case.events.get().is_public


def test_unit_replies_with_attachments_and_the_person_hears(
    station: Any,
    station_officer: Any,
    unit: Any,
    unit_clerk: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit, due_state=DueState.RED)
    Supervision.objects.create(case=case, level=Supervision.Level.RED)
    pdf = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4\n%...\n", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(
            case=case, actor=unit_clerk, reply="已完成维修。", attachments=[png(), pdf]
        )
    case.refresh_from_db()
    assert case.status == Status.REPLIED
    assert case.replied_at
    assert case.due_state == DueState.NONE
    assert not Supervision.objects.filter(case=case, resolved_at__isnull=True).exists()
    types = set(Attachment.objects.filter(case=case).values_list("content_type", flat=True))
    assert types == {"image/png", "application/pdf"}
    assert OutboundMessage.objects.about(case).get().recipient_masked == "138****5678"
    assert Notification.objects.filter(user=station_officer).about(case).exists()
    event = case.events.get()
    assert event.is_public
    assert event.actor_role == Role.HANDLING_UNIT


def test_reply_refusals_change_nothing(
    station: Any, unit: Any, unit_clerk: Any, other_clerk: Any, station_officer: Any
) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit)
    with pytest.raises(PermissionDenied):
        services.case_reply(case=case, actor=other_clerk, reply="答复")
    with pytest.raises(PermissionDenied):  # the station relays, it does not reply
        services.case_reply(case=case, actor=station_officer, reply="答复")
    with pytest.raises(ValidationError):
        services.case_reply(case=case, actor=unit_clerk, reply="长" * 5001)
    with pytest.raises(ValidationError):
        services.case_reply(case=case, actor=unit_clerk, reply="")
    fake = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.case_reply(case=case, actor=unit_clerk, reply="答复", attachments=[fake])
    JurisdictionSetting.objects.create(region_id="430104000000", key="max_upload_mb", value=1)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError):
        services.case_reply(case=case, actor=unit_clerk, reply="答复", attachments=[big])
    unchanged(case)
    assert not Attachment.objects.exists()


def test_relay_records_the_callback(station: Any, station_officer: Any, unit: Any) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit)
    with pytest.raises(TransitionNotAllowed):
        services.case_relay(case=case, actor=station_officer)
    case = case_in(Status.REPLIED, station=station, unit=unit)
    case = services.case_relay(case=case, actor=station_officer, note="电话告知")
    assert case.relayed_at
    assert case.status == Status.REPLIED
    assert kinds(case) == [EventKind.RELAYED]


def test_answer_on_spot_by_addressed_deputy(station: Any, deputy_user: Any) -> None:
    case = case_in(Status.ACCEPTED, station=station, deputy=deputy_user.deputy)
    case = services.case_answer_on_spot(case=case, actor=deputy_user, reply="当场解释了政策")
    assert case.status == Status.REPLIED
    assert case.relayed_at
    assert case.replied_at
    assert kinds(case) == [EventKind.ANSWERED_ON_SPOT]


# --- rating, reopening, closing ------------------------------------------------------------------


def test_satisfied_rating_then_close(station: Any, station_officer: Any, unit: Any) -> None:
    case = case_in(Status.REPLIED, station=station, unit=unit)
    case = services.case_evaluate(case=case, rating=Rating.SATISFIED, comment="很快")
    assert case.status == Status.EVALUATED
    assert case.rated_at
    assert case.rating == "satisfied"
    case = services.case_close(case=case, actor=station_officer, expected_version=case.version)
    assert case.status == Status.CLOSED
    assert case.closed_at
    assert kinds(case) == [EventKind.EVALUATED, EventKind.CLOSED]
    assert case.events.first().actor_role == "constituent"  # type: ignore[union-attr]


def test_unsatisfied_reopens_to_the_same_unit(
    station: Any, unit: Any, unit_clerk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = case_in(Status.REPLIED, station=station, unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_evaluate(case=case, rating=Rating.UNSATISFIED)
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.unit == unit
    assert case.reopen_count == 1
    assert case.reply_due == reply_due_for(region=case.region_id, assigned_at=case.assigned_at)  # type: ignore[arg-type]
    assert kinds(case) == [EventKind.EVALUATED, EventKind.REOPENED]
    reopened = case.events.last()
    assert reopened.actor_role == "system"  # type: ignore[union-attr]
    assert reopened.is_public  # type: ignore[union-attr]
    assert Notification.objects.filter(user=unit_clerk).about(case).exists()


@pytest.mark.parametrize(
    ("score", "rating"),
    [(5, "satisfied"), (4, "satisfied"), (3, "basic"), (2, "unsatisfied"), (1, "unsatisfied")],
)
def test_five_level_scale_maps_scores(station: Any, unit: Any, score: int, rating: str) -> None:
    JurisdictionSetting.objects.create(region_id="430104000000", key="rating_scale", value="five")
    case = case_in(Status.REPLIED, station=station, unit=unit)
    case = services.case_evaluate(case=case, rating="", score=score)
    assert (case.rating, case.rating_score) == (rating, score)


def test_bad_ratings_are_refused(station: Any, unit: Any) -> None:
    case = case_in(Status.REPLIED, station=station, unit=unit)
    with pytest.raises(ValidationError):
        services.case_evaluate(case=case, rating="great")
    JurisdictionSetting.objects.create(region_id="430104000000", key="rating_scale", value="five")
    for score in (None, 0, 6):
        with pytest.raises(ValidationError):
            services.case_evaluate(case=case, rating="satisfied", score=score)
    unchanged(case)


def test_constituent_cannot_rate_before_the_reply(station: Any, unit: Any) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit)
    with pytest.raises(TransitionNotAllowed):
        services.case_evaluate(case=case, rating=Rating.SATISFIED)
    unchanged(case)


def test_system_closes_replied_case(station: Any, unit: Any) -> None:
    case = case_in(Status.REPLIED, station=station, unit=unit)
    case = services.case_close(case=case)
    assert case.events.get().actor_role == "system"
    assert case.events.get().actor is None


# --- merge, withdraw -----------------------------------------------------------------------------


def test_merge_then_every_submitter_hears_the_reply(
    station: Any,
    station_officer: Any,
    unit: Any,
    unit_clerk: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    primary = case_in(Status.ASSIGNED, station=station, unit=unit)
    dup = case_in(Status.SUBMITTED, station=station, contact_phone="13900001111")
    dup = services.case_merge(case=dup, primary=primary, actor=station_officer)
    assert dup.status == Status.MERGED
    assert dup.merged_into == primary
    assert kinds(primary) == [EventKind.NOTE]
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=primary, actor=unit_clerk, reply="统一答复")
    dup.refresh_from_db()
    assert dup.reply == "统一答复"
    assert dup.replied_at
    assert dup.status == Status.MERGED
    assert dup.events.filter(kind=EventKind.REPLIED, is_public=True).exists()
    masked = set(OutboundMessage.objects.values_list("recipient_masked", flat=True))
    assert masked == {"138****5678", "139****1111"}
    services.case_close(case=Case.objects.get(pk=primary.pk), actor=station_officer)
    assert Case.objects.get(pk=dup.pk).closed_at


def test_merge_refusals(station: Any, other_station: Any, station_officer: Any, unit: Any) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    with pytest.raises(ValidationError):
        services.case_merge(case=case, primary=case, actor=station_officer)
    closed = case_in(Status.CLOSED, station=station, unit=unit)
    with pytest.raises(ValidationError):
        services.case_merge(case=case, primary=closed, actor=station_officer)
    elsewhere = case_in(Status.ASSIGNED, station=other_station, region_id="430121001000")
    with pytest.raises(PermissionDenied):
        services.case_merge(case=case, primary=elsewhere, actor=station_officer)
    unchanged(case)


def test_withdraw_only_before_the_reply(station: Any, unit: Any) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit)
    case = services.case_withdraw(case=case, reason=f"已自行解决，联系{PHONE}")
    assert case.status == Status.WITHDRAWN
    event = case.events.get()
    assert event.is_public
    assert PHONE not in event.note
    assert event.actor_role == "constituent"
    replied = case_in(Status.REPLIED, station=station, unit=unit)
    with pytest.raises(TransitionNotAllowed):
        services.case_withdraw(case=replied)


# --- contact, category ---------------------------------------------------------------------------


def test_reveal_contact_is_audited(
    station: Any, station_officer: Any, other_county_staff: Any
) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    with pytest.raises(PermissionDenied):
        services.case_reveal_contact(case=case, actor=other_county_staff)
    shown = services.case_reveal_contact(case=case, actor=station_officer)
    assert (shown["name"], shown["phone"]) == (NAME, PHONE)
    audit = AuditEvent.objects.get(action=AuditAction.VIEW_PRIVATE)
    assert audit.region_code == case.region_id
    assert audit.object_id == str(case.pk)
    event = case.events.get()
    assert event.kind == EventKind.PERSONAL_DATA_VIEWED
    assert not event.is_public
    assert PHONE not in event.note


def test_set_category(station: Any, station_officer: Any, unit_clerk: Any) -> None:
    from liaison.taxonomy.models import Category

    category = Category.objects.create(name="路灯", level=1, path="市政/路灯")
    case = case_in(Status.SUBMITTED, station=station)
    with pytest.raises(PermissionDenied):
        services.case_set_category(case=case, actor=unit_clerk, category=category)
    case = services.case_set_category(case=case, actor=station_officer, category=category)
    assert case.category == category
    assert kinds(case) == [EventKind.CATEGORIZED]
    foreign = Category.objects.create(name="x", level=1, path="其他/x", region_id="430121000000")
    with pytest.raises(ValidationError):
        services.case_set_category(case=case, actor=station_officer, category=foreign)


# --- the whole loop ------------------------------------------------------------------------------


def test_public_notes_never_carry_personal_data(
    station: Any, station_officer: Any, unit: Any, unit_clerk: Any
) -> None:
    case = CaseFactory(station=station)
    case = services.case_accept(case=case, actor=station_officer, note=f"{NAME} {PHONE}")
    case = services.case_assign(case=case, actor=station_officer, unit=unit, note=PHONE)
    case = services.case_reply(case=case, actor=unit_clerk, reply=f"已联系{NAME}")
    case = services.case_evaluate(case=case, rating=Rating.UNSATISFIED, comment=f"我是{NAME}")
    case = services.case_reply(case=case, actor=unit_clerk, reply="再次处理")
    case = services.case_evaluate(case=case, rating=Rating.SATISFIED)
    case = services.case_close(case=case)
    assert case.version == 7
    for note in case.events.filter(is_public=True).values_list("note", flat=True):
        assert NAME not in note
        assert PHONE not in note


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_one_wins_on_postgresql(
    station: Any, station_officer: Any, station_head: Any
) -> None:
    """Real row locks: two threads accept the same case at once (PostgreSQL only)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL=postgres://…)")
    case = case_in(Status.SUBMITTED, station=station)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(actor: Any) -> None:
        stale = Case.objects.get(pk=case.pk)
        barrier.wait()
        try:
            services.case_accept(case=stale, actor=actor, expected_version=0)
            outcomes.append("ok")
        except CaseConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(a,)) for a in (station_officer, station_head)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert Case.objects.get(pk=case.pk).version == 1


def test_echo_wall_follows_the_answer(station: Any, unit: Any, unit_clerk: Any) -> None:
    """A published answer appears on the wall, leaves it on 不满意, returns with the new answer."""
    case = case_in(Status.ASSIGNED, station=station, unit=unit, allow_publish=True)
    case = services.case_reply(case=case, actor=unit_clerk, reply="已修复。")
    assert case.published_at == case.replied_at
    case = services.case_evaluate(case=case, rating=Rating.UNSATISFIED)
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.published_at is None
    case = services.case_reply(case=case, actor=unit_clerk, reply="已彻底修复。")
    assert case.published_at == case.replied_at


def test_unpublished_answers_stay_off_the_wall(station: Any, unit: Any, unit_clerk: Any) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit, allow_publish=False)
    case = services.case_reply(case=case, actor=unit_clerk, reply="已修复。")
    assert case.published_at is None
