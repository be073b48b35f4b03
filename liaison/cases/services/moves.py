"""Moves of the loop before the rating: triage, routing, handling, reply (DESIGN.md §4).

Each move is one call into the workflow kernel (`flow.case_begin`, then `Step.finish`): one
transaction, the case row locked, the version and the action and transition tables checked,
milestones saved, version + 1, an event appended (public or internal), an audit row for staff,
notifications after commit. Rating, closing, merging and withdrawing are in `outcome.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.cases.deadlines import accept_due_for, check_new_due, reply_due_for
from liaison.cases.hooks import reply_recorded_on_commit
from liaison.cases.models import (
    Case,
    CaseEvent,
    CoHandling,
    DeclineReason,
    EventKind,
    Status,
)
from liaison.cases.selectors import reply_note
from liaison.cases.services.common import (
    case_event,
    clear_due,
    lock_with_duplicates,
    notify_later,
)
from liaison.cases.services.files import save_reply_files, validate_reply_files
from liaison.cases.services.flow import case_begin
from liaison.cases.services.texts import clean_text, public_text, tell_submitters_later
from liaison.deputies.models import Deputy
from liaison.regions.models import Region, ancestor_codes
from liaison.units.models import HandlingUnit

MAX_NOTE: Final = 1_000
MAX_REPLY: Final = 5_000
MAX_CO_UNITS: Final = 10


def case_accept(
    *, case: Case, actor: User, note: str = "", expected_version: int | None = None
) -> Case:
    """受理: the station (or, for a forwarded case, the upper congress) takes the case on."""
    note = clean_text(note, field="note", limit=MAX_NOTE)
    with transaction.atomic():
        step = case_begin(
            case=case,
            action="accept",
            target=Status.ACCEPTED,
            actor=actor,
            expected_version=expected_version,
        )
        case = step.row
        case.accepted_at = timezone.now()
        forwarded = step.from_status == Status.FORWARDED
        step.finish(
            fields=["accepted_at", *clear_due(case)],
            kind=EventKind.ACCEPTED,
            note=_("上级人大已受理您反映的意见") if forwarded else _("已受理"),
            data={"note": note} if note else {},
        )
    return case


def case_decline(
    *,
    case: Case,
    actor: User,
    reason: str,
    note: str,
    expected_version: int | None = None,
) -> Case:
    """不予受理 with a reason and an explanation that the person reads (masked)."""
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("请选择不予受理的原因")})
    note = clean_text(note, field="note", limit=MAX_NOTE, required=_("请填写向群众说明的理由"))
    with transaction.atomic():
        step = case_begin(
            case=case,
            action="decline",
            target=Status.DECLINED,
            actor=actor,
            expected_version=expected_version,
        )
        case = step.row
        case.decline_reason = reason
        label = str(DeclineReason(reason).label)
        step.finish(
            fields=["decline_reason", *clear_due(case)],
            kind=EventKind.DECLINED,
            note=f"{label}。{public_text(case, note)}",
            data={"reason": reason},
        )
        tell_submitters_later(
            case,
            template=_(
                "您反映的意见（查询码 %(code)s）不予受理，原因：%(reason)s。详情请查看：%(url)s"
            ),
            extra={"reason": label},
        )
    return case


def case_answer_on_spot(
    *, case: Case, actor: User, reply: str, expected_version: int | None = None
) -> Case:
    """当场答复: answered at the station or by the deputy; the person was told in person."""
    reply = clean_text(reply, field="reply", limit=MAX_REPLY, required=_("请填写答复内容"))
    with transaction.atomic():
        duplicates = lock_with_duplicates(case.pk)
        step = case_begin(
            case=case,
            action="answer",
            target=Status.REPLIED,
            actor=actor,
            expected_version=expected_version,
        )
        case = step.row
        now = timezone.now()
        case.reply, case.replied_at, case.relayed_at = reply, now, now
        case.published_at = now if case.allow_publish else None
        step.finish(
            fields=["reply", "replied_at", "relayed_at", "published_at", *clear_due(case)],
            kind=EventKind.ANSWERED_ON_SPOT,
            note=_("已当场答复"),
        )
        _follow_duplicates(case, duplicates)
    return case


def _check_unit(unit: HandlingUnit, case: Case, field: str) -> None:
    """A unit of the case's county, or of a region above the case (a city bureau …)."""
    if not unit.is_active:
        raise ValidationError({field: _("承办单位“%(u)s”已停用") % {"u": unit.name}})
    same_county = unit.region_id[:6] == case.region_id[:6]
    if not same_county and unit.region_id not in ancestor_codes(case.region_id):
        raise ValidationError({field: _("承办单位“%(u)s”不在本辖区") % {"u": unit.name}})


