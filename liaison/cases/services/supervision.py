"""督办: supervision opened by hand, and the scheduled job that marks yellow and red cases.

The job (`escalate_due_cases`) is built for millions of cases. For each deadline it walks the
cases of one status ordered by due date (the (status, accept_due) / (status, reply_due) indexes),
in keyset-paginated batches of `BATCH_SIZE`, and per batch runs a fixed number of queries: the
page, the warning cut-off dates of the regions in the page (see `deadlines.warning_cutoffs`), the
row locks, two bulk UPDATEs, bulk INSERTs of supervisions, events and inbox messages, and three
queries for the recipients. Only cases not yet red are read; a case turns yellow once and red
once, so running the job twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.cases.deadlines import STAGE_WARNING_KEYS, check_new_due, warning_cutoffs
from liaison.cases.models import Case, CaseEvent, DueState, EventKind, Status, Supervision
from liaison.cases.selectors import users_by_keys
from liaison.cases.services.common import case_event, clear_due, notify_later, staff_case_url
from liaison.cases.services.flow import case_begin
from liaison.cases.services.texts import clean_text
from liaison.jurisdiction.calendar import WorkingCalendar
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.jurisdiction.registry import SETTINGS
from liaison.notifications.models import Notification
from liaison.notifications.subjects import Subject, subject_fields

BATCH_SIZE: Final = 1_000
# (status, due field): which deadline the job watches in which status.
WATCHED: Final = (
    (Status.SUBMITTED, "accept_due"),
    (Status.FORWARDED, "accept_due"),
    (Status.ASSIGNED, "reply_due"),
)


def supervision_open(
    *, case: Case, actor: User, note: str, new_due: datetime.date | None = None
) -> Supervision:
    """Open a supervision by hand (人工督办), with a note and optionally a new deadline."""
    note = clean_text(note, field="note", limit=1_000, required=_("请填写督办意见"))
    with transaction.atomic():
        step = case_begin(case=case, actor=actor, action="supervise")
        case = step.row
        before: dict[str, Any] = {"accept_due": case.accept_due, "reply_due": case.reply_due}
        if new_due is not None:
            check_new_due(due=new_due, region=case.region_id, field="new_due")
            if case.status == Status.ASSIGNED:
                case.reply_due = new_due
                due_field = "reply_due"
            elif case.status in (Status.SUBMITTED, Status.FORWARDED):
                case.accept_due = new_due
                due_field = "accept_due"
            else:
                raise ValidationError({"new_due": _("该件当前没有可调整的办理期限")})
            step.save(fields=[due_field, *clear_due(case)])
        supervision = Supervision.objects.create(
            case=case,
            level=Supervision.Level.MANUAL,
            note=note,
            new_due=new_due,
            opened_by=actor,
        )
        step.event(
            EventKind.SUPERVISED,
            note=note + (_("（新的期限：%(d)s）") % {"d": new_due} if new_due else ""),
            data={"supervision": supervision.pk, "new_due": new_due},
        )
        step.audit(
            EventKind.SUPERVISED,
            before=before,
            after={"accept_due": case.accept_due, "reply_due": case.reply_due},
        )
        notify_later(
            case,
            title=_("督办"),
            body=note,
            unit=True,
            deputy=True,
            station=True,
            congress=True,
            exclude=actor,
        )
    return supervision


# --- the scheduled job --------------------------------------------------------------------------


@dataclass
class EscalationResult:
    yellow: int = 0
    red: int = 0
    notifications: int = 0
    batches: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def _max_warning_days() -> int:

    keys = [warning for warning, _deadline in STAGE_WARNING_KEYS.values()]
    values = [int(SETTINGS[key].default) for key in keys]
    for value in JurisdictionSetting.objects.filter(key__in=keys).values_list("value", flat=True):
        try:
            values.append(int(value))
        except (TypeError, ValueError):
            continue
    return max(values)


def escalate_due_cases(*, today: datetime.date | None = None) -> EscalationResult:
    """Mark open cases yellow (few working days left) or red (overdue), once each, open
    supervisions and tell the unit, the station and the congress staff above."""
    today = today or timezone.localdate()
    # No region's cut-off can lie beyond this (local extra holidays get 60 days of slack).
    bound = WorkingCalendar(None).add_working_days(
        today, _max_warning_days() + 1
    ) + datetime.timedelta(days=60)
    result = EscalationResult()
    for status, due_field in WATCHED:
        candidates = Case.objects.filter(status=status, **{f"{due_field}__lt": bound}).exclude(
            due_state=DueState.RED
        )
        last: tuple[datetime.date, int] | None = None
        while True:
            page = candidates.order_by(due_field, "pk")
            if last is not None:
                page = page.filter(
                    Q(**{f"{due_field}__gt": last[0]})
                    | Q(**{due_field: last[0], "pk__gt": last[1]})
                )
            rows = list(
                page.values(
                    "pk",
                    "region_id",
                    due_field,
                    "due_state",
                    "unit_id",
                    "station__path",
                    "assigned_deputy__user_id",
                    "tracking_code",
                    "title",
                )[:BATCH_SIZE]
            )
            if not rows:
                break
            result.batches += 1
            _escalate_batch(rows, status=status, due_field=due_field, today=today, result=result)
            if len(rows) < BATCH_SIZE:
                break
            last = (rows[-1][due_field], rows[-1]["pk"])
    return result


def _escalate_batch(
    rows: list[dict[str, Any]],
    *,
    status: str,
    due_field: str,
    today: datetime.date,
    result: EscalationResult,
) -> None:
    stage = "accept" if due_field == "accept_due" else "reply"
    cutoffs = warning_cutoffs(region_codes={r["region_id"] for r in rows}, today=today, stage=stage)
    yellow: list[int] = []
    red: list[int] = []
    for row in rows:
        due = row[due_field]
        if due < today:
            red.append(row["pk"])
        elif due < cutoffs[row["region_id"]] and row["due_state"] == DueState.NONE:
            yellow.append(row["pk"])
    if not yellow and not red:
        return
    by_pk = {row["pk"]: row for row in rows}
    with transaction.atomic():
        # Lock what is still in the state we read; a case a person is moving right now is
        # skipped and picked up by the next run.
        base = Case.objects.select_for_update(skip_locked=True).filter(status=status)
        yellow = list(
            base.filter(pk__in=yellow, due_state=DueState.NONE).values_list("pk", flat=True)
        )
        red = list(
            base.filter(pk__in=red).exclude(due_state=DueState.RED).values_list("pk", flat=True)
        )
        Case.objects.filter(pk__in=yellow).update(due_state=DueState.YELLOW)
        Case.objects.filter(pk__in=red).update(due_state=DueState.RED)
        levels: list[tuple[int, str]] = [(pk, Supervision.Level.YELLOW) for pk in yellow]
        levels += [(pk, Supervision.Level.RED) for pk in red]
        Supervision.objects.bulk_create(
            [Supervision(case_id=pk, level=level) for pk, level in levels],
            ignore_conflicts=True,
            batch_size=500,
        )
        what = _("受理期限") if due_field == "accept_due" else _("答复期限")
        events = []
        for pk, level in levels:
            due = by_pk[pk][due_field]
            if level == Supervision.Level.YELLOW:
                kind, note = EventKind.DUE_WARNING, _("%(w)s %(d)s 临近，黄色督办")
            else:
                kind, note = EventKind.OVERDUE, _("已超过%(w)s %(d)s，红色督办")
            events.append(
                case_event(
                    pk,
                    kind,
                    note=note % {"w": what, "d": due.isoformat()},
                    data={"level": level, "due": due.isoformat()},
                    public=False,
                )
            )
        CaseEvent.objects.bulk_create(events, batch_size=500)
        result.notifications += _notify_chain([by_pk[pk] for pk, _l in levels], levels)
    result.yellow += len(yellow)
    result.red += len(red)
    result.by_status[status] = result.by_status.get(status, 0) + len(levels)


def _notify_chain(rows: list[dict[str, Any]], levels: list[tuple[int, str]]) -> int:
    """Inbox messages for the unit's staff, the station's officers and heads, the congress staff
    whose region covers the case, and the assigned deputy: one bulk insert per batch."""
    keyed = users_by_keys(
        unit_ids={r["unit_id"] for r in rows if r["unit_id"]},
        station_paths={r["station__path"] for r in rows if r["station__path"]},
        region_codes={r["region_id"] for r in rows},
    )
    messages: list[Notification] = []
    for row, (_pk, level) in zip(rows, levels, strict=True):
        users: set[int] = set()
        users |= keyed.get(("unit", row["unit_id"]), set())
        users |= keyed.get(("station", row["station__path"]), set())
        users |= keyed.get(("region", row["region_id"]), set())
        if row["assigned_deputy__user_id"]:
            users.add(row["assigned_deputy__user_id"])
        title = (_("黄色督办") if level == Supervision.Level.YELLOW else _("红色督办")) + (
            f"：{row['tracking_code']} {row['title']}"
        )
        url = staff_case_url(row["pk"])
        about = subject_fields(Subject.ref(Case, row["pk"]))
        messages += [
            Notification(user_id=u, title=title[:200], url=url, **about) for u in sorted(users)
        ]
    Notification.objects.bulk_create(messages, batch_size=500)
    return len(messages)
