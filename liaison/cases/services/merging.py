"""合并 and 撤销合并: a duplicate follows a primary case, and comes back (with the duplicates
that followed it) when it was merged by mistake (decisions 0008 and 0056)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.cases.models import OPEN_STATUSES, Case, CaseEvent, EventKind, Status
from liaison.cases.permissions import actor_roles_for
from liaison.cases.services.common import case_event, clear_due
from liaison.cases.services.flow import CASES
from liaison.cases.services.outcome import MAX_REASON
from liaison.cases.services.texts import clean_text
from liaison.workflow.flow import Step, workflow_step


def _followers(case_id: int) -> list[tuple[int, str]]:
    """The cases merged into `case_id` (id, tracking code), lowest id first."""
    rows = Case.objects.filter(merged_into_id=case_id).order_by("pk")
    return list(rows.values_list("pk", "tracking_code"))


def _lock(ids: Iterable[int | None]) -> dict[int, Case]:
    """Lock these cases all at once, lowest id first, so that two merges or un-merges over the
    same rows cannot deadlock."""
    wanted = {pk for pk in ids if pk is not None}
    rows = Case.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    return {row.pk: row for row in rows}


def case_merge(
    *, case: Case, primary: Case, actor: User, expected_version: int | None = None
) -> Case:
    """合并: `case` is a duplicate followed through `primary` (open, same county); the cases
    merged into it follow it to the primary, and the merge records which (decision 0056)."""
    if case.pk == primary.pk:
        raise ValidationError({"primary": _("不能合并到自身")})
    seen = case
    with transaction.atomic():
        # Its duplicates are locked with it (read first to know them): once `case` is locked no
        # merge into it and no un-merge from it can change them, since both lock it too.
        guessed = [pk for pk, _code in _followers(case.pk)]
        locked = _lock([case.pk, primary.pk, *guessed])
        case, primary = locked[case.pk], locked[primary.pk]
        CASES.check_version(case, expected_version)
        role = CASES.check_action(case, "merge", actor, seen=seen)
        step = workflow_step(
            CASES, row=case, role=role, actor=actor, action="merge", target=Status.MERGED
        )
        if not actor_roles_for(actor, primary):
            raise PermissionDenied
        if primary.status not in OPEN_STATUSES or primary.merged_into_id is not None:
            raise ValidationError({"primary": _("主件已办结、撤回或已被合并，不能作为主件")})
        if primary.region_id[:6] != case.region_id[:6]:
            raise ValidationError({"primary": _("只能合并同一辖区的意见")})
        followers = _followers(case.pk)
        ids = [pk for pk, _code in followers]
        if not locked.keys() >= set(ids):  # merged into it between the read and the lock
            raise CASES.conflict(case)
        case.merged_into = primary
        step.save(fields=["merged_into", *clear_due(case)])
        # Duplicates of this case now follow the primary too. Their pages named the case they
        # were merged into: a new version makes a form sent from such a page a conflict.
        Case.objects.filter(pk__in=ids).update(merged_into=primary, version=F("version") + 1)
        # The followers' ids go on the case's own MERGED event, which `case_unmerge` reads
        # already (the status to go back to): un-merging the case takes them back with it.
        # Their constituents hear nothing: they are still handled with the same matter.
        step.event(
            EventKind.MERGED,
            note=_("已与反映相同问题的意见合并办理，办理结果将一并告知您"),
            data={"primary": primary.pk, "follower_ids": ids},
        )
        note = _("合并了意见 %(code)s") % {"code": case.tracking_code}
        if followers:
            note += _("（随之并入：%(codes)s）") % {"codes": "、".join(c for _pk, c in followers)}
        step.event(
            EventKind.NOTE,
            subject=primary,
            note=note,
            data={"merged": case.pk, "followers": len(ids)},
        )
        step.audit(
            EventKind.MERGED,
            after={"status": Status.MERGED, "merged_into": primary.pk, "follower_ids": ids},
        )
    return case


@dataclass(frozen=True, kw_only=True)
class Unmerged:
    """What `case_unmerge` did, for the clerk's message."""

    case: Case
    # The tracking codes of the duplicates that came back with the case.
    returned: tuple[str, ...] = ()
    # Set when the merge was recorded before its followers were: they stay with the primary.
    notice: str = ""


def _merge_record(case_id: int) -> CaseEvent | None:
    """The case's latest MERGED event: the status it came from and the cases that followed it."""
    events = CaseEvent.objects.filter(case_id=case_id, kind=EventKind.MERGED)
    return events.order_by("-at", "-id").first()


def _recorded_followers(event: CaseEvent | None) -> list[int] | None:
    """The ids the merge recorded as following the case; None for a merge recorded before
    followers were (decision 0056), whose followers are never guessed."""
    data = event.data if event is not None and isinstance(event.data, dict) else {}
    ids = data.get("follower_ids")
    if not isinstance(ids, list):
        return None
    return sorted({pk for pk in ids if isinstance(pk, int) and not isinstance(pk, bool)})


def _followers_left_notice(case: Case, merged: CaseEvent, primary: Case) -> str:
    """For a merge recorded without its followers: tell the clerk that the duplicates merged
    into the case before stay with the primary ("" when the merge's note counted none)."""
    data = merged.data if isinstance(merged.data, dict) else {}
    named = data.get("primary")
    merged_to: int = named if isinstance(named, int) else primary.pk
    counted = (
        CaseEvent.objects.filter(case_id=merged_to, kind=EventKind.NOTE, data__merged=case.pk)
        .order_by("-at", "-id")
        .values_list("data", flat=True)
        .first()
    )
    count = counted.get("followers") if isinstance(counted, dict) else None
    if count == 0:
        return ""
    if isinstance(count, int):
        return _(
            "该件合并时系统尚未记录随其并入主件的意见：原先并入该件的 %(n)d 件意见仍随主件 "
            "%(code)s 办理，不会自动转回。如需随该件办理，请逐件撤销合并后重新合并到该件。"
        ) % {"n": count, "code": primary.tracking_code}
    return _(
        "该件合并时系统尚未记录随其并入主件的意见：原先并入该件的意见（如有）仍随主件 "
        "%(code)s 办理，不会自动转回。如需随该件办理，请逐件撤销合并后重新合并到该件。"
    ) % {"code": primary.tracking_code}


