"""Writing audit events. Every write service calls `audit_record` inside its transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, models, router, transaction
from django.utils import timezone

from liaison.audit.chain import GENESIS, event_hash, values_of
from liaison.audit.context import current_ip
from liaison.audit.models import AuditAction, AuditEvent
from liaison.regions.models import CODE_LENGTH, PREFIX_LENGTH, Region

# Key of the PostgreSQL advisory lock that serializes appends (any fixed number; "audi").
APPEND_LOCK_KEY = 0x61756469


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


def snapshot(
    obj: models.Model, fields: Iterable[str], *, private: Iterable[str] = ()
) -> dict[str, Any]:
    """The listed fields of `obj` as JSON; private fields are recorded as changed, never copied."""
    private = set(private)
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, getattr(field, "attname", name))
        data[name] = "（已加密）" if name in private and value else _jsonable(value)
    return data


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys that changed, on both sides."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def common_region_code(codes: Iterable[str]) -> str:
    """The nearest region containing every code: the longest shared prefix at a level boundary,
    padded (430104… and 430121… give 长沙市 430100000000); "" when there is none."""
    codes = [c for c in codes if c]
    if not codes:
        return ""
    first = codes[0]
    for length in sorted(PREFIX_LENGTH.values(), reverse=True):
        prefix = first[:length]
        if all(c[:length] == prefix for c in codes):
            return prefix.ljust(CODE_LENGTH, "0")
    return ""


# How to find an account's region is a question of roles, which live in the layer above (accounts);
# accounts hands its answer in when the apps are ready (`user_region_resolver_set`). Until then,
# and for a process without accounts, users have no region.
UserRegionResolver = Callable[[Any, bool], str]
_user_region: UserRegionResolver = lambda user, cached: ""  # noqa: E731


def user_region_resolver_set(resolver: UserRegionResolver) -> None:
    """Called once by accounts: `resolver(user, cached)` gives the region of a saved user."""
    global _user_region
    _user_region = resolver


def _is_user(value: Any) -> bool:
    return isinstance(value, get_user_model())


def _region_of_user(user: Any, *, cached: bool = True) -> str:
    if not _is_user(user) or user.pk is None:
        return ""
    return _user_region(user, cached)


def _region_of_object(obj: models.Model) -> str:
    if isinstance(obj, Region):
        return obj.code
    if _is_user(obj):
        # Not through the per-request cache: an account being set up (created, then granted
        # roles) would keep the empty list of its first audit row and lose the roles given next.
        return _region_of_user(obj, cached=False)
    for name in ("region_code", "region_id", "scope_region_code"):
        value = getattr(obj, name, None)
        if isinstance(value, str) and value:
            return value
    return ""


def audit_region_code(*, actor: Any, obj: models.Model | None) -> str:
    """Where an event belongs when its caller did not say: the object's region, else the actor's
    (their one region, or the nearest region above all of them); "" for the system."""
    code = _region_of_object(obj) if obj is not None else ""
    return code or _region_of_user(actor)


def _lock_chain(using: str) -> None:
    """Make appends one at a time, so that each event links to the one before it.

    PostgreSQL: a transaction-level advisory lock, held until the caller's transaction ends.
    SQLite: nothing to do here; the connection begins every transaction with BEGIN IMMEDIATE
    (settings, checked by audit.E001), which already takes the database's single write lock.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])


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
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit event, linked to the last one. `actor` may be None for the system or an
    anonymous visitor; without `region_code` the region comes from the object or the actor.
    `ip` is for work done outside the request that asked for it (the worker); by default the
    address of the current request is recorded."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:200]
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    region_code = region_code or audit_region_code(actor=actor if is_user else None, obj=obj)
    event = AuditEvent(
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
        ip=ip or current_ip.get(),
    )
    using = router.db_for_write(AuditEvent)
    # No savepoint: if the append fails, the caller's whole write must fail with it.
    with transaction.atomic(using=using, savepoint=False):
        _lock_chain(using)
        # One read through the unique index on seq.
        last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
        event.seq, event.prev_hash = last if last else (0, GENESIS)
        event.seq += 1
        event.at = timezone.now()
        event.hash = event_hash(values_of(event), event.prev_hash)
        event.save(using=using, force_insert=True)
    return event


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
