"""Export audit rows carry the requester's address, also when the worker builds the file."""

from __future__ import annotations

import contextvars
import datetime
from typing import Any

import pytest
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone

from liaison.audit.models import AuditAction, AuditEvent
from liaison.cases import exports
from liaison.cases.models import JobStatus, LedgerExport, Status
from liaison.cases.tests.factories import case_in

pytestmark = pytest.mark.django_db


def test_export_built_by_the_worker_records_the_requesters_ip(
    as_user: Any, county_staff: Any, station: Any, settings: Any
) -> None:
    case_in(Status.ACCEPTED, station=station)
    # A queue that only stores the task, as the database queue does until the worker takes it.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    today = timezone.localdate()
    response = as_user(county_staff).post(
        reverse("cases:export"),
        {
            "date_from": (today - datetime.timedelta(days=30)).isoformat(),
            "date_to": today.isoformat(),
            "mask_person": "on",
        },
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    job = LedgerExport.objects.get()
    assert job.status == JobStatus.PENDING
    [queued] = default_task_backend.results  # type: ignore[attr-defined]
    # The worker: another process, with no request and so no address in its context.
    contextvars.Context().run(exports.run_ledger_export.call, *queued.args, **queued.kwargs)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=str(job.pk))
    assert event.ip == "10.1.2.3"
