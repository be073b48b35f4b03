"""The rota: putting deputies on duty at a reception day, taking them off, and attendance."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.deputies.models import Deputy
from liaison.deputies.selectors import deputies_visible_to
from liaison.notifications.services import notify_users
from liaison.points.services import points_sync_on_commit
from liaison.receptions.models import DayStatus, DutyStatus, ReceptionDay, ReceptionDuty
from liaison.receptions.permissions import can_record, can_schedule, is_own_duty
from liaison.receptions.services.common import clash_error, day_label, deputy_clash


def _lock_day(day: ReceptionDay) -> ReceptionDay:
    return ReceptionDay.objects.select_for_update().select_related("station").get(pk=day.pk)


def duty_assign(*, day: ReceptionDay, deputy: Deputy, actor: User) -> ReceptionDuty:
    """Put a deputy on duty; refused when the deputy is on duty elsewhere at the same time."""
    with transaction.atomic():
        day = _lock_day(day)
        if not can_schedule(actor, day.station):
            raise PermissionDenied
        if day.status != DayStatus.SCHEDULED or day.is_past:
            raise ValidationError(_("只能为尚未举行的接待日安排值班代表"))
        if not deputy.is_active:
            raise ValidationError({"deputy": _("该代表已不在任")})
        if not deputies_visible_to(actor).filter(pk=deputy.pk).exists():
            raise ValidationError({"deputy": _("该代表不在您的辖区内")})
        # Locks the deputy's row so that two assignments of one deputy cannot pass at once.
        Deputy.objects.select_for_update().filter(pk=deputy.pk).first()
        if day.duties.filter(deputy=deputy, status=DutyStatus.ON_DUTY).exists():
            raise ValidationError(
                {"deputy": _("%(name)s 已在本接待日值班") % {"name": deputy.name}}
            )
        clash = deputy_clash(deputy, day)
        if clash is not None:
            raise ValidationError({"deputy": clash_error(deputy, clash)})
        duty = ReceptionDuty.objects.create(
            day=day, deputy=deputy, starts_at=day.starts_at, ends_at=day.ends_at
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=duty,
            region_code=day.region_id,
            after={"day": day.pk, "deputy": deputy.pk},
            note=_("安排值班：%(name)s，%(day)s") % {"name": deputy.name, "day": day_label(day)},
        )
        if deputy.user_id is not None:
            user_id, title = (
                deputy.user_id,
                _("您被安排在 %(day)s 接待群众") % {"day": day_label(day)},
            )
            transaction.on_commit(
                lambda: notify_users(users=[user_id], title=title, subject=duty), robust=True
            )
    return duty


def duty_remove(*, duty: ReceptionDuty, actor: User) -> None:
    """Take a deputy off a future day's rota (the audit row keeps who it was)."""
    with transaction.atomic():
        day = _lock_day(duty.day)
        duty = ReceptionDuty.objects.select_for_update().select_related("deputy").get(pk=duty.pk)
        if not can_schedule(actor, day.station):
            raise PermissionDenied
        if duty.status != DutyStatus.ON_DUTY:
            raise ValidationError(_("该代表已不在值班名单中"))
        if day.is_past or day.status != DayStatus.SCHEDULED:
            raise ValidationError(_("接待日已举行或已取消，不能调整值班"))
        duty.status = DutyStatus.RELEASED
        duty.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=duty,
            region_code=day.region_id,
            before={"status": DutyStatus.ON_DUTY},
            after={"status": DutyStatus.RELEASED},
            note=_("取消值班：%(name)s，%(day)s")
            % {"name": duty.deputy.name, "day": day_label(day)},
        )


def duty_confirm(*, duty: ReceptionDuty, actor: User, present: bool = True) -> ReceptionDuty:
    """Record whether an on-duty deputy came: the deputy on their phone, or staff for them.
    The audit row and the duty keep who confirmed."""
    with transaction.atomic():
        day = _lock_day(duty.day)
        duty = ReceptionDuty.objects.select_for_update().select_related("deputy").get(pk=duty.pk)
        own = is_own_duty(actor, duty)
        if not own and not can_record(actor, day.station):
            raise PermissionDenied
        if duty.status != DutyStatus.ON_DUTY:
            raise ValidationError(_("该代表已不在值班名单中"))
        if day.status == DayStatus.CANCELLED:
            raise ValidationError(_("接待日已取消"))
        if day.starts_at > timezone.now():
            raise ValidationError(_("接待日开始后才能确认到场"))
        before = duty.present
        duty.present, duty.confirmed_at, duty.confirmed_by = present, timezone.now(), actor
        duty.save(update_fields=["present", "confirmed_at", "confirmed_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=duty,
            region_code=day.region_id,
            before={"present": before},
            after={"present": present, "confirmed_by": actor.pk},
            note=(_("代表本人确认到场") if own else _("工作人员代为确认到场"))
            if present
            else _("确认未到场"),
        )
        # Once this commits the deputy's points follow (a day attended, or missed).
        points_sync_on_commit(deputy_ids=[duty.deputy_id], on=day.date)
    return duty
