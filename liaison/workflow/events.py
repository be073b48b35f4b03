"""The one event builder: every row of every workflow's event table is made here."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from liaison.accounts.models import User
from liaison.workflow.models import WorkflowEvent


def event_build[E: WorkflowEvent](
    *,
    model: type[E],
    subject: models.Model | int,
    kind: str,
    actor: User | None,
    role: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: Mapping[str, Any] | None = None,
    public: bool | None = None,
    at: datetime | None = None,
) -> E:
    """An unsaved event on `subject` (a row or its id); save it with `event_append` or many at
    once with `model.objects.bulk_create`.

    `data` is stored as JSON (dates as ISO text, decimals as strings). The event is public when
    its kind is one of the model's `public_kinds` unless `public` says otherwise; the note of a
    public event is read by the public: no personal data. `at` defaults to now (an import keeps
    the time the person submitted).
    """
    subject_id = subject if isinstance(subject, int) else subject.pk
    extra = {"at": at} if at is not None else {}
    return model(
        **extra,
        **{f"{model.subject_field}_id": subject_id},
        kind=kind,
        actor=actor,
        actor_role=role,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=json.loads(json.dumps(dict(data or {}), cls=DjangoJSONEncoder)),
        is_public=kind in model.public_kinds if public is None else public,
    )


def event_append[E: WorkflowEvent](event: E) -> E:
    """Save one event built by `event_build` (inserted, never updated)."""
    event.save(force_insert=True)
    return event
