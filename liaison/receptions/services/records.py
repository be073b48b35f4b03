"""The record of a held reception: attendance, visitors, minutes, photos, and the items raised,
each of which becomes a case through the intake pipeline in the same transaction.

Everything is checked before the first write (the items through the intake's own
`validate_submission`), and it is all one transaction: a record is saved whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.models import Channel, Kind
from liaison.cases.services.intake import case_submit, validate_submission
from liaison.common.uploads import CleanFile, clean_image
from liaison.deputies.models import Deputy
from liaison.jurisdiction.selectors import setting_value
from liaison.points.services import points_sync_on_commit
from liaison.receptions.models import (
    DayStatus,
    DutyStatus,
    Reception,
    ReceptionDay,
    ReceptionDuty,
    ReceptionItem,
    ReceptionPhoto,
)
from liaison.receptions.permissions import can_record_day
from liaison.receptions.services.common import MAX_VISITORS, day_label

MAX_PHOTOS = 9
MAX_ITEMS = 50


@dataclass(frozen=True)
class ItemInput:
    """One matter raised at the reception, as staff write it down."""

    title: str
    content: str
    kind: str = Kind.SUGGESTION
    deputy_id: int | None = None  # the deputy on duty who took it
    contact_name: str = ""
    contact_phone: str = ""
    is_anonymous: bool = False


def _check_items(
    day: ReceptionDay, items: Sequence[ItemInput], duties: dict[int, ReceptionDuty]
) -> list[dict[str, Any]]:
    """Every item checked by the intake's rules; errors carry the item's number."""
    errors: list[str] = []
    checked: list[dict[str, Any]] = []
    if len(items) > MAX_ITEMS:
        raise ValidationError({"items": _("一次最多录入 %(n)d 个事项") % {"n": MAX_ITEMS}})
    for number, item in enumerate(items, start=1):
        deputy: Deputy | None = None
        if item.deputy_id is not None:
            duty = duties.get(item.deputy_id)
            if duty is None:
                errors.append(_("第 %(n)d 项：接待代表须是本次值班代表") % {"n": number})
                continue
            deputy = duty.deputy
        values: dict[str, Any] = {
            "kind": item.kind,
            "title": item.title.strip(),
            "content": item.content.strip(),
            "station": day.station,
            "deputy": deputy,
            "contact_name": item.contact_name.strip(),
            "contact_phone": item.contact_phone.strip(),
            "is_anonymous": item.is_anonymous,
        }
        try:
            validate_submission(
                channel=Channel.RECEPTION,
                region=None,
                category=None,
                place=day.place,
                allow_publish=False,
                consent=False,
                images=[],
                client_token=None,
                **values,
            )
        except ValidationError as exc:
            for message in exc.messages:
                errors.append(_("第 %(n)d 项：%(msg)s") % {"n": number, "msg": message})
            continue
        checked.append(values)
    if errors:
        raise ValidationError({"items": errors})
    return checked


def _check_photos(day: ReceptionDay, photos: Sequence[Any]) -> list[tuple[str, CleanFile]]:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS}})
    max_mb = int(setting_value(key="max_upload_mb", region=day.region_id))
    cleaned: list[tuple[str, CleanFile]] = []
    errors: list[str] = []
    for number, photo in enumerate(photos, start=1):
        try:
            cleaned.append((str(photo.name)[-200:], clean_image(photo, max_bytes=max_mb << 20)))
        except ValidationError as exc:
            errors += [
                _("第 %(n)d 张照片：%(msg)s") % {"n": number, "msg": m} for m in exc.messages
            ]
    if errors:
        raise ValidationError({"photos": errors})
    return cleaned


def reception_record(
    *,
    day: ReceptionDay,
    actor: User,
    visitor_count: int,
    minutes: str = "",
    present_deputy_ids: Sequence[int] = (),
    items: Sequence[ItemInput] = (),
    photos: Sequence[Any] = (),
) -> Reception:
    """Record a held reception; each item becomes a case (channel 代表接待) linked to it."""
    with transaction.atomic():
        day = ReceptionDay.objects.select_for_update().select_related("station").get(pk=day.pk)
        duties = {
            d.deputy_id: d
            for d in day.duties.filter(status=DutyStatus.ON_DUTY).select_related("deputy")
        }
        if not can_record_day(actor, day, list(duties.values())):
            raise PermissionDenied
        if day.date > timezone.localdate() or day.starts_at > timezone.now():
            raise ValidationError(_("接待日尚未开始，不能填写接待记录"))
        if day.status == DayStatus.CANCELLED:
            raise ValidationError(_("该接待日已取消"))
        if Reception.objects.filter(day=day).exists():
            raise ValidationError(_("该接待日已有接待记录"))
        errors: dict[str, Any] = {}
        if isinstance(visitor_count, bool) or not 0 <= visitor_count <= MAX_VISITORS:
            errors["visitor_count"] = _("来访人数应在 0 至 %(max)d 之间") % {"max": MAX_VISITORS}
        unknown = set(present_deputy_ids) - set(duties)
        if unknown:
            errors["present"] = _("到场代表须是本次值班代表")
        if errors:
            raise ValidationError(errors)
        checked = _check_items(day, items, duties)
        cleaned = _check_photos(day, photos)
        record = Reception.objects.create(
            day=day, visitor_count=visitor_count, minutes=minutes.strip(), recorded_by=actor
        )
        _attendance(day, duties, set(present_deputy_ids), actor)
        for number, values in enumerate(checked, start=1):
            result = case_submit(
                channel=Channel.RECEPTION,
                channel_ref=f"R{record.pk}-{number}",
                place=day.place,
                actor=actor,
                submitted_at=day.starts_at,
                **values,
            )
            ReceptionItem.objects.create(
                reception=record, number=number, case=result.case, deputy=values["deputy"]
            )
        for name, clean in cleaned:
            photo = ReceptionPhoto(
                reception=record,
                original_name=name,
                content_type=clean.content_type,
                size=clean.size,
            )
            photo.file.save(clean.random_name(), clean.as_file(), save=False)
            photo.save()
        day.status = DayStatus.HELD
        day.version += 1
        day.save(update_fields=["status", "version"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=record,
            region_code=day.region_id,
            after={
                "visitor_count": visitor_count,
                "items": len(checked),
                "photos": len(cleaned),
                "present": sorted(present_deputy_ids),
            },
            note=_("接待记录：%(day)s") % {"day": day_label(day)},
        )
        # Once this commits the points of the deputies on duty follow their attendance.
        points_sync_on_commit(deputy_ids=list(duties), on=day.date)
    return record


def _attendance(
    day: ReceptionDay, duties: dict[int, ReceptionDuty], present: set[int], actor: User
) -> None:
    """Staff confirm for the deputies they tick; a deputy's own confirmation stays as it is."""
    now = timezone.now()
    for deputy_id, duty in duties.items():
        if duty.confirmed_by_id == duty.deputy.user_id and duty.confirmed_by_id is not None:
            continue
        came = deputy_id in present
        if duty.present is came and duty.confirmed_by_id is not None:
            continue
        duty.present, duty.confirmed_at, duty.confirmed_by = came, now, actor
        duty.save(update_fields=["present", "confirmed_at", "confirmed_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=duty,
            region_code=day.region_id,
            after={"present": came, "confirmed_by": actor.pk},
            note=_("工作人员代为确认到场") if came else _("确认未到场"),
        )
