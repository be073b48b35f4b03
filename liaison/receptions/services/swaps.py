"""Swap requests: a deputy asks, station staff decide (the kernel's steps; decision 0017)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability
from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.deputies.models import Deputy
from liaison.notifications.services import notify_users
from liaison.receptions import workflow
from liaison.receptions.models import (
    DutyStatus,
    ReceptionDay,
    ReceptionDuty,
    SwapEvent,
    SwapEventKind,
    SwapKind,
    SwapRequest,
    SwapStatus,
)
from liaison.receptions.permissions import can_schedule, deputy_of
from liaison.receptions.services.common import (
    clash_error,
    day_label,
    deputy_clash,
)
from liaison.stations.staff import station_staff_ids
from liaison.workflow.events import event_append, event_build
from liaison.workflow.flow import Workflow, workflow_begin


class SwapConflict(ValidationError):
    def __init__(self) -> None:
        super().__init__(_("该调班申请已被处理，请刷新页面查看"), code="conflict")


def swap_actors(user: User, swap: SwapRequest) -> list[str]:
    """The roles `user` holds on the swap, requester first."""
    roles: list[str] = []
    if swap.requested_by_id == user.pk:
        roles.append(workflow.REQUESTER)
    if can_schedule(user, swap.duty.day.station):
        roles.append(workflow.STAFF)
    return roles


def _facts(swap: SwapRequest, needed: frozenset[str], given: Mapping[str, Any]) -> Any:
    day = ReceptionDay.objects.only("starts_at").get(pk=swap.duty.day_id)
    return workflow.facts_of(swap, day_ahead=day.starts_at > timezone.now())


def _label(kind: str) -> str:
    return str(SwapEventKind(kind).label)


SWAPS: Final = Workflow[SwapRequest](
    model=SwapRequest,
    event_model=SwapEvent,
    transitions=workflow.TRANSITIONS,
    table=workflow.TABLE,
    facts=_facts,
    actors=swap_actors,
    conflict=lambda swap: SwapConflict(),
    label=_label,
    region=lambda swap: swap.duty.day.region_id,
)


def _tell(user_ids: list[int], title: str, swap: SwapRequest) -> None:
    notify_users(users=user_ids, title=title, subject=swap)


def swap_request(
    *,
    duty: ReceptionDuty,
    actor: User,
    kind: str,
    reason: str,
    replacement: Deputy | None = None,
) -> SwapRequest:
    """The deputy on duty asks to swap with `replacement` or to give the day up (with a reason)."""
    with transaction.atomic():
        duty = (
            ReceptionDuty.objects.select_for_update()
            .select_related("day__station", "deputy")
            .get(pk=duty.pk)
        )
        deputy = deputy_of(actor)
        if deputy is None or duty.deputy_id != deputy.pk:
            raise PermissionDenied
        day = duty.day
        errors: dict[str, Any] = {}
        if duty.status != DutyStatus.ON_DUTY:
            errors["__all__"] = _("您已不在该接待日的值班名单中")
        elif day.starts_at <= timezone.now():
            errors["__all__"] = _("接待日已开始，不能再调班")
        elif duty.swaps.filter(status=SwapStatus.PENDING).exists():
            errors["__all__"] = _("该接待日已有待审批的调班申请")
        if kind not in SwapKind.values:
            errors["kind"] = _("请选择调班方式")
        if not reason.strip():
            errors["reason"] = _("请填写理由")
        elif len(reason.strip()) > 300:
            errors["reason"] = _("理由不能超过 300 字")
        if kind == SwapKind.SWAP:
            if replacement is None:
                errors["replacement"] = _("请选择替班代表")
            elif replacement.pk == deputy.pk or not replacement.is_active:
                errors["replacement"] = _("请选择另一位在任代表")
            elif day.duties.filter(deputy=replacement, status=DutyStatus.ON_DUTY).exists():
                errors["replacement"] = _("%(name)s 已在本接待日值班") % {"name": replacement.name}
            else:
                clash = deputy_clash(replacement, day)
                if clash is not None:
                    errors["replacement"] = clash_error(replacement, clash)
        if errors:
            raise ValidationError(errors)
        swap = SwapRequest.objects.create(
            duty=duty,
            kind=kind,
            replacement=replacement if kind == SwapKind.SWAP else None,
            reason=reason.strip(),
            requested_by=actor,
        )
        event_append(
            event_build(
                model=SwapEvent,
                subject=swap,
                kind=SwapEventKind.REQUESTED,
                actor=actor,
                role=workflow.REQUESTER,
                to_status=SwapStatus.PENDING,
                note=swap.reason,
            )
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=swap,
            region_code=day.region_id,
            after={"duty": duty.pk, "kind": kind, "replacement": swap.replacement_id},
            note=_("调班申请：%(day)s") % {"day": day_label(day)},
        )
        staff = station_staff_ids(day.station, Capability.SCHEDULE_RECEPTIONS)
        title = _("%(name)s 申请调班：%(day)s") % {"name": deputy.name, "day": day_label(day)}
        transaction.on_commit(lambda: _tell(staff, title, swap), robust=True)
    return swap


def swap_decide(
    *,
    swap: SwapRequest,
    actor: User,
    approve: bool,
    note: str = "",
    expected_version: int | None = None,
) -> SwapRequest:
    """Station staff approve (the rota changes) or reject a pending request."""
    with transaction.atomic():
        target = SwapStatus.APPROVED if approve else SwapStatus.REJECTED
        step = workflow_begin(
            SWAPS,
            row=swap,
            action="approve" if approve else "reject",
            actor=actor,
            expected_version=expected_version,
            target=target,
        )
        swap = step.row
        duty = (
            ReceptionDuty.objects.select_for_update()
            .select_related("day__station", "deputy")
            .get(pk=swap.duty_id)
        )
        day = duty.day
        if approve:
            if duty.status != DutyStatus.ON_DUTY:
                raise ValidationError(_("申请人已不在值班名单中"))
            duty.status = DutyStatus.RELEASED
            duty.save(update_fields=["status"])
            if swap.kind == SwapKind.SWAP and swap.replacement is not None:
                replacement = Deputy.objects.select_for_update().get(pk=swap.replacement.pk)
                clash = deputy_clash(replacement, day)
                if clash is not None:
                    raise ValidationError(clash_error(replacement, clash))
                if day.duties.filter(deputy=replacement, status=DutyStatus.ON_DUTY).exists():
                    raise ValidationError(_("替班代表已在本接待日值班"))
                ReceptionDuty.objects.create(
                    day=day, deputy=replacement, starts_at=day.starts_at, ends_at=day.ends_at
                )
        swap.decided_by, swap.decided_at = actor, timezone.now()
        swap.decision_note = note.strip()[:300]
        told = [u for u in (swap.requested_by_id,) if u]
        if approve and swap.replacement is not None and swap.replacement.user_id:
            told.append(swap.replacement.user_id)
        verdict = _("已同意") if approve else _("已驳回")
        title = _("调班申请%(verdict)s：%(day)s") % {"verdict": verdict, "day": day_label(day)}
        step.finish(
            fields=["decided_by", "decided_at", "decision_note"],
            kind=SwapEventKind.APPROVED if approve else SwapEventKind.REJECTED,
            note=swap.decision_note,
            notify=[lambda: _tell(told, title, swap)],
        )
    return swap


def swap_withdraw(*, swap: SwapRequest, actor: User) -> SwapRequest:
    """The requester takes a pending request back."""
    with transaction.atomic():
        step = workflow_begin(
            SWAPS, row=swap, action="withdraw", actor=actor, target=SwapStatus.WITHDRAWN
        )
        step.finish(kind=SwapEventKind.WITHDRAWN)
    return step.row
