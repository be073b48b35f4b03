"""A staff correction: a new entry with its reason, audited; never a change of a total."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.deputies.models import Deputy
from liaison.points.models import EntryKind, PointEntry
from liaison.points.rules import RuleKey
from liaison.points.scoping import deputies_correctable
from liaison.points.selectors import quarter_bounds
from liaison.points.services.ledger import ledger_sync, placements

MAX_CORRECTION: Final = Decimal(100)
FIRST_YEAR: Final = 2000


def _points_check(points: Decimal | int | str) -> Decimal:
    try:
        value = Decimal(str(points))
    except InvalidOperation:
        raise ValidationError(
            {"points": _("积分应为数字，如 2 或 -1.5。")}, code="points"
        ) from None
    if not value.is_finite() or value == 0 or abs(value) > MAX_CORRECTION:
        raise ValidationError(
            {
                "points": _("更正的积分应在 -%(n)s 至 %(n)s 之间，且不为 0。")
                % {"n": MAX_CORRECTION}
            },
            code="points",
        )
    if value != value.quantize(Decimal("0.1")):
        raise ValidationError({"points": _("积分最多保留一位小数。")}, code="points")
    return value


def points_correct(
    *,
    deputy: Deputy,
    actor: User,
    points: Decimal | int | str,
    reason: str,
    year: int,
    quarter: int,
) -> PointEntry:
    """Add or deduct points by hand for a period, with the reason (required, audited)."""
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("请填写更正原因。")
    elif len(reason) > 300:
        errors["reason"] = _("更正原因不能超过 300 个字。")
    today = timezone.localdate()
    if not (FIRST_YEAR <= year <= today.year) or quarter not in (1, 2, 3, 4):
        errors["period"] = _("请选择正确的年度和季度。")
    elif quarter_bounds(year, quarter)[0] > today:
        errors["period"] = _("不能更正尚未开始的季度。")
    if errors:
        raise ValidationError(errors)
    value = _points_check(points)
    if not deputies_correctable(actor).filter(pk=deputy.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        entry = PointEntry.objects.create(
            deputy=deputy,
            kind=EntryKind.CORRECTION,
            rule=RuleKey.CORRECTION,
            source_kind="correction",
            occurred_on=min(quarter_bounds(year, quarter)[1], today),
            year=year,
            quarter=quarter,
            points=value,
            reason=reason,
            created_by=actor,
        )
        # The totals follow the ledger in the same transaction (and any other pending
        # difference of this deputy and year with them).
        ledger_sync(deputy_ids=[deputy.pk], year=year, write=True)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=entry,
            region_code=placements([deputy.pk]).get(deputy.pk, ""),
            after={"deputy": deputy.pk, "points": str(value), "year": year, "quarter": quarter},
            note=_("积分更正：%(name)s %(points)s 分，%(reason)s")
            % {"name": deputy.name, "points": value, "reason": reason},
        )
    return entry


def period_today() -> tuple[int, int]:
    today: datetime.date = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1
