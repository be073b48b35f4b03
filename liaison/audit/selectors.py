"""Reads of the audit trail, for auditors only."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import User
from liaison.audit.models import AuditEvent
from liaison.regions.models import Level


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """Events of the auditor's jurisdiction. Events tied to no place (the system's own jobs, an
    unknown user name) are shown only to an auditor of a whole province: a county auditor must not
    read another county's trail through them (issue 10)."""
    scope = capability_scope(user, Capability.VIEW_AUDIT)
    if scope.is_empty:
        return AuditEvent.objects.none()
    condition = scope.q(region_field="region_code")
    if any(region.level == Level.PROVINCE for region in scope.regions):
        condition |= Q(region_code="")
    return AuditEvent.objects.filter(condition).order_by("-at", "-id")


def audit_events_filter(
    qs: QuerySet[AuditEvent],
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The events matching the filter form's fields (empty values filter nothing)."""
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


# --- reading events in Chinese ------------------------------------------------------------------

# Object types written by code that are not models.
_OTHER_TYPES: dict[str, str] = {"uploads": "上传文件"}


def _model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def audit_type_label(object_type: str) -> str:
    """ "民意诉求" for "cases.case": the model's verbose name, else the stored type."""
    model = _model_of(object_type)
    if model is not None:
        return str(model._meta.verbose_name)
    return _(_OTHER_TYPES[object_type]) if object_type in _OTHER_TYPES else object_type


def audit_object_types() -> list[tuple[str, str]]:
    """(type, Chinese name) of every kind of object the trail may name, by name; no query."""
    types = {
        model._meta.label_lower: str(model._meta.verbose_name)
        for model in apps.get_models()
        if model.__module__.startswith("liaison.")
    }
    types.update({key: _(label) for key, label in _OTHER_TYPES.items()})
    return sorted(types.items(), key=lambda item: (item[1], item[0]))


@dataclass(frozen=True)
class AuditChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditRow:
    """One event as the page shows it."""

    event: AuditEvent
    type_label: str
    changes: list[AuditChange]
    # Query string of the trail filtered to this object; "" when the event names no object.
    history_query: str


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _plain(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{_plain(v)}" for k, v in value.items())
    return str(value)


class _Related:
    """Names of objects that changes point to (a unit, a station …), one query per model."""

    def __init__(self, rows: list[tuple[type[models.Model] | None, Mapping[str, Any]]]) -> None:
        wanted: dict[type[models.Model], set[Any]] = {}
        for model, values in rows:
            for name, value in values.items():
                field = _field(model, name)
                if field is not None and field.is_relation and field.related_model and value:
                    related: Any = field.related_model
                    for pk in value if isinstance(value, list) else [value]:
                        wanted.setdefault(related, set()).add(pk)
        self.names: dict[tuple[type[models.Model], str], str] = {}
        for related, pks in wanted.items():
            # Events record what the writer had: a key, or a label such as a user name (the
            # membership events record "user": "deputy"). Only real keys are looked up.
            clean = []
            for pk in pks:
                try:
                    clean.append(related._meta.pk.to_python(pk))
                except (ValidationError, TypeError, ValueError):
                    continue
            for pk, obj in related._default_manager.in_bulk(clean).items():
                self.names[(related, str(pk))] = str(obj)

    def value(self, field: models.Field[Any, Any] | None, value: Any) -> str:
        if field is None or value is None or value == "":
            return _plain(value)
        if field.is_relation and field.related_model:
            related: Any = field.related_model
            pks = value if isinstance(value, list) else [value]
            return "、".join(self.names.get((related, str(pk)), str(pk)) for pk in pks)
        if field.choices:
            labels = {str(k): str(v) for k, v in field.flatchoices}
            return labels.get(str(value), str(value))
        return _plain(value)


def audit_rows(events: Iterable[AuditEvent]) -> list[AuditRow]:
    """The events of one page with Chinese type names and a before → after table of changes.

    Field names become their verbose names and stored codes their choice labels; objects a change
    points to are named with one query per kind of object on the page.
    """
    events = list(events)
    models_of = {e.object_type: _model_of(e.object_type) for e in events}
    related = _Related(
        [(models_of[e.object_type], side) for e in events for side in (e.before, e.after) if side]
    )
    rows = []
    for event in events:
        model = models_of[event.object_type]
        before: Mapping[str, Any] = event.before if isinstance(event.before, dict) else {}
        after: Mapping[str, Any] = event.after if isinstance(event.after, dict) else {}
        changes = []
        for name in [*after, *(k for k in before if k not in after)]:
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None else name
            changes.append(
                AuditChange(
                    label=label,
                    before=related.value(field, before.get(name)) if name in before else "",
                    after=related.value(field, after.get(name)) if name in after else "",
                )
            )
        history = (
            urlencode({"object_type": event.object_type, "object_id": event.object_id})
            if event.object_type and event.object_id
            else ""
        )
        rows.append(AuditRow(event, audit_type_label(event.object_type), changes, history))
    return rows
