"""The PIN of a tracking code: checking it against a per-code failure limit, and issuing a new one.

Every PIN entry point (the H5 tracking form, the public API lookup, and through the remembered
session the rating and withdrawal) asks `pin_verify`. Failures are counted per tracking code in
the database (`PinGuard`, atomic UPDATEs with F()), so guessing spread over many addresses is
stopped as surely as from one: after `PIN_GUARD_MAX_FAILURES` failures within
`PIN_GUARD_WINDOW_HOURS` the code refuses every PIN, the right one too, until a new PIN is issued —
by SMS to the phone given at submission (`case_pin_resend`) or by station staff
(`case_pin_reset`, audited, the PIN shown once).
"""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.models import Case, CaseEvent, EventKind, PinGuard
from liaison.cases.services.common import add_event, after_commit
from liaison.cases.services.flow import CASES, case_begin
from liaison.cases.services.intake import (
    case_pin_matches,
    new_pin,
    normalize_phone,
    pin_digest,
    send_tracking_sms,
)
from liaison.cases.workflow import CONSTITUENT

# What the event data of an SMS resend carries (counted for the per-code daily limit).
RESENT_MARK: Final = "pin_resent"


class PinVerdict(enum.Enum):
    OK = "ok"
    WRONG = "wrong"  # also: no such code
    LOCKED = "locked"


def _max_failures() -> int:
    return int(getattr(settings, "PIN_GUARD_MAX_FAILURES", 10))


def _window() -> timedelta:
    return timedelta(hours=float(getattr(settings, "PIN_GUARD_WINDOW_HOURS", 24)))


def locked_message() -> str:
    return _(
        "该查询码因多次输入错误的查询密码已被锁定，正确的密码也暂不能使用。"
        "留有手机号的可通过“重新获取查询密码”用短信获取新密码，或请联络站工作人员重置。"
    )


def pin_guard_locked(*, tracking_code: str) -> bool:
    """Whether the code refuses every PIN until a new one is issued."""
    return PinGuard.objects.filter(tracking_code=tracking_code, locked_at__isnull=False).exists()


def pin_failure_record(*, tracking_code: str) -> bool:
    """Count one wrong PIN for an existing code; True when the code is now locked.

    Every step is one UPDATE (no read-then-write), so concurrent failures from many addresses
    are all counted, on PostgreSQL and on SQLite alike."""
    now = timezone.now()
    guards = PinGuard.objects.filter(tracking_code=tracking_code)
    with transaction.atomic():
        PinGuard.objects.bulk_create(
            [PinGuard(tracking_code=tracking_code, window_started_at=now)], ignore_conflicts=True
        )
        # An unlocked count older than the window starts again.
        guards.filter(locked_at__isnull=True, window_started_at__lt=now - _window()).update(
            failures=0, window_started_at=now
        )
        guards.update(failures=F("failures") + 1)
        guards.filter(locked_at__isnull=True, failures__gte=_max_failures()).update(locked_at=now)
        return guards.filter(locked_at__isnull=False).exists()


def pin_verify(*, case: Case | None, pin: str) -> PinVerdict:
    """Check a PIN typed for `case` (None: no such code) against the per-code limit."""
    if case is None:
        return PinVerdict.WRONG  # no row for codes that do not exist: nothing to fill a table with
    if pin_guard_locked(tracking_code=case.tracking_code):
        return PinVerdict.LOCKED
    if case_pin_matches(case=case, pin=pin):
        return PinVerdict.OK
    if pin_failure_record(tracking_code=case.tracking_code):
        return PinVerdict.LOCKED
    return PinVerdict.WRONG


def _renew(case: Case) -> str:
    """A new PIN for the (locked) case; the old one and the failure count are gone."""
    pin = new_pin()
    digest = pin_digest(tracking_code=case.tracking_code, pin=pin)
    # Not a change people make on the page: the row's version stays as it is.
    Case.objects.filter(pk=case.pk).update(pin_digest=digest)
    case.pin_digest = digest
    PinGuard.objects.filter(tracking_code=case.tracking_code).delete()
    return pin


def case_pin_reset(*, case: Case, actor: User) -> str:
    """Station staff give the person a new PIN (shown once to them); audited. The code is
    unlocked and the old PIN stops working."""

    with transaction.atomic():
        step = case_begin(case=case, actor=actor, action="pin_reset")
        case = step.row
        was_locked = pin_guard_locked(tracking_code=case.tracking_code)
        pin = _renew(case)
        step.event(
            EventKind.NOTE,
            note=_("重置了查询密码"),
            data={"pin_reset": True, "was_locked": was_locked},
        )
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY,
            obj=case,
            region_code=case.region_id,
            before={"locked": was_locked},
            after={"locked": False},
            note="重置查询密码",
        )
    return pin


def case_pin_resend(*, tracking_code: str, phone: str) -> bool:
    """Send a new PIN by SMS when `phone` is the phone given with the case; False when it is
    not (or there is no such code, or no phone). ValidationError past the daily limit."""
    phone = normalize_phone(phone)
    case = (
        Case.objects.filter(tracking_code=tracking_code, personal_data_purged_at__isnull=True)
        .only("pk", "tracking_code", "contact_phone")
        .first()
    )
    if case is None or not phone or not case.contact_phone or case.contact_phone != phone:
        return False
    limit = int(getattr(settings, "PIN_RESEND_PER_DAY", 3))
    with transaction.atomic():
        case = CASES.lock(case)
        since = timezone.now() - timedelta(days=1)
        sent = CaseEvent.objects.filter(
            case=case, kind=EventKind.NOTE, at__gte=since, **{f"data__{RESENT_MARK}": True}
        ).count()
        if sent >= limit:
            raise ValidationError(
                _("该查询码今天已重新获取 %(n)d 次查询密码，请明天再试或联系联络站工作人员。")
                % {"n": limit},
                code="resend_limit",
            )
        pin = _renew(case)
        add_event(
            case,
            EventKind.NOTE,
            actor=None,
            role=CONSTITUENT,
            note=_("群众通过短信重新获取了查询密码"),
            data={RESENT_MARK: True},
        )
        case_id, to = case.pk, case.contact_phone
        after_commit(lambda: send_tracking_sms(case_id=case_id, phone=to, pin=pin))
    return True
