"""Writing audit events. Every write service calls `audit_record` inside its transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from liaison.audit.context import current_ip
from liaison.audit.models import AuditAction, AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str], *, private: Iterable[str] = ()) -> dict:
    """The listed fields of `obj` as JSON; private fields are recorded as changed, never copied."""
    private = set(private)
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, getattr(field, "attname", name))
        data[name] = "（已加密）" if name in private and value else _jsonable(value)
    return data


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    """Only the keys that changed, on both sides."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    region_code: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append one audit event. `actor` may be None for the system or an anonymous visitor."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:200]
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=(str(actor) if is_user else "系统")[:150],
        action=AuditAction(action),
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        region_code=region_code,
        before=_jsonable(dict(before)) if before is not None else None,
        after=_jsonable(dict(after)) if after is not None else None,
        note=note[:500],
        ip=current_ip.get(),
    )


def audit_private_view(
    *, actor: Any, obj: models.Model, fields: Iterable[str], region_code: str = ""
) -> AuditEvent:
    """Record that a staff member revealed private fields of a person."""
    return audit_record(
        actor=actor,
        action=AuditAction.VIEW_PRIVATE,
        obj=obj,
        region_code=region_code,
        note="查看字段：" + "、".join(fields),
    )
