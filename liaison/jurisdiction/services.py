"""Writes of jurisdiction settings and calendar overrides: validated, one transaction, audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.hotcache import clear_all as clear_hot_caches
from liaison.jurisdiction.builtin_settings import ORDERED_PAIRS
from liaison.jurisdiction.models import CalendarOverride, JurisdictionSetting
from liaison.jurisdiction.registry import SETTINGS, SettingDef
from liaison.regions.models import Region, ancestor_codes


def _definition_or_error(key: str) -> SettingDef:
    definition = SETTINGS.get(key)
    if definition is None:
        raise ValidationError(
            gettext("未知的设置项：%(key)s。"), code="unknown_key", params={"key": key}
        )
    return definition


_UNSET = object()


def _check_ordered_pairs(*, region: Region, key: str, stored: Any) -> None:
    """Refuse a change (stored JSON value, or _UNSET for "inherit again") that would leave a pair
    of settings out of order in `region` or in any region below it that sets either itself."""

    for small_key, large_key, message in ORDERED_PAIRS:
        if key not in (small_key, large_key):
            continue
        low, high = region.bounds
        own = JurisdictionSetting.objects.filter(key__in=(small_key, large_key)).filter(
            Q(region_id__in=ancestor_codes(region.code))
            | Q(region_id__gte=low, region_id__lte=high)
        )
        rows: dict[str, dict[str, Any]] = {small_key: {}, large_key: {}}
        for region_id, row_key, value in own.values_list("region_id", "key", "value"):
            rows[row_key][region_id] = value
        if stored is _UNSET:
            rows[key].pop(region.code, None)
        else:
            rows[key][region.code] = stored
        checked = {region.code} | {c for r in rows.values() for c in r if low <= c <= high}
        for code in sorted(checked):
            chain = ancestor_codes(code)
            small = _effective(small_key, rows[small_key], chain)
            large = _effective(large_key, rows[large_key], chain)
            if small >= large:
                raise ValidationError(
                    str(message) % {"small": small, "large": large}, code="out_of_order"
                )


def _effective(key: str, rows: dict[str, Any], chain: list[str]) -> Any:
    definition = SETTINGS[key]
    for code in reversed(chain):
        if code in rows:
            try:
                return definition.from_json(rows[code])
            except ValidationError:
                continue
    return definition.clean(definition.default)


def setting_set(*, region: Region, key: str, value: Any, actor: User) -> JurisdictionSetting:
    """Set `key` for `region` (and, by inheritance, below it) after checking type and range.

    Raises ValidationError (Chinese) for an unknown key or a bad value; nothing is written then.
    Setting the value the region already stores is a no-op without an audit row.
    """
    definition = _definition_or_error(key)
    stored = definition.to_json(value)
    _check_ordered_pairs(region=region, key=key, stored=stored)
    with transaction.atomic():
        # Cached settings and deadlines of this process must not outlive the change.
        transaction.on_commit(clear_hot_caches)
        row = JurisdictionSetting.objects.select_for_update().filter(region=region, key=key).first()
        if row is not None and row.value == stored:
            return row
        before = {"value": row.value} if row is not None else None
        action = AuditAction.UPDATE if row is not None else AuditAction.CREATE
        if row is None:
            row = JurisdictionSetting(region=region, key=key)
        row.value = stored
        row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        row.save()
        audit_record(
            actor=actor,
            action=action,
            obj=row,
            object_label=f"{region.name} · {definition.label}",
            region_code=region.code,
            before=before,
            after={"value": stored},
            note=gettext("辖区设置 %(key)s") % {"key": key},
        )
    return row


def setting_clear(*, region: Region, key: str, actor: User) -> bool:
    """Remove `region`'s own value of `key` so that it inherits again. False if it had none.

    Unknown keys are allowed here, so that rows of a setting no longer registered can be removed.
    """
    with transaction.atomic():
        # Cached settings and deadlines of this process must not outlive the change.
        transaction.on_commit(clear_hot_caches)
        row = JurisdictionSetting.objects.select_for_update().filter(region=region, key=key).first()
        if row is None:
            return False
        _check_ordered_pairs(region=region, key=key, stored=_UNSET)
        definition = SETTINGS.get(key)
        label = definition.label if definition is not None else key
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=row,
            object_label=f"{region.name} · {label}",
            region_code=region.code,
            before={"value": row.value},
            after=None,
            note=gettext("恢复继承：%(key)s") % {"key": key},
        )
        row.delete()
    return True


def calendar_override_set(
    *,
    region: Region | None,
    day: datetime.date,
    is_working_day: bool,
    name: str,
    actor: User,
) -> CalendarOverride:
    """Mark `day` as a working day or a day off in `region` (None = national); replaces any
    override the same region already has for that day."""
    name = (name or "").strip()
    if len(name) > 100:
        raise ValidationError(gettext("名称不能超过 100 个字。"), code="max_length")
    with transaction.atomic():
        # Cached settings and deadlines of this process must not outlive the change.
        transaction.on_commit(clear_hot_caches)
        row = CalendarOverride.objects.select_for_update().filter(region=region, date=day).first()
        fields = {"is_working_day": is_working_day, "name": name}
        if row is not None and all(getattr(row, f) == v for f, v in fields.items()):
            return row
        before = (
            {"date": row.date, "is_working_day": row.is_working_day, "name": row.name}
            if row is not None
            else None
        )
        action = AuditAction.UPDATE if row is not None else AuditAction.CREATE
        if row is None:
            row = CalendarOverride(
                region=region,
                date=day,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        row.is_working_day = is_working_day
        row.name = name
        row.save()
        audit_record(
            actor=actor,
            action=action,
            obj=row,
            object_label=_override_label(row),
            region_code=region.code if region is not None else "",
            before=before,
            after={"date": day, "is_working_day": is_working_day, "name": name},
            note=gettext("工作日历调整"),
        )
    return row


def calendar_override_remove(*, region: Region | None, day: datetime.date, actor: User) -> bool:
    """Delete `region`'s override of `day` (None = the national one); the day falls back to the
    ancestors' overrides or the national calendar. False if there was none."""
    with transaction.atomic():
        # Cached settings and deadlines of this process must not outlive the change.
        transaction.on_commit(clear_hot_caches)
        row = CalendarOverride.objects.select_for_update().filter(region=region, date=day).first()
        if row is None:
            return False
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=row,
            object_label=_override_label(row),
            region_code=row.region_id or "",
            before={"date": row.date, "is_working_day": row.is_working_day, "name": row.name},
            after=None,
            note=gettext("工作日历调整"),
        )
        row.delete()
    return True


def _override_label(row: CalendarOverride) -> str:
    where = row.region.name if row.region is not None else gettext("全国")
    return f"{where} · {row}"
