"""The write services: what they store, the event and audit rows, and every bad input refused
with a Chinese message and nothing half-saved."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from liaison.activities import services
from liaison.activities.models import (
    Activity,
    ActivityAttachment,
    ActivityEvent,
    ActivityKind,
    CourseKind,
    EventKind,
    Participation,
    Status,
)
from liaison.activities.services import ActivityConflict
from liaison.activities.tests.factories import activity_in
from liaison.audit.models import AuditEvent
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.notifications.models import Notification
from liaison.workflow.table import ActionRefused

pytestmark = pytest.mark.django_db


def _when(days: int = 3, hours: int = 2) -> tuple[datetime.datetime, datetime.datetime]:
    start = (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)
    return start, start + datetime.timedelta(hours=hours)


def plan(actor: Any, station: Any, **kw: Any) -> Activity:
    start, end = _when()
    fields: dict[str, Any] = {
        "kind": ActivityKind.RESEARCH, "title": "社区养老调研", "starts_at": start,
        "ends_at": end, "place": "社区服务中心", "organiser": "岳麓街道人大工委",
        "agenda": "1. 座谈 2. 走访",
    }  # fmt: skip
    fields.update(kw)
    return services.activity_plan(actor=actor, station=station, **fields)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def audits(activity: Activity) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="activities.activity", object_id=activity.pk))


# --- planning ----------------------------------------------------------------------------------


def test_plan_invites_deputies_logs_audits_and_notifies(
    station_officer: Any,
    station: Any,
    deputy: Any,
    colleague: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        activity = plan(station_officer, station, invited=[deputy, colleague])
    assert activity.status == Status.PLANNED and activity.region_id == station.region_id
    assert set(activity.participations.values_list("deputy__name", flat=True)) == {
        "张代表",
        "李代表",
    }
    event = ActivityEvent.objects.get(activity=activity)
    assert event.kind == EventKind.PLANNED and event.actor_role == "liaison_officer"
    assert audits(activity)[0].action == "create"
    assert Notification.objects.filter(user=deputy.user, title__contains="社区养老调研").exists()


def test_a_deputy_of_the_station_plans_as_organiser(
    deputy_user: Any, station: Any, deputy: Any
) -> None:
    activity = plan(deputy_user, station)
    assert activity.organiser_deputy == deputy
    assert activity.participations.get().deputy == deputy
    assert ActivityEvent.objects.get(activity=activity).actor_role == "organiser"


@pytest.mark.parametrize(
    "persona", ["county_staff", "other_county_staff", "system_admin", "auditor"]
)
def test_only_station_staff_and_deputies_plan(persona: str, request: Any, station: Any) -> None:
    with pytest.raises(PermissionDenied):
        plan(request.getfixturevalue(persona), station)
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends_at": "start"}, "ends_at", "结束时间必须晚于开始时间"),
        ({"kind": "nonsense"}, "kind", "活动类型不在本辖区"),
        ({"title": "  "}, "title", "请填写主题"),
        ({"kind": ActivityKind.TRAINING}, "hours", "学时"),
        ({"kind": ActivityKind.TRAINING, "hours": Decimal("2")}, "course_kind", "课程类别"),
        ({"kind": ActivityKind.TRAINING, "hours": Decimal("500"),
          "course_kind": CourseKind.LAW}, "hours", "学时"),
    ],
)  # fmt: skip
def test_bad_plans_are_refused_and_nothing_is_written(
    station_officer: Any, station: Any, fields: dict[str, Any], field: str, message: str
) -> None:
    if fields.get("ends_at") == "start":
        fields["ends_at"] = _when()[0]
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        plan(station_officer, station, **fields)
    assert message in "".join(info.value.message_dict[field])
    assert not Activity.objects.exists() and AuditEvent.objects.count() == before


def test_deputies_outside_the_county_cannot_be_invited(
    station_officer: Any, station: Any, outsider: Any
) -> None:
    with pytest.raises(ValidationError, match="外县代表"):
        plan(station_officer, station, invited=[outsider])
    assert not Activity.objects.exists() and not Participation.objects.exists()


def test_jurisdiction_kinds_are_accepted(station_officer: Any, station: Any, yuelu: Any) -> None:
    JurisdictionSetting.objects.create(
        region=yuelu, key="activity_extra_kinds", value=[{"key": "council", "name": "代表议事会"}]
    )
    assert plan(station_officer, station, kind="council").kind == "council"


def test_edit_changes_the_plan_and_the_invitations(
    station_officer: Any, station: Any, deputy: Any, colleague: Any
) -> None:
    activity = plan(station_officer, station, invited=[deputy])
    start, end = _when(days=5)
    edited = services.activity_edit(
        activity=activity, actor=station_officer, expected_version=activity.version,
        kind=ActivityKind.INSPECTION, title="视察养老机构", starts_at=start, ends_at=end,
        place="敬老院", organiser="工委", invited=[colleague],
    )  # fmt: skip
    assert edited.kind == ActivityKind.INSPECTION and edited.version == 2
    assert list(edited.participations.values_list("deputy_id", flat=True)) == [colleague.pk]
    assert ActivityEvent.objects.filter(activity=activity, kind=EventKind.EDITED).exists()
    with pytest.raises(ActivityConflict):
        services.activity_edit(
            activity=activity, actor=station_officer, expected_version=1, kind="research",
            title="x", starts_at=start, ends_at=end, place="p", organiser="o",
        )  # fmt: skip


def test_cancel_needs_a_reason(station_officer: Any, station: Any) -> None:
    activity = plan(station_officer, station)
    with pytest.raises(ValidationError, match="请填写取消原因"):
        services.activity_cancel(activity=activity, actor=station_officer, reason="")
    cancelled = services.activity_cancel(activity=activity, actor=station_officer, reason="暴雨")
    assert cancelled.status == Status.CANCELLED and cancelled.cancel_reason == "暴雨"


# --- recording and verification ----------------------------------------------------------------


def test_record_submit_verify(
    station_officer: Any, county_staff: Any, station: Any, deputy: Any, colleague: Any
) -> None:
    activity = activity_in(Status.PLANNED, station=station, invited=[deputy, colleague])
    recorded = services.activity_record(
        activity=activity, actor=station_officer, attended=[deputy], findings="走访 3 个小区",
        suggestions="增设助餐点", files=[png()],
    )  # fmt: skip
    assert recorded.status == Status.DRAFT and recorded.recorded_by == station_officer
    came = Participation.objects.get(activity=activity, deputy=deputy)
    assert came.attended and came.confirmed_via == "staff" and came.confirmed_by == station_officer
    assert not Participation.objects.get(activity=activity, deputy=colleague).attended
    attachment = ActivityAttachment.objects.get(activity=activity)
    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")
    submitted = services.activity_submit(activity=recorded, actor=station_officer)
    assert submitted.status == Status.SUBMITTED
    verified = services.activity_verify(activity=submitted, actor=county_staff)
    assert verified.status == Status.VERIFIED and verified.verified_by == county_staff
    kinds = list(ActivityEvent.objects.filter(activity=activity).values_list("kind", flat=True))
    assert kinds == [EventKind.RECORDED, EventKind.SUBMITTED, EventKind.VERIFIED]
    assert len(audits(activity)) == 3


def test_submitting_tells_the_verifying_staff_not_the_recorder(
    station_officer: Any, county_staff: Any, other_county_staff: Any, station: Any, deputy: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    activity = activity_in(Status.DRAFT, station=station, attended=[deputy],
                           recorded_by=station_officer, title="夜间巡查")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_submit(activity=activity, actor=station_officer)
    told = set(Notification.objects.filter(title__contains="待核实").values_list("user", flat=True))
    assert told == {county_staff.pk}  # not the officer, not the other county


def test_a_record_for_the_future_is_refused(
    station_officer: Any, station: Any, deputy: Any
) -> None:
    activity = plan(station_officer, station, invited=[deputy])
    with pytest.raises(ActionRefused, match="尚未开始"):
        services.activity_record(
            activity=activity, actor=station_officer, attended=[deputy], findings="x"
        )
    activity.refresh_from_db()
    assert activity.status == Status.PLANNED and not activity.findings


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"findings": ""}, "请填写活动情况"),
        (
            {"files": [SimpleUploadedFile("a.html", b"<script>x</script>", "text/html")]},
            "仅支持图片和 PDF",
        ),
        ({"files": [SimpleUploadedFile("a.exe", b"MZ\x90\x00", "image/png")]}, "仅支持图片和 PDF"),
    ],
)
def test_bad_records_change_nothing(
    station_officer: Any, station: Any, deputy: Any, kwargs: dict[str, Any], message: str
) -> None:
    activity = activity_in(Status.PLANNED, station=station, invited=[deputy])
    before = AuditEvent.objects.count()
    fields = {"attended": [deputy], "findings": "走访", **kwargs}
    with pytest.raises(ValidationError, match=message):
        services.activity_record(activity=activity, actor=station_officer, **fields)
    activity.refresh_from_db()
    assert activity.status == Status.PLANNED and activity.version == 1
    assert not Participation.objects.filter(attended=True).exists()
    assert not ActivityAttachment.objects.exists() and AuditEvent.objects.count() == before


def test_participants_outside_scope_are_refused(
    station_officer: Any, station: Any, outsider: Any
) -> None:
    activity = activity_in(Status.PLANNED, station=station)
    with pytest.raises(ValidationError, match="外县代表"):
        services.activity_record(
            activity=activity, actor=station_officer, attended=[outsider], findings="x"
        )
    assert not Participation.objects.exists()


def test_cases_outside_scope_cannot_be_linked(
    station_officer: Any, station: Any, other_station: Any, deputy: Any
) -> None:
    from liaison.cases.tests.factories import case_in

    theirs = case_in("accepted", station=other_station)
    ours = case_in("accepted", station=station)
    activity = activity_in(Status.PLANNED, station=station, invited=[deputy])
    with pytest.raises(ValidationError, match="不在您的辖区"):
        services.activity_record(
            activity=activity, actor=station_officer, attended=[deputy], findings="x",
            cases=[theirs],
        )  # fmt: skip
    services.activity_record(
        activity=activity, actor=station_officer, attended=[deputy], findings="x", cases=[ours]
    )
    assert list(activity.cases.all()) == [ours]


def test_submit_needs_someone_present(station_officer: Any, station: Any) -> None:
    activity = activity_in(Status.DRAFT, station=station)
    with pytest.raises(ActionRefused, match="实际参加的代表"):
        services.activity_submit(activity=activity, actor=station_officer)


def test_the_author_may_not_verify(county_staff: Any, station: Any, deputy: Any) -> None:
    activity = activity_in(
        Status.SUBMITTED, station=station, attended=[deputy], recorded_by=county_staff
    )
    with pytest.raises(ActionRefused, match="不能核实自己"):
        services.activity_verify(activity=activity, actor=county_staff)
    activity.refresh_from_db()
    assert activity.status == Status.SUBMITTED and activity.verified_by is None


def test_return_needs_a_reason_and_can_be_recorded_again(
    county_staff: Any, station_officer: Any, station: Any, deputy: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    activity = activity_in(
        Status.SUBMITTED, station=station, attended=[deputy], recorded_by=station_officer
    )
    with pytest.raises(ValidationError, match="请填写退回原因"):
        services.activity_return(activity=activity, actor=county_staff, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.activity_return(
            activity=activity, actor=county_staff, reason="缺少照片"
        )
    assert returned.status == Status.RETURNED and returned.return_reason == "缺少照片"
    assert Notification.objects.filter(user=station_officer, title__contains="退回").exists()
    again = services.activity_record(
        activity=returned, actor=station_officer, attended=[deputy], findings="补充照片"
    )
    assert again.status == Status.DRAFT


def test_other_county_staff_cannot_verify(
    other_county_staff: Any, station: Any, deputy: Any
) -> None:
    activity = activity_in(Status.SUBMITTED, station=station, attended=[deputy])
    with pytest.raises(PermissionDenied):
        services.activity_verify(activity=activity, actor=other_county_staff)


# --- a deputy's own confirmation ---------------------------------------------------------------


def test_a_deputy_confirms_once(deputy_user: Any, station: Any, deputy: Any) -> None:
    activity = activity_in(Status.PLANNED, station=station, invited=[deputy])
    row = services.attendance_confirm(activity=activity, actor=deputy_user)
    assert row.attended and row.confirmed_via == "self" and row.confirmed_by == deputy_user
    event = ActivityEvent.objects.get(activity=activity)
    assert event.kind == EventKind.CONFIRMED and event.actor_role == "invitee"
    assert audits(activity)[-1].after["via"] == "self"
    with pytest.raises(ActionRefused, match="已确认"):
        services.attendance_confirm(activity=activity, actor=deputy_user)


def test_a_deputy_cannot_confirm_the_future_or_uninvited(
    deputy_user: Any, station: Any, deputy: Any
) -> None:
    start, end = _when()
    future = activity_in(
        Status.PLANNED, station=station, invited=[deputy], starts_at=start, ends_at=end
    )
    with pytest.raises(ActionRefused, match="尚未开始"):
        services.attendance_confirm(activity=future, actor=deputy_user)
    other = activity_in(Status.PLANNED, station=station)
    with pytest.raises(PermissionDenied):
        services.attendance_confirm(activity=other, actor=deputy_user)
    assert not Participation.objects.filter(attended=True).exists()
