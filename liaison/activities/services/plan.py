"""Planning an activity: create, edit the plan, cancel one that did not happen."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, roles_with
from liaison.accounts.models import User
from liaison.activities.models import (
    Activity,
    ActivityEvent,
    EventKind,
    Participation,
    Status,
    WorkPlanItem,
)
from liaison.activities.permissions import ACTOR_ORDER, covers_station, deputy_id_of
from liaison.activities.selectors import stations_plannable_by
from liaison.activities.services.checks import activity_fields_check, deputies_check, text_clean
from liaison.activities.services.flow import activity_begin
from liaison.activities.workflow import ORGANISER
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record, snapshot
from liaison.deputies.models import Deputy
from liaison.grids.models import Post
from liaison.notifications.services import notify_users
from liaison.stations.models import Station
from liaison.workflow.events import event_append, event_build

AUDITED_FIELDS = (
    "kind", "title", "starts_at", "ends_at", "place", "organiser", "agenda", "hours",
    "course_kind", "plan_item", "post", "status", "version",
)  # fmt: skip


def _planner_role(actor: User, station: Station) -> str:
    """The role in which `actor` plans at `station`; PermissionDenied when none."""
    for role in ACTOR_ORDER:
        if role in roles_with(Capability.PLAN_ACTIVITIES) and covers_station(actor, role, station):
            return role
    if (
        deputy_id_of(actor) is not None
        and stations_plannable_by(actor).filter(pk=station.pk).exists()
    ):
        return ORGANISER
    raise PermissionDenied


def _notify_invited(activity: Activity, deputy_ids: list[int]) -> None:
    users = Deputy.objects.filter(pk__in=deputy_ids, user__isnull=False).values_list(
        "user_id", flat=True
    )
    notify_users(
        users=list(users),
        title=_("活动邀请：%(title)s（%(when)s）")
        % {"title": activity.title, "when": f"{activity.starts_at:%Y-%m-%d %H:%M}"},
        url=reverse("activities:detail", kwargs={"pk": activity.pk}),
        subject=activity,
    )


def activity_plan(
    *,
    actor: User,
    station: Station,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    organiser: str,
    agenda: str = "",
    invited: Sequence[Deputy] = (),
    plan_item: WorkPlanItem | None = None,
    post: Post | None = None,
    hours: Decimal | None = None,
    course_kind: str = "",
) -> Activity:
    """Plan an activity at a station (station staff, or a deputy of the station who organises
    it). ValidationError (nothing written) for bad input; PermissionDenied outside scope."""
    role = _planner_role(actor, station)
    fields = activity_fields_check(
        station=station, kind=kind, title=title, place=place, organiser=organiser,
        agenda=agenda, starts_at=starts_at, ends_at=ends_at, hours=hours,
        course_kind=course_kind, plan_item=plan_item, post=post,
    )  # fmt: skip
    deputies = deputies_check(station, invited, field="invited")
    organiser_deputy_id = deputy_id_of(actor) if role == ORGANISER else None
    with transaction.atomic():
        activity = Activity.objects.create(
            station=station,
            region_id=station.region_id,
            organiser_deputy_id=organiser_deputy_id,
            created_by=actor,
            **fields,
        )
        ids = {d.pk for d in deputies} | ({organiser_deputy_id} if organiser_deputy_id else set())
        Participation.objects.bulk_create(
            Participation(activity=activity, deputy_id=pk, invited=True) for pk in sorted(ids)
        )
        event_append(
            event_build(
                model=ActivityEvent,
                subject=activity,
                kind=EventKind.PLANNED,
                actor=actor,
                role=role,
                to_status=Status.PLANNED,
                data={"invited": sorted(ids)},
            )
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=activity,
            region_code=activity.region_id,
            after={**snapshot(activity, AUDITED_FIELDS), "invited": sorted(ids)},
            note=_("计划履职活动"),
        )
        invited_ids = sorted(ids)
        transaction.on_commit(lambda: _notify_invited(activity, invited_ids), robust=True)
    return activity


def activity_edit(
    *,
    activity: Activity,
    actor: User,
    expected_version: int | None,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    organiser: str,
    agenda: str = "",
    invited: Sequence[Deputy] = (),
    plan_item: WorkPlanItem | None = None,
    post: Post | None = None,
    hours: Decimal | None = None,
    course_kind: str = "",
) -> Activity:
    """Change a planned activity (time, place, invitations …) before it is recorded."""
    station = activity.station
    fields = activity_fields_check(
        station=station, kind=kind, title=title, place=place, organiser=organiser,
        agenda=agenda, starts_at=starts_at, ends_at=ends_at, hours=hours,
        course_kind=course_kind, plan_item=plan_item, post=post,
    )  # fmt: skip
    deputies = deputies_check(station, invited, field="invited")
    with transaction.atomic():
        step = activity_begin(
            activity=activity, action="edit", actor=actor, expected_version=expected_version
        )
        row = step.row
        before = snapshot(row, AUDITED_FIELDS)
        for name, value in fields.items():
            setattr(row, name, value)
        wanted = {d.pk for d in deputies}
        if row.organiser_deputy_id:
            wanted.add(row.organiser_deputy_id)
        current = set(
            Participation.objects.filter(activity=row, invited=True).values_list(
                "deputy_id", flat=True
            )
        )
        added, dropped = sorted(wanted - current), sorted(current - wanted)
        Participation.objects.filter(activity=row, deputy_id__in=dropped).delete()
        Participation.objects.bulk_create(
            Participation(activity=row, deputy_id=pk, invited=True) for pk in added
        )
        step.save(fields=list(fields))
        step.event(EventKind.EDITED, data={"invited_added": added, "invited_dropped": dropped})
        step.audit(
            EventKind.EDITED,
            before={**before, "invited": sorted(current)},
            after={**snapshot(row, AUDITED_FIELDS), "invited": sorted(wanted)},
        )
        if added:
            step.notify(lambda: _notify_invited(row, added))
    return row


def activity_cancel(
    *, activity: Activity, actor: User, reason: str, expected_version: int | None = None
) -> Activity:
    """Cancel a planned activity that did not happen, with the reason."""
    reason = text_clean(reason, field="reason", label=_("取消原因"), limit=300)
    with transaction.atomic():
        step = activity_begin(
            activity=activity,
            action="cancel",
            actor=actor,
            expected_version=expected_version,
            target=Status.CANCELLED,
        )
        step.row.cancel_reason = reason
        step.finish(fields=["cancel_reason"], kind=EventKind.CANCELLED, note=reason)
    return step.row


__all__ = ["ValidationError", "activity_cancel", "activity_edit", "activity_plan"]