def _set_co_units(case: Case, co_units: Sequence[HandlingUnit]) -> list[int]:
    """Make the co-handling units exactly `co_units` (views already given are kept)."""
    wanted = {u.pk for u in co_units}
    CoHandling.objects.filter(case=case, opinion="").exclude(unit_id__in=wanted).delete()
    existing = set(CoHandling.objects.filter(case=case).values_list("unit_id", flat=True))
    CoHandling.objects.bulk_create(
        [CoHandling(case=case, unit_id=pk) for pk in sorted(wanted - existing)]
    )
    return sorted(wanted)


def case_assign(
    *,
    case: Case,
    actor: User,
    unit: HandlingUnit | None = None,
    deputy: Deputy | None = None,
    co_units: Iterable[HandlingUnit] = (),
    due: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """交办 to a lead unit (with co-handling units) or to a deputy, with a reply due date.

    From accepted (assign), assigned (reassign) or evaluated (reopened by staff).
    """
    co_list = list(dict.fromkeys(co_units))
    if (unit is None) == (deputy is None):
        raise ValidationError({"unit": _("请选择一个承办单位或一位代表")})
    if deputy is not None and (not deputy.is_active or deputy.user_id is None):
        raise ValidationError({"deputy": _("该代表不在任或尚未开通账号，无法交办")})
    if deputy is not None and co_list:
        raise ValidationError({"co_units": _("交办给代表时不能指定协办单位")})
    if len(co_list) > MAX_CO_UNITS:
        raise ValidationError({"co_units": _("协办单位最多 %(n)s 个") % {"n": MAX_CO_UNITS}})
    if unit is not None and unit in co_list:
        raise ValidationError({"co_units": _("主办单位不能同时是协办单位")})
    note = clean_text(note, field="note", limit=MAX_NOTE)
    with transaction.atomic():
        step = case_begin(
            case=case,
            action="assign",
            target=Status.ASSIGNED,
            actor=actor,
            expected_version=expected_version,
        )
        case = step.row
        for candidate in ([unit] if unit else []) + co_list:
            _check_unit(candidate, case, "unit" if candidate is unit else "co_units")
        now = timezone.now()
        if due is not None:
            check_new_due(due=due, region=case.region_id, field="due")
        before = {"status": case.status, "unit": case.unit_id, "deputy": case.assigned_deputy_id}
        kind = {
            Status.ACCEPTED: EventKind.ASSIGNED,
            Status.ASSIGNED: EventKind.REASSIGNED,
        }.get(Status(case.status), EventKind.REOPENED)
        case.unit, case.assigned_deputy = unit, deputy
        case.assigned_at = now
        case.reply_due = due or reply_due_for(region=case.region_id, assigned_at=now)
        fields = ["unit", "assigned_deputy", "assigned_at", "reply_due"]
        if kind == EventKind.REOPENED:
            case.reopen_count += 1
            fields.append("reopen_count")
        co_ids = _set_co_units(case, co_list)
        handler = unit.name if unit is not None else _("%(name)s代表") % {"name": deputy.name}  # type: ignore[union-attr]
        step.finish(
            fields=[*fields, *clear_due(case)],
            kind=kind,
            note=_("已交由%(h)s办理，答复期限 %(due)s")
            % {"h": handler, "due": case.reply_due.isoformat()},
            data={
                "unit": case.unit_id,
                "deputy": case.assigned_deputy_id,
                "co_units": co_ids,
                "reply_due": case.reply_due,
                **({"note": note} if note else {}),
            },
            audit_before=before,
            audit_after={
                "status": Status.ASSIGNED,
                "unit": case.unit_id,
                "deputy": case.assigned_deputy_id,
            },
        )
        notify_later(
            case,
            title=_("新交办"),
            body=_("请在 %(due)s 前答复。%(note)s") % {"due": case.reply_due, "note": note},
            unit=True,
            co_units=True,
            deputy=True,
            exclude=actor,
        )
    return case


def case_forward(
    *,
    case: Case,
    actor: User,
    to_region: Region,
    note: str,
    expected_version: int | None = None,
) -> Case:
    """转上级人大: the case moves to the jurisdiction of a higher congress, which accepts it."""
    note = clean_text(note, field="note", limit=MAX_NOTE, required=_("请填写转交说明"))
    with transaction.atomic():
        step = case_begin(
            case=case,
            action="forward",
            target=Status.FORWARDED,
            actor=actor,
            expected_version=expected_version,
        )
        case = step.row
        if to_region.code == case.region_id or to_region.code not in ancestor_codes(case.region_id):
            raise ValidationError({"to_region": _("只能转交给上级人大")})
        before = {"status": case.status, "region": case.region_id}
        now = timezone.now()
        case.region = to_region
        case.accept_due = accept_due_for(region=to_region, submitted_at=now)
        step.finish(
            fields=["region", "accept_due", *clear_due(case)],
            kind=EventKind.FORWARDED,
            note=_("已转交%(r)s人大办理") % {"r": to_region.name},
            data={"from_region": before["region"], "to_region": to_region.code, "note": note},
            audit_before=before,
            audit_after={"status": Status.FORWARDED, "region": to_region.code},
        )
        notify_later(case, title=_("下级转来意见"), body=note, congress=True, exclude=actor)
    return case


def case_reply(
    *,
    case: Case,
    actor: User,
    reply: str,
    attachments: Sequence[Any] = (),
    expected_version: int | None = None,
) -> Case:
    """答复 by the lead unit, the assigned deputy or congress staff; submitters hear by SMS."""
    reply = clean_text(reply, field="reply", limit=MAX_REPLY, required=_("请填写答复内容"))
    files = validate_reply_files(attachments, region=case.region_id)
    with transaction.atomic():
        duplicates = lock_with_duplicates(case.pk)
        step = case_begin(
            case=case,
            action="reply",
            target=Status.REPLIED,
            actor=actor,
            expected_version=expected_version,
        )
        case = step.row
        case.reply, case.replied_at = reply, timezone.now()
        case.published_at = case.replied_at if case.allow_publish else None
        saved = save_reply_files(case, files)
        step.finish(
            fields=["reply", "replied_at", "published_at", *clear_due(case)],
            kind=EventKind.REPLIED,
            note=reply_note(step.role),
            data={"attachments": saved, "on_time": _on_time(case)},
        )
        notify_later(case, title=_("已答复，待回访"), station=True, exclude=actor)
        _follow_duplicates(case, duplicates)
        reply_recorded_on_commit(case_id=case.pk)
    return case


def _on_time(case: Case) -> bool | None:
    if case.reply_due is None or case.replied_at is None:
        return None
    return timezone.localdate(case.replied_at) <= case.reply_due


def _follow_duplicates(case: Case, duplicates: list[int]) -> None:
    """Give the answer to every case merged into this one (`duplicates`, locked with it by
    `lock_with_duplicates`), and tell all the submitters."""
    if duplicates:
        Case.objects.filter(pk__in=duplicates).update(reply=case.reply, replied_at=case.replied_at)
        CaseEvent.objects.bulk_create(
            case_event(
                pk,
                EventKind.REPLIED,
                note=_("与您反映相同问题的意见已答复，请查看答复内容"),
                data={"primary": case.pk},
                public=True,
            )
            for pk in duplicates
        )
    tell_submitters_later(
        case,
        template=_("您反映的意见（查询码 %(code)s）已有答复，请凭查询码和 PIN 查看并评价：%(url)s"),
        duplicates=True,
    )
