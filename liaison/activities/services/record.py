"""Recording what happened, and its verification: record, submit, verify, return, and a deputy's
own confirmation of attendance. Each is one `activity_begin` and one step of the kernel."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability
from liaison.accounts.models import User
from liaison.activities.models import (
    Activity,
    ActivityAttachment,
    EventKind,
    Participation,
    Status,
)
from liaison.activities.permissions import deputy_id_of, is_author
from liaison.activities.services.checks import deputies_check, text_clean, training_check
from liaison.activities.services.flow import activity_begin
from liaison.cases.models import Case
from liaison.cases.selectors import cases_visible_to
from liaison.cases.services.files import CheckedFile, validate_reply_files
from liaison.deputies.models import Deputy
from liaison.notifications.services import notify_users
from liaison.points.services import points_sync_on_commit
from liaison.stations.staff import station_staff_ids

MAX_CASES = 50


def _cases_check(actor: User, cases: Sequence[Case]) -> list[Case]:
    wanted = {c.pk for c in cases}
    if len(wanted) > MAX_CASES:
        raise ValidationError({"cases": _("关联民意最多 %(n)d 件。") % {"n": MAX_CASES}})
    visible = set(cases_visible_to(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - visible:
        raise ValidationError({"cases": _("关联的民意不在您的辖区。")}, code="out_of_scope")
    return list(cases)


def _files_save(activity: Activity, actor: User, files: Sequence[CheckedFile]) -> list[int]:
    ids = []
    for checked in files:
        attachment = ActivityAttachment(
            activity=activity,
            original_name=checked.name.rsplit("/", 1)[-1][:200],
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=actor,
        )
        attachment.file.save(checked.clean.random_name(), checked.clean.as_file(), save=False)
        attachment.save()
        ids.append(attachment.pk)
    return ids


def _attendance_apply(activity: Activity, actor: User, attended: list[Deputy]) -> dict[str, Any]:
    """Mark who came (staff-confirmed unless the deputy confirmed themselves); unmark the rest."""
    now = timezone.now()
    rows = {p.deputy_id: p for p in Participation.objects.filter(activity=activity)}
    wanted = {d.pk for d in attended}
    marked, unmarked = [], []
    for pk in sorted(wanted):
        row = rows.get(pk) or Participation(activity=activity, deputy_id=pk, invited=False)
        if row.attended:
            continue
        row.attended, row.confirmed_via = True, Participation.Via.STAFF
        row.confirmed_by, row.confirmed_at = actor, now
        row.save()
        marked.append(pk)
    for pk, row in rows.items():
        if row.attended and pk not in wanted:
            row.attended, row.confirmed_via, row.confirmed_by, row.confirmed_at = (
                False, "", None, None,
            )  # fmt: skip
            row.save()
            unmarked.append(pk)
    return {"attended": sorted(wanted), "marked_by_staff": marked, "unmarked": unmarked}


def _leave_check(
    activity: Activity, attended: list[Deputy], on_leave: Sequence[Deputy]
) -> set[int]:
    """Only an invited deputy who did not come may be on leave."""
    wanted = {d.pk for d in on_leave}
    if wanted & {d.pk for d in attended}:
        raise ValidationError({"on_leave": _("同一代表不能既出席又请假。")}, code="leave")
    invited = set(
        Participation.objects.filter(
            activity=activity, invited=True, deputy_id__in=wanted
        ).values_list("deputy_id", flat=True)
    )
    if wanted - invited:
        raise ValidationError({"on_leave": _("请假的代表须是受邀代表。")}, code="leave")
    return wanted


def _leave_apply(activity: Activity, wanted: set[int], reason: str) -> dict[str, Any]:
    """Mark the invited deputies on leave (with the reason) and clear the rest."""
    changed = []
    for row in Participation.objects.filter(activity=activity, invited=True):
        on_leave = row.deputy_id in wanted
        new_reason = reason if on_leave else ""
        if (row.on_leave, row.leave_reason) != (on_leave, new_reason):
            row.on_leave, row.leave_reason = on_leave, new_reason
            row.save(update_fields=["on_leave", "leave_reason"])
            changed.append(row.deputy_id)
    return {"on_leave": sorted(wanted), "leave_changed": changed}


def activity_record(
    *,
    activity: Activity,
    actor: User,
    attended: Sequence[Deputy],
    findings: str,
    problems_solved: str = "",
    suggestions: str = "",
    cases: Sequence[Case] = (),
    files: Sequence[Any] = (),
    hours: Decimal | None = None,
    course_kind: str = "",
    on_leave: Sequence[Deputy] = (),
    leave_reason: str = "",
    expected_version: int | None = None,
) -> Activity:
    """Record who came, which invited deputies were on leave, and the outcome of a held
    activity (as a draft, sent by `submit`).

    Everything is checked before anything is written: deputies within the station's county,
    cases in the actor's scope, files that are images or PDFs by content, a training's hours.
    """
    station = activity.station
    deputies = deputies_check(station, attended, field="attended")
    findings = text_clean(findings, field="findings", label=_("活动情况"), limit=5000)
    problems_solved = text_clean(
        problems_solved, field="problems_solved", label=_("解决的问题"), limit=5000,
        required=False,
    )  # fmt: skip
    suggestions = text_clean(
        suggestions, field="suggestions", label=_("形成的建议"), limit=5000, required=False
    )
    linked = _cases_check(actor, cases)
    leave_reason = text_clean(
        leave_reason, field="leave_reason", label=_("请假事由"), limit=200, required=False
    )
    checked = validate_reply_files(list(files), region=activity.region_id)
    hours, course_kind = training_check(
        kind=activity.kind,
        hours=hours if hours is not None else activity.hours,
        course_kind=course_kind or activity.course_kind,
    )
    with transaction.atomic():
        step = activity_begin(
            activity=activity,
            action="record",
            actor=actor,
            expected_version=expected_version,
            target=Status.DRAFT,
        )
        row = step.row
        before = {"status": step.from_status, "findings": row.findings}
        leaves = _leave_check(row, deputies, on_leave)
        attendance = _attendance_apply(row, actor, deputies)
        attendance.update(_leave_apply(row, leaves, leave_reason))
        row.findings, row.problems_solved, row.suggestions = findings, problems_solved, suggestions
        row.hours, row.course_kind = hours, course_kind
        row.recorded_by, row.recorded_at = actor, timezone.now()
        row.cases.set(linked)
        file_ids = _files_save(row, actor, checked)
        step.save(
            fields=["findings", "problems_solved", "suggestions", "hours", "course_kind",
                    "recorded_by", "recorded_at"]
        )  # fmt: skip
        data = {**attendance, "cases": [c.pk for c in linked], "files": file_ids}
        step.event(EventKind.RECORDED, data=data)
        step.audit(
            EventKind.RECORDED,
            before=before,
            after={"status": row.status, "version": row.version, "findings": findings, **data},
        )
    return row


def activity_submit(
    *, activity: Activity, actor: User, expected_version: int | None = None
) -> Activity:
    """Send a recorded activity to congress staff for verification."""
    with transaction.atomic():
        step = activity_begin(
            activity=activity,
            action="submit",
            actor=actor,
            expected_version=expected_version,
            target=Status.SUBMITTED,
        )
        row = step.row
        row.submitted_at = timezone.now()
        step.finish(
            fields=["submitted_at"],
            kind=EventKind.SUBMITTED,
            notify=[lambda: _notify_verifiers(row)],
        )
    return row


def _notify_verifiers(activity: Activity) -> None:
    """Tell the congress staff who may verify the record that it waits for them (its recorder
    may not verify it, so is not told)."""
    staff = [
        pk
        for pk in station_staff_ids(activity.station, Capability.VERIFY_ACTIVITIES)
        if pk != activity.recorded_by_id
    ]
    if not staff:
        return
    notify_users(
        users=staff,
        title=_("活动记录待核实：%(t)s") % {"t": activity.title},
        url=reverse("activities:detail", kwargs={"pk": activity.pk}),
        subject=activity,
    )


def _notify_recorder(activity: Activity, title: str) -> None:
    if activity.recorded_by_id is None:
        return
    notify_users(
        users=[activity.recorded_by_id],
        title=title,
        url=reverse("activities:detail", kwargs={"pk": activity.pk}),
        subject=activity,
    )


def activity_verify(
    *, activity: Activity, actor: User, expected_version: int | None = None
) -> Activity:
    """Congress staff confirm the record: from now on the activity counts. Never by its author."""
    with transaction.atomic():
        step = activity_begin(
            activity=activity,
            action="verify",
            actor=actor,
            expected_version=expected_version,
            target=Status.VERIFIED,
            facts={"by_author": is_author(actor, activity)},
        )
        row = step.row
        row.verified_by, row.verified_at = actor, timezone.now()
        title = _("活动记录已核实：%(t)s") % {"t": row.title}
        step.finish(
            fields=["verified_by", "verified_at"],
            kind=EventKind.VERIFIED,
            notify=[lambda: _notify_recorder(row, title)],
        )
        _points_sync(row)
    return row


def activity_return(
    *, activity: Activity, actor: User, reason: str, expected_version: int | None = None
) -> Activity:
    """Congress staff send the record back with the reason; it is recorded again."""
    reason = text_clean(reason, field="reason", label=_("退回原因"), limit=300)
    with transaction.atomic():
        step = activity_begin(
            activity=activity,
            action="return",
            actor=actor,
            expected_version=expected_version,
            target=Status.RETURNED,
            facts={"by_author": is_author(actor, activity)},
        )
        row = step.row
        row.return_reason = reason
        title = _("活动记录被退回：%(t)s") % {"t": row.title}
        step.finish(
            fields=["return_reason"],
            kind=EventKind.RETURNED,
            note=reason,
            notify=[lambda: _notify_recorder(row, title)],
        )
        _points_sync(row)
    return row


def _points_sync(activity: Activity) -> None:
    """Once the move commits, the participants' points follow (verified counts, else not)."""
    deputies = Participation.objects.filter(activity=activity).values_list("deputy_id", flat=True)
    points_sync_on_commit(
        deputy_ids=list(deputies), on=timezone.localtime(activity.starts_at).date()
    )


def attendance_confirm(*, activity: Activity, actor: User) -> Participation:
    """An invited deputy confirms on their own phone that they took part."""
    deputy_id = deputy_id_of(actor)
    if deputy_id is None:
        raise PermissionDenied
    own = Participation.objects.filter(activity_id=activity.pk, deputy_id=deputy_id).first()
    confirmed = own is not None and own.attended and own.confirmed_via == Participation.Via.SELF
    with transaction.atomic():
        step = activity_begin(
            activity=activity, action="confirm", actor=actor, facts={"self_confirmed": confirmed}
        )
        row = Participation.objects.select_for_update().get(
            activity_id=activity.pk, deputy_id=deputy_id
        )
        row.attended, row.confirmed_via = True, Participation.Via.SELF
        row.confirmed_by, row.confirmed_at = actor, timezone.now()
        row.save()
        step.finish(
            kind=EventKind.CONFIRMED,
            data={"deputy": deputy_id},
            audit_before={"attended": own.attended if own else False},
            audit_after={"attended": True, "deputy": deputy_id, "via": "self"},
        )
    return row