def _unmerge_begin(
    *, case: Case, actor: User, expected_version: int | None
) -> tuple[Step[Case], CaseEvent, dict[int, Case]]:
    """Lock and check as `case_begin` does, but together with the primary and the followers the
    merge recorded, lowest id first as `case_merge` locks (they are read first to know them:
    once the case is locked its merge cannot change, so the reads under the lock must agree)."""
    record = _merge_record(case.pk)
    primary_seen = Case.objects.filter(pk=case.pk).values_list("merged_into_id", flat=True).first()
    locked = _lock([case.pk, primary_seen, *(_recorded_followers(record) or ())])
    row = locked[case.pk]
    CASES.check_version(row, expected_version)
    role = CASES.check_action(row, "unmerge", actor, seen=case)
    step = workflow_step(CASES, row=row, role=role, actor=actor, action="unmerge")
    merged = _merge_record(row.pk)
    if merged is None or merged.from_status not in (Status.SUBMITTED, Status.ACCEPTED):
        raise ValidationError(_("找不到该件合并前的状态，无法撤销合并，请联系系统管理员。"))
    if merged.pk != getattr(record, "pk", None) or row.merged_into_id != primary_seen:
        raise CASES.conflict(row)
    return step, merged, locked


def case_unmerge(
    *, case: Case, actor: User, note: str = "", expected_version: int | None = None
) -> Unmerged:
    """撤销合并: a duplicate merged by mistake is handled on its own again, in the status it had
    when it was merged (read from the merge event); the duplicates that followed it to the
    primary, and are still there, come back with it (decision 0056)."""
    note = clean_text(note, field="note", limit=MAX_REASON)
    with transaction.atomic():
        step, merged, locked = _unmerge_begin(
            case=case, actor=actor, expected_version=expected_version
        )
        case = step.row
        step.move_to(merged.from_status)
        primary_id = case.merged_into_id
        primary = locked.get(primary_id) if primary_id is not None else None
        recorded = _recorded_followers(merged)
        # Only those still merged into the same primary: one un-merged or merged elsewhere
        # since is no longer the case's duplicate to take back.
        returned = [
            locked[pk]
            for pk in recorded or ()
            if pk in locked
            and primary_id is not None
            and locked[pk].merged_into_id == primary_id
            and locked[pk].status == Status.MERGED
        ]
        had_reply = any(row.replied_at is not None for row in returned)
        case.merged_into = None
        # While merged the case only mirrored the primary's outcome (merging starts before any
        # answer): it is its own case again, without the primary's answer.
        case.reply, case.replied_at, case.closed_at = "", None, None
        step.save(fields=["merged_into", "reply", "replied_at", "closed_at"])
        returned_ids = [row.pk for row in returned]
        step.event(
            EventKind.UNMERGED,
            note=_("已撤销合并，您反映的意见将单独办理"),
            data={
                "primary": primary_id,
                "follower_ids": returned_ids,
                **({"note": note} if note else {}),
            },
        )
        if returned:
            _take_back(step, returned_ids, had_reply=had_reply, previous=primary_id)
        notice = ""
        if recorded is None and primary is not None:
            notice = _followers_left_notice(case, merged, primary)
        if notice:
            # Staff only (a NOTE is not public): the next clerk on this page reads it too.
            step.event(EventKind.NOTE, note=notice, data={"followers_unrecorded": True}, move=False)
        if primary is not None:
            text = _("撤销了意见 %(code)s 的合并") % {"code": case.tracking_code}
            if returned:
                codes = "、".join(row.tracking_code for row in returned)
                text += _("（随之转回：%(codes)s）") % {"codes": codes}
            step.event(
                EventKind.NOTE,
                subject=primary,
                note=text,
                data={"unmerged": case.pk, "follower_ids": returned_ids},
            )
        step.audit(
            EventKind.UNMERGED,
            before={"status": Status.MERGED, "merged_into": primary_id},
            after={"status": case.status, "merged_into": None, "follower_ids": returned_ids},
        )
    return Unmerged(case=case, returned=tuple(row.tracking_code for row in returned), notice=notice)


def _take_back(step: Step[Case], ids: list[int], *, had_reply: bool, previous: int | None) -> None:
    """The followers are merged into the un-merged case again and mirror its outcome (none yet).

    Each constituent hears it on their own tracking page: they were told of the primary's
    answer, which no longer applies. One public note each, in the words of the merge notes;
    the clerks read the primary's note (which codes went back) and the case's merged list."""
    case = step.row
    Case.objects.filter(pk__in=ids).update(
        merged_into=case, reply="", replied_at=None, closed_at=None, version=F("version") + 1
    )
    note = _("合并办理已调整，您的意见仍与反映相同问题的意见一并办理，办理结果将一并告知您")
    if had_reply:
        note += _("；此前告知的答复不再适用")
    CaseEvent.objects.bulk_create(
        case_event(
            pk,
            EventKind.NOTE,
            actor=step.actor,
            role=step.role,
            note=note,
            data={"primary": case.pk, "previous": previous},
            public=True,
        )
        for pk in ids
    )
