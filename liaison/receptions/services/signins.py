"""Visitors signing in on the public page the reception day's QR code opens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.text import text_problem
from liaison.receptions.models import DayStatus, ReceptionDay, VisitorSignIn

MAX_NAME = 30


def signin_open(day: ReceptionDay) -> bool:
    """Visitors sign in on the day of the reception only."""
    return day.status != DayStatus.CANCELLED and day.date == timezone.localdate()


def visitor_sign_in(*, day: ReceptionDay, name: str, anonymous: bool) -> VisitorSignIn:
    """One visitor's sign-in (name encrypted at rest; the audit row holds no name)."""
    name = "" if anonymous else name.strip()
    if not signin_open(day):
        raise ValidationError(_("本次接待日不在签到时间内"), code="closed")
    if not anonymous and not name:
        raise ValidationError({"name": _("请填写姓名，或选择匿名签到")})
    if len(name) > MAX_NAME:
        raise ValidationError({"name": _("姓名不能超过 %(n)d 个字") % {"n": MAX_NAME}})
    problem = text_problem(name, label=_("姓名"), multiline=False) if name else None
    if problem:
        raise ValidationError({"name": problem})
    with transaction.atomic():
        signin = VisitorSignIn.objects.create(day=day, name=name, is_anonymous=anonymous)
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            obj=signin,
            region_code=day.region_id,
            note=_("来访签到（匿名）") if anonymous else _("来访签到"),
        )
    return signin
