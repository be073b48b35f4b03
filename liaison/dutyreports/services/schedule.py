"""Scheduling a duty report (with its invited voters' representatives and one-time codes) and
cancelling it."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.text import text_problem
from liaison.deputies.models import Deputy, StationDeputy
from liaison.dutyreports import rules
from liaison.dutyreports.codes import code_for, code_hash
from liaison.dutyreports.models import (
    DutyReport,
    DutyReportEvent,
    EventKind,
    RatingCode,
    Representative,
    Status,
)
from liaison.dutyreports.permissions import deputy_id_of, staff_roles_on
from liaison.dutyreports.services.flow import report_begin
from liaison.dutyreports.workflow import REPORTER
from liaison.stations.models import Station
from liaison.workflow.events import event_append, event_build

MAX_REPRESENTATIVES = 500
MAX_NAME = 30
PHONE_DIGITS = 11


@dataclass(frozen=True)
class Invitee:
    """A voters' representative as entered: a name and an optional mobile number."""

    name: str
    phone: str = ""


def window_end(starts_at: datetime.datetime, days: int) -> datetime.datetime:
    """Midnight after the last day of the rating window (the meeting's day + `days`)."""
    last = timezone.localtime(starts_at).date() + datetime.timedelta(days=days + 1)
    return timezone.make_aware(datetime.datetime.combine(last, datetime.time()))


def _scheduler_role(actor: User, station: Station, deputy: Deputy) -> str:
    roles = staff_roles_on(actor, station)
    if roles:
        return sorted(roles)[0]
    if deputy_id_of(actor) == deputy.pk:
        return REPORTER
    raise PermissionDenied


def _invitees_check(region: str, invitees: Sequence[Invitee]) -> list[Invitee]:
    minimum = rules.min_representatives(region)
    cleaned: list[Invitee] = []
    errors: list[str] = []
    for number, person in enumerate(invitees, start=1):
        name, phone = person.name.strip(), person.phone.strip().replace(" ", "")
        if not name and not phone:
            continue
        problem = text_problem(name, label=_("姓名"), multiline=False) if name else None
        if not name:
            problem = _("请填写姓名")
        elif len(name) > MAX_NAME:
            problem = _("姓名不能超过 %(n)d 个字") % {"n": MAX_NAME}
        elif phone and not (phone.isdigit() and len(phone) == PHONE_DIGITS):
            problem = _("手机号应为 11 位数字")
        if problem:
            errors.append(_("第 %(n)d 行：%(msg)s") % {"n": number, "msg": problem})
            continue
        cleaned.append(Invitee(name=name, phone=phone))
    if errors:
        raise ValidationError({"invited": errors})
    if len(cleaned) > MAX_REPRESENTATIVES:
        raise ValidationError(
            {"invited": _("受邀选民代表最多 %(n)d 人。") % {"n": MAX_REPRESENTATIVES}}
        )
    if len(cleaned) < minimum:
        raise ValidationError(
            {
                "invited": _("本辖区规定述职会至少邀请 %(min)d 名选民代表，目前只填写了 %(n)d 名。")
                % {"min": minimum, "n": len(cleaned)}
            },
            code="too_few",
        )
    return cleaned


def duty_report_schedule(
    *,
    actor: User,
    deputy: Deputy,
    station: Station,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    invited: Sequence[Invitee],
) -> DutyReport:
    """Schedule a deputy's report at a station (its staff, or the deputy). ValidationError
    (nothing written) for bad input; PermissionDenied outside scope."""
    role = _scheduler_role(actor, station, deputy)
    errors: dict[str, str] = {}
    title, place = title.strip(), place.strip()
    for field, value, label in (("title", title, _("述职主题")), ("place", place, _("地点"))):
        problem = text_problem(value, label=label, multiline=False) if value else None
        if not value:
            problem = _("请填写%(label)s") % {"label": label}
        if problem:
            errors[field] = problem
    at_station = StationDeputy.objects.filter(station=station, deputy=deputy, ends_on__isnull=True)
    if not deputy.is_active or not at_station.exists():
        errors["deputy"] = _("该代表不是本联络站的在任代表。")
    if starts_at < timezone.now() - datetime.timedelta(days=1):
        errors["starts_at"] = _("述职时间不能早于昨天。")
    if errors:
        raise ValidationError(errors)
    people = _invitees_check(station.region_id, invited)
    token = secrets.token_urlsafe(16)
    count = rules.code_count(station.region_id)
    with transaction.atomic():
        report = DutyReport.objects.create(
            deputy=deputy,
            station=station,
            region_id=station.region_id,
            title=title,
            starts_at=starts_at,
            place=place,
            token=token,
            rating_closes_at=window_end(starts_at, rules.rating_days(station.region_id)),
            created_by=actor,
        )
        Representative.objects.bulk_create(
            Representative(report=report, name=p.name, phone=p.phone) for p in people
        )
        hashes = {code_hash(token, code_for(token, n)): n for n in range(1, count + 1)}
        # Two lines whose codes collide (one in many millions) keep one line: never a duplicate.
        RatingCode.objects.bulk_create(
            RatingCode(report=report, number=n, code_hash=h) for h, n in hashes.items()
        )
        event_append(
            event_build(
                model=DutyReportEvent,
                subject=report,
                kind=EventKind.SCHEDULED,
                actor=actor,
                role=role,
                to_status=Status.SCHEDULED,
                data={"invited": len(people), "codes": len(hashes)},
            )
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=report,
            region_code=report.region_id,
            after={"deputy": deputy.pk, "starts_at": starts_at.isoformat(), "invited": len(people)},
            note=_("安排代表述职"),
        )
    return report


def duty_report_cancel(
    *, report: DutyReport, actor: User, expected_version: int | None, reason: str
) -> DutyReport:
    """Cancel a scheduled report (with a reason); its codes stop working with it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写取消原因。")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("取消原因不能超过 300 个字。")})
    problem = text_problem(reason, label=_("取消原因"), multiline=False)
    if problem:
        raise ValidationError({"reason": problem})
    with transaction.atomic():
        step = report_begin(
            report=report,
            action="cancel",
            actor=actor,
            expected_version=expected_version,
            target=Status.CANCELLED,
        )
        step.row.cancel_reason = reason
        step.finish(fields=["cancel_reason"], kind=EventKind.CANCELLED, note=reason)
    return step.row
