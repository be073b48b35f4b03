"""Django admin speaks Chinese, also for third-party models (the task results; issue 11)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

ENGLISH = (
    "task result",
    "tasks database backend",
    "enqueued",
    "started at",
    "finished at",
    "priority",
    "queue name",
    "status",
    "traceback",
    "run after",
    "filter by",
    "successful",
    "task path",
    "task name",
    "return value",
    "worker id",
    "backend name",
    "args kwargs",
    "exception class",
)


def _english_in(html: str) -> list[str]:
    html = re.sub(r"<(script|style).*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html).lower()
    return [word for word in ENGLISH if word in text]


def test_task_results_in_admin_are_in_chinese(platform_admin: Any, as_user: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    result = DBTaskResult.objects.create(
        status="SUCCESSFUL",
        args_kwargs={"args": [], "kwargs": {"job_id": 1}},
        task_path="liaison.jobs.services.run_export_job",
        backend_name="default",
        run_after=now,
        started_at=now,
        finished_at=now,
    )
    client = as_user(platform_admin)
    base = "/admin/django_tasks_database/dbtaskresult/"
    for url in ("/admin/", base, f"{base}?status__exact=SUCCESSFUL", f"{base}{result.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _english_in(response.content.decode()) == [], url
    index = client.get("/admin/").content.decode()
    assert "后台任务" in index


def test_other_admin_pages_have_no_english_filter_label(platform_admin: Any, as_user: Any) -> None:
    html = as_user(platform_admin).get("/admin/jurisdiction/calendaroverride/").content.decode()
    assert _english_in(html) == []
